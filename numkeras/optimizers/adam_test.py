import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Adam
from numkeras.optimizers.optimizer_test import run_steps


def reference_adam(init, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    """Keras's Adam in float64 NumPy (bias correction folded into alpha; epsilon outside the sqrt)."""
    w = [x.astype("float64") for x in init]
    m = [np.zeros_like(x) for x in w]
    v = [np.zeros_like(x) for x in w]
    v_hat = [np.zeros_like(x) for x in w]
    for t, step in enumerate(grads, start=1):
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        for i, g in enumerate(step):
            g = g.astype("float64")
            m[i] = beta_1 * m[i] + (1 - beta_1) * g
            v[i] = beta_2 * v[i] + (1 - beta_2) * g**2
            denominator = v[i]
            if amsgrad:
                v_hat[i] = np.maximum(v_hat[i], v[i])
                denominator = v_hat[i]
            w[i] = w[i] - alpha * m[i] / (np.sqrt(denominator) + epsilon)
    return w


def test_single_step_golden():
    opt = Adam(learning_rate=0.5)
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    opt.apply_gradients(zip([np.array([1.0, 6.0, 7.0, 2.0], "float32")], [v]))
    np.testing.assert_allclose(v.numpy(), [0.5, 1.5, 2.5, 3.5], rtol=1e-4, atol=1e-4)


def test_amsgrad_golden_trajectory():
    golden = np.tile([[0.999], [0.9982], [0.9974], [0.9965], [0.9955]], (1, 10))
    opt = Adam(amsgrad=True)
    x = numkeras.Variable(np.ones(10))
    grads = np.arange(0.1, 1.1, 0.1).astype("float32")
    opt.apply_gradients(zip([np.full(10, 0.01, "float32")], [x]))
    for row in golden:
        np.testing.assert_allclose(x.numpy(), row, rtol=5e-4, atol=5e-4)
        opt.apply_gradients(zip([grads], [x]))


def test_epsilon_is_outside_the_square_root():
    v = numkeras.Variable([0.0], dtype="float64")
    g = 1e-6
    Adam(learning_rate=1.0, epsilon=1e-3).apply_gradients([(np.array([g]), v)])
    # step 1: m = 0.1 g, v = 0.001 g^2, alpha = sqrt(0.001) / 0.1
    alpha = np.sqrt(1 - 0.999) / (1 - 0.9)
    np.testing.assert_allclose(v.numpy(), [-alpha * 0.1 * g / (np.sqrt(0.001) * g + 1e-3)], rtol=1e-12)


@pytest.mark.parametrize("kwargs", [{}, {"amsgrad": True},
                                    {"beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5, "amsgrad": True}])
def test_matches_float64_reference(kwargs):
    opt = Adam(0.01, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    expected = reference_adam(init, grads, 0.01, **kwargs)
    for got, want in zip(final, expected):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert int(opt.iterations.numpy()) == 6
