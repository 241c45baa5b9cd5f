import numpy as np
import pytest

import numkeras
from numkeras.optimizers import RMSprop
from numkeras.optimizers.optimizer_test import run_steps


def reference_rmsprop(init, grads, lr, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    """Keras's RMSprop in float64 NumPy (epsilon inside the square root)."""
    w = [x.astype("float64") for x in init]
    v = [np.zeros_like(x) for x in w]
    a = [np.zeros_like(x) for x in w]
    m = [np.zeros_like(x) for x in w]
    for step in grads:
        for i, g in enumerate(step):
            g = g.astype("float64")
            v[i] = rho * v[i] + (1 - rho) * g**2
            if centered:
                a[i] = rho * a[i] + (1 - rho) * g
                denominator = v[i] - a[i] ** 2 + epsilon
            else:
                denominator = v[i] + epsilon
            increment = lr * g / np.sqrt(denominator)
            if momentum > 0:
                m[i] = momentum * m[i] + increment
                w[i] = w[i] - m[i]
            else:
                w[i] = w[i] - increment
    return w


def test_single_step_golden():
    opt = RMSprop(learning_rate=0.5)
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    opt.apply_gradients(zip([np.array([1.0, 6.0, 7.0, 2.0], "float32")], [v]))
    np.testing.assert_allclose(v.numpy(), [-0.5811, 0.4189, 1.4189, 2.4189], rtol=1e-4, atol=1e-4)


def test_centered_golden_trajectory():
    golden = np.tile([[0.9967], [0.9933], [0.9908], [0.9885], [0.9864]], (1, 10))
    opt = RMSprop(centered=True)
    x = numkeras.Variable(np.ones(10))
    grads = np.arange(0.1, 1.1, 0.1).astype("float32")
    opt.apply_gradients(zip([np.full(10, 0.01, "float32")], [x]))
    for row in golden:
        np.testing.assert_allclose(x.numpy(), row, rtol=5e-4, atol=5e-4)
        opt.apply_gradients(zip([grads], [x]))


def test_epsilon_is_inside_the_square_root():
    # With a zero gradient history and a tiny gradient, eps inside sqrt dominates: step = lr*g/sqrt(0.1*g^2+eps).
    v = numkeras.Variable([0.0], dtype="float64")
    g = 1e-4
    RMSprop(learning_rate=1.0, epsilon=1e-7).apply_gradients([(np.array([g]), v)])
    np.testing.assert_allclose(v.numpy(), [-g / np.sqrt(0.1 * g * g + 1e-7)], rtol=1e-12)


@pytest.mark.parametrize("kwargs", [{}, {"momentum": 0.9}, {"centered": True},
                                    {"centered": True, "momentum": 0.5, "rho": 0.8, "epsilon": 1e-5}])
def test_matches_float64_reference(kwargs):
    opt = RMSprop(0.01, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    expected = reference_rmsprop(init, grads, 0.01, **kwargs)
    for got, want in zip(final, expected):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_slots():
    v = numkeras.Variable([1.0, 2.0])
    opt = RMSprop(momentum=0.9, centered=True)
    opt.build([v])
    assert [s.name for s in opt.variables[2:]] == ["variable_velocity", "variable_momentum",
                                                   "variable_average_gradient"]
