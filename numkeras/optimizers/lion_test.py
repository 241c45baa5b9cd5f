import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Lion
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_lion(init, grads, lr, beta_1=0.9, beta_2=0.99):
    """Lion (Chen et al. 2023, Algorithm 2 without decay) in float64."""
    w = [x.astype("float64") for x in init]
    m = [np.zeros_like(x) for x in w]
    for step in grads:
        for i, g in enumerate(step):
            g = g.astype("float64")
            w[i] = w[i] - lr * np.sign(beta_1 * m[i] + (1 - beta_1) * g)
            m[i] = beta_2 * m[i] + (1 - beta_2) * g
    return w


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    Lion(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.5, 1.5, 2.5, 3.5], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = np.tile([[0.999], [0.998], [0.997], [0.996], [0.995]], (1, 10))
    for got, want in zip(keras_trajectory(Lion()), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {"beta_1": 0.5, "beta_2": 0.67}, {"beta_1": 1.0, "beta_2": 0.9}])
def test_matches_float64_reference(kwargs):
    opt = Lion(0.01, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_lion(init, grads, 0.01, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("beta_1", [-0.1, 0.0, 1.1])
def test_invalid_beta_1(beta_1):
    with pytest.raises(ValueError, match=rf"`beta_1` must be in the \[0, 1\] range. Otherwise, the optimizer "
                                         rf"degenerates to SignSGD. Received: beta_1={beta_1}."):
        Lion(beta_1=beta_1)
