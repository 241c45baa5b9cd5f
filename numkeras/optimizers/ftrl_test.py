import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Ftrl
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_ftrl(init, grads, lr, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                   l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                   l2_shrinkage_regularization_strength=0.0, beta=0.0):
    """FTRL-Proximal (McMahan et al. 2013, Algorithm 1) as Keras generalizes it, in float64."""
    p = -learning_rate_power
    w = [x.astype("float64") for x in init]
    n = [np.full_like(x, initial_accumulator_value) for x in w]
    z = [np.zeros_like(x) for x in w]
    l1, l2 = l1_regularization_strength, l2_regularization_strength + beta / (2 * lr)
    for step in grads:
        for i, g in enumerate(step):
            g = g.astype("float64")
            shrunk = g + 2 * l2_shrinkage_regularization_strength * w[i]
            sigma = ((n[i] + g**2) ** p - n[i] ** p) / lr
            z[i] = z[i] + shrunk - sigma * w[i]
            n[i] = n[i] + g**2
            w[i] = np.where(np.abs(z[i]) <= l1, 0.0,
                            -(z[i] - np.sign(z[i]) * l1) / (n[i] ** p / lr + 2 * l2))
    return w


KERAS_CONFIG = dict(learning_rate=0.05, learning_rate_power=-0.2, initial_accumulator_value=0.4,
                    l1_regularization_strength=0.05, l2_regularization_strength=0.15,
                    l2_shrinkage_regularization_strength=0.01, beta=0.3)


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    Ftrl(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.2218, 1.3954, 2.3651, 2.8814], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = [[0.0] * 10,
              [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
              [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
              [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
              [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299]]
    for got, want in zip(keras_trajectory(Ftrl(**KERAS_CONFIG)), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {k: v for k, v in KERAS_CONFIG.items() if k != "learning_rate"},
                                    {"learning_rate_power": 0.0, "l1_regularization_strength": 0.01},
                                    {"learning_rate_power": -1.0, "initial_accumulator_value": 1.0, "beta": 1.0}])
def test_matches_float64_reference(kwargs):
    opt = Ftrl(0.1, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_ftrl(init, grads, 0.1, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_l1_makes_weights_exactly_zero():
    v = numkeras.Variable(np.ones(4))
    Ftrl(0.1, l1_regularization_strength=10.0).apply_gradients([(np.full(4, 0.5, "float32"), v)])
    assert (v.numpy() == 0).all()


@pytest.mark.parametrize("arg,value,sign", [("initial_accumulator_value", -0.1, "positive"),
                                            ("learning_rate_power", 0.1, "negative"),
                                            ("l1_regularization_strength", -0.1, "positive"),
                                            ("l2_regularization_strength", -0.1, "positive"),
                                            ("l2_shrinkage_regularization_strength", -0.1, "positive")])
def test_invalid_arguments(arg, value, sign):
    with pytest.raises(ValueError, match=rf"^`{arg}` needs to be {sign} or zero. Received: {arg}={value}.$"):
        Ftrl(**{arg: value})
