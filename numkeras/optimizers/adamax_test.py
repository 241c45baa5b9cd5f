import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Adamax
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_adamax(init, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Adamax (Kingma & Ba, section 7.1) in float64, with Keras's epsilon added to the norm."""
    w = [x.astype("float64") for x in init]
    m = [np.zeros_like(x) for x in w]
    u = [np.zeros_like(x) for x in w]
    for t, step in enumerate(grads, start=1):
        for i, g in enumerate(step):
            g = g.astype("float64")
            m[i] = beta_1 * m[i] + (1 - beta_1) * g
            u[i] = np.maximum(beta_2 * u[i], np.abs(g))
            w[i] = w[i] - (lr / (1 - beta_1**t)) * m[i] / (u[i] + epsilon)
    return w


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    Adamax(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.5, 1.5, 2.5, 3.5], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = [[0.8] * 10,
              [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
              [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
              [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
              [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126]]
    opt = Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6)
    for got, want in zip(keras_trajectory(opt), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {"beta_1": 0.85, "beta_2": 0.95, "epsilon": 1e-6}])
def test_matches_float64_reference(kwargs):
    opt = Adamax(0.01, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_adamax(init, grads, 0.01, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_slots():
    v = numkeras.Variable([1.0, 2.0], name="k")
    opt = Adamax()
    opt.build([v])
    assert [s.name for s in opt.variables[2:]] == ["k_momentum", "k_norm"]
