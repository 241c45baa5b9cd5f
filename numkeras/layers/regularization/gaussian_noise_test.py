"""GaussianNoise: noise statistics in training, identity at inference, seeds, gradient, config."""
import numpy as np
import pytest

from numkeras import GradientTape, Variable
from numkeras.layers.regularization import GaussianNoise
from numkeras.utils import set_random_seed


def test_adds_zero_mean_noise_of_the_given_stddev_in_training():
    x = np.full((200, 100), 3.0, "float32")
    out = GaussianNoise(0.5, seed=0)(x, training=True).numpy()
    assert out.dtype == np.float32
    noise = out - x
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.5) < 0.01
    assert GaussianNoise(0.5, dtype="float64")(x.astype("float64"), training=True).dtype == "float64"


def test_identity_at_inference():
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    layer = GaussianNoise(0.3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_array_equal(GaussianNoise(0.0)(x, training=True).numpy(), x)


def test_seeded_layers_repeat_and_the_global_seed_works():
    x = np.zeros((3, 4), "float32")
    layer = GaussianNoise(0.2, seed=5)
    a, b = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert not np.array_equal(a, b)  # a fresh draw every call
    again = GaussianNoise(0.2, seed=5)
    np.testing.assert_array_equal(again(x, training=True).numpy(), a)
    np.testing.assert_array_equal(again(x, training=True).numpy(), b)
    set_random_seed(1)
    c = GaussianNoise(0.2)(x, training=True).numpy()
    set_random_seed(1)
    np.testing.assert_array_equal(GaussianNoise(0.2)(x, training=True).numpy(), c)


def test_gradient_passes_through():
    x = Variable(np.ones((2, 3), "float32"))
    with GradientTape() as tape:
        y = GaussianNoise(0.1, seed=0)(x, training=True)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), 1)


def test_config_round_trip_and_bad_stddev():
    layer = GaussianNoise(0.25, seed=3, name="noise")
    config = layer.get_config()
    assert config["stddev"] == 0.25 and config["seed"] == 3 and config["name"] == "noise"
    assert GaussianNoise.from_config(config).get_config() == config
    assert layer.compute_output_shape((None, 7)) == (None, 7)
    with pytest.raises(ValueError, match="stddev"):
        GaussianNoise(-0.1)
