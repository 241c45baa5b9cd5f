import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Adam, AdamW
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_adamw(init, grads, lr, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    """AdamW in float64: decoupled decay w *= 1 - wd * lr, then Keras's Adam step."""
    w = [x.astype("float64") for x in init]
    m = [np.zeros_like(x) for x in w]
    v = [np.zeros_like(x) for x in w]
    v_max = [np.zeros_like(x) for x in w]
    for t, step in enumerate(grads, start=1):
        for i, g in enumerate(step):
            g = g.astype("float64")
            w[i] = w[i] - w[i] * weight_decay * lr
            m[i] = beta_1 * m[i] + (1 - beta_1) * g
            v[i] = beta_2 * v[i] + (1 - beta_2) * g * g
            v_max[i] = np.maximum(v_max[i], v[i])
            m_hat = m[i] / (1 - beta_1**t)
            v_hat = (v_max[i] if amsgrad else v[i]) / (1 - beta_2**t)
            # Keras folds the bias corrections into the step size, so epsilon is scaled by sqrt(1 - beta_2^t).
            w[i] = w[i] - lr * m_hat / (np.sqrt(v_hat) + epsilon / np.sqrt(1 - beta_2**t))
    return w


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    AdamW(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.4980, 1.4960, 2.494, 3.492], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = [[0.4998] * 10,
              [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
              [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
              [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
              [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159]]
    for got, want in zip(keras_trajectory(AdamW(learning_rate=1.0, weight_decay=0.5, epsilon=2)), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {"weight_decay": 0.1, "amsgrad": True},
                                    {"weight_decay": 0.05, "beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5}])
def test_matches_float64_reference(kwargs):
    opt = AdamW(0.01, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_adamw(init, grads, 0.01, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_is_adam_with_decoupled_decay_and_requires_weight_decay():
    assert issubclass(AdamW, Adam) and AdamW().weight_decay == 0.004
    assert AdamW(0.1, 0.01).weight_decay == 0.01  # weight_decay is the second positional argument
    with pytest.raises(ValueError, match="Argument `weight_decay` must be a float. Received: weight_decay=None"):
        AdamW(weight_decay=None)
