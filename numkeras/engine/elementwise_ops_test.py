"""The elementwise table: every entry's values against NumPy and its derivative against finite differences."""
import math

import numpy as np
import pytest

from numkeras.engine import elementwise_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RS = np.random.RandomState(3)
DOMAIN = {  # inputs inside each function's domain, away from its kinks
    "arcsin": RS.uniform(-0.8, 0.8, (3, 4)), "arccos": RS.uniform(-0.8, 0.8, (3, 4)),
    "arctanh": RS.uniform(-0.8, 0.8, (3, 4)), "arccosh": RS.uniform(1.2, 3.0, (3, 4)),
    "log2": RS.uniform(0.2, 3.0, (3, 4)), "log10": RS.uniform(0.2, 3.0, (3, 4)),
    "cbrt": RS.uniform(0.2, 3.0, (3, 4)), "reciprocal": RS.uniform(0.2, 3.0, (3, 4)),
    "tan": RS.uniform(-1.2, 1.2, (3, 4)), "i0": RS.uniform(-6.0, 6.0, (3, 4)),
}
REFERENCE = {"copy": np.array, "rint": np.rint}


@pytest.mark.parametrize("name", sorted(elementwise_ops.UNARY))
def test_unary_values_and_gradients(name):
    forward, derivative = elementwise_ops.UNARY[name]
    x = DOMAIN.get(name, RS.normal(size=(3, 4)) * 1.5)
    op = getattr(elementwise_ops, name)
    np.testing.assert_allclose(op(x).numpy(), getattr(np, name, REFERENCE.get(name))(x), rtol=1e-12)
    if derivative is None:
        from numkeras import GradientTape, Variable
        v = Variable(x, dtype="float64")
        with GradientTape() as tape:
            y = op(v)
        assert tape.gradient(y, v) is None or not np.any(tape.gradient(y, v).numpy())
    else:
        check_gradients(op, x)
        check_float32(op, x)


BINARY_INPUTS = {
    "mod": (RS.normal(size=(3, 4)) * 3, RS.uniform(0.5, 2.0, (4,))),
    "fmod": (RS.normal(size=(3, 4)) * 3, RS.uniform(0.5, 2.0, (4,))),
    "floor_divide": (RS.normal(size=(3, 4)) * 3, RS.uniform(0.5, 2.0, (4,))),
    "logaddexp": (RS.normal(size=(3, 4)) * 40, RS.normal(size=(3, 1))),
}


@pytest.mark.parametrize("name", sorted(elementwise_ops.BINARY))
def test_binary_values_and_broadcast_gradients(name):
    forward, da, db = elementwise_ops.BINARY[name]
    a, b = BINARY_INPUTS.get(name, (RS.normal(size=(3, 4)), RS.normal(size=(4,))))
    op = getattr(elementwise_ops, name)
    np.testing.assert_allclose(op(a, b).numpy(), getattr(np, name)(a, b), rtol=1e-12)
    if da is not None:
        check_gradients(op, a, b)
        check_float32(op, a, b)


def test_logaddexp_gradient_survives_overflow():
    from numkeras import GradientTape, Variable
    a, b = Variable(np.array([1000.0, -1000.0]), dtype="float64"), Variable(np.array([0.0, 0.0]), dtype="float64")
    with GradientTape() as tape:
        y = elementwise_ops.logaddexp(a, b)
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_allclose(ga.numpy(), [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(gb.numpy(), [0.0, 1.0], atol=1e-12)


def test_sinc_gradient_at_zero_is_zero_and_i1_matches_its_series():
    check_gradients(elementwise_ops.sinc, np.array([0.0, 0.3]))
    from numkeras import GradientTape, Variable
    x = np.float32([-8.9e-4, 1e-5, 0.02])  # float32 near 0: no cancellation (the derivative is ~ -pi^2 x / 3)
    v = Variable(x)
    with GradientTape() as tape:
        y = elementwise_ops.sinc(v)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), -(np.pi ** 2 / 3) * x.astype("float64"), rtol=2e-3)
    x = np.array([0.5, 2.0, 35.0])
    series = [sum((v / 2) ** (2 * k + 1) / (math.factorial(k) * math.factorial(k + 1)) for k in range(80))
              for v in x]
    np.testing.assert_allclose(elementwise_ops._i1(x), series, rtol=1e-4)
