import numpy as np
import pytest

import numkeras
from numkeras.optimizers import SGD
from numkeras.optimizers.optimizer_test import run_steps


def reference_sgd(init, grads, lr, momentum=0.0, nesterov=False):
    """Keras's SGD in float64 NumPy, written out independently."""
    w = [x.astype("float64") for x in init]
    m = [np.zeros_like(x) for x in w]
    for step in grads:
        for i, g in enumerate(step):
            g = g.astype("float64")
            if momentum == 0:
                w[i] = w[i] - lr * g
                continue
            m[i] = momentum * m[i] - lr * g
            w[i] = w[i] + (momentum * m[i] - lr * g if nesterov else m[i])
    return w


def test_single_step_golden():
    opt = SGD(learning_rate=0.5)
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    opt.apply_gradients(zip([np.array([1.0, 6.0, 7.0, 2.0], "float32")], [v]))
    np.testing.assert_allclose(v.numpy(), [0.5, -1.0, -0.5, 3.0], rtol=1e-4, atol=1e-4)
    assert len(opt.variables) == 2


def test_nesterov_golden_trajectory():
    # Keras's golden values for SGD(nesterov=True) (momentum 0 makes it plain SGD).
    golden = np.array([
        [0.9999] * 10,
        [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
        [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
        [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
        [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599]])
    opt = SGD(nesterov=True)
    x = numkeras.Variable(np.ones(10))
    grads = np.arange(0.1, 1.1, 0.1).astype("float32")
    opt.apply_gradients(zip([np.full(10, 0.01, "float32")], [x]))
    for row in golden:
        np.testing.assert_allclose(x.numpy(), row, rtol=5e-4, atol=5e-4)
        opt.apply_gradients(zip([grads], [x]))


@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.9, True), (0.5, True)])
def test_matches_float64_reference(momentum, nesterov):
    opt = SGD(0.05, momentum=momentum, nesterov=nesterov)
    init, grads, final = run_steps(opt, steps=6)
    expected = reference_sgd(init, grads, 0.05, momentum, nesterov)
    for got, want in zip(final, expected):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == 6


def test_momentum_slots_only_when_needed():
    v = numkeras.Variable([1.0])
    plain, heavy = SGD(), SGD(momentum=0.9)
    plain.build([v])
    heavy.build([v])
    assert len(plain.variables) == 2 and len(heavy.variables) == 3


def test_invalid_momentum():
    for bad in (-1.0, 2.0, "0.9"):
        with pytest.raises(ValueError, match=r"`momentum` must be a float between \[0, 1\]"):
            SGD(momentum=bad)
