"""GaussianDropout: mean preserved, variance rate/(1-rate), identity at inference, seeds, config."""
import numpy as np
import pytest

from numkeras import GradientTape, Variable
from numkeras.layers.regularization import GaussianDropout


def test_multiplicative_noise_keeps_the_mean():
    x = np.full((300, 100), 2.0, "float32")
    out = GaussianDropout(0.2, seed=0)(x, training=True).numpy()
    assert out.dtype == np.float32
    factor = out / x
    assert abs(factor.mean() - 1) < 0.01
    assert abs(factor.std() - np.sqrt(0.2 / 0.8)) < 0.01


def test_identity_at_inference():
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    layer = GaussianDropout(0.5)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_array_equal(GaussianDropout(0.0)(x, training=True).numpy(), x)


def test_seeded_layers_repeat():
    x = np.ones((3, 4), "float32")
    a = GaussianDropout(0.4, seed=9)(x, training=True).numpy()
    np.testing.assert_array_equal(GaussianDropout(0.4, seed=9)(x, training=True).numpy(), a)
    assert not np.array_equal(GaussianDropout(0.4, seed=10)(x, training=True).numpy(), a)


def test_gradient_is_the_noise():
    x = Variable(np.ones((2, 3), "float32"))
    with GradientTape() as tape:
        y = GaussianDropout(0.3, seed=0)(x, training=True)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), y.numpy())  # d(x*n)/dx = n = y for x = 1


def test_config_round_trip_and_bad_rate():
    layer = GaussianDropout(0.3, seed=2, name="gd")
    config = layer.get_config()
    assert config["rate"] == 0.3 and config["seed"] == 2
    assert GaussianDropout.from_config(config).get_config() == config
    for rate in (-0.1, 1.0):
        with pytest.raises(ValueError, match="rate"):
            GaussianDropout(rate)
