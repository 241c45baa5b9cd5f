import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Nadam
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_nadam(init, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Nadam with Keras's momentum schedule mu_t = beta_1 (1 - 0.5 * 0.96^t), in float64."""
    w = [x.astype("float64") for x in init]
    m = [np.zeros_like(x) for x in w]
    v = [np.zeros_like(x) for x in w]
    mu = lambda t: beta_1 * (1 - 0.5 * 0.96**t)  # noqa: E731
    mu_product = 1.0
    for t, step in enumerate(grads, start=1):
        mu_product *= mu(t)
        for i, g in enumerate(step):
            g = g.astype("float64")
            m[i] = beta_1 * m[i] + (1 - beta_1) * g
            v[i] = beta_2 * v[i] + (1 - beta_2) * g**2
            m_hat = mu(t + 1) * m[i] / (1 - mu_product * mu(t + 1)) + (1 - mu(t)) * g / (1 - mu_product)
            v_hat = v[i] / (1 - beta_2**t)
            w[i] = w[i] - lr * m_hat / (np.sqrt(v_hat) + epsilon)
    return w


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    Nadam(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.4686, 1.4686, 2.4686, 3.4686], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = [[0.4281] * 10,
              [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
              [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
              [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
              [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454]]
    opt = Nadam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5)
    for got, want in zip(keras_trajectory(opt), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {"beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5}])
def test_matches_float64_reference(kwargs):
    opt = Nadam(0.01, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_nadam(init, grads, 0.01, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_momentum_product_is_state_and_advances_once_per_step():
    a, b = numkeras.Variable([1.0], name="a"), numkeras.Variable([1.0], name="b")
    opt = Nadam()
    opt.build([a, b])
    assert [v.name for v in opt.variables] == ["iteration", "learning_rate", "a_momentum", "a_velocity",
                                               "b_momentum", "b_velocity", "u_product"]
    for _ in range(3):
        opt.apply_gradients([(np.ones(1, "float32"), a), (np.ones(1, "float32"), b)])
    expected = np.prod([0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)])
    np.testing.assert_allclose(float(opt._u_product.numpy()), expected, rtol=1e-6)
    empty = Nadam()
    empty.build([])
    assert empty._u_product.dtype == "float32"
