"""The contract every augmentation layer keeps: identity at inference, changes in training, seeds repeat."""
import numpy as np
import pytest

from numkeras import models
from numkeras.engine import image_ops
from numkeras.layers.core.dense import Dense
from numkeras.layers.core.input_layer import Input
from numkeras.layers.reshaping.flatten import Flatten
from numkeras.layers.preprocessing import (RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation,
                                           RandomZoom, Rescaling)
from numkeras.layers.preprocessing.base_image_layer import parse_factor
from numkeras.utils.rng_utils import set_random_seed

MAKERS = {
    "flip": lambda seed: RandomFlip(seed=seed),
    "rotation": lambda seed: RandomRotation(0.2, seed=seed),
    "zoom": lambda seed: RandomZoom(0.3, seed=seed),
    "translation": lambda seed: RandomTranslation(0.2, 0.2, seed=seed),
    "contrast": lambda seed: RandomContrast(0.5, seed=seed),
    "crop": lambda seed: RandomCrop(10, 9, seed=seed),
}


def images(n=8):
    return (np.random.default_rng(42).random((n, 12, 12, 3)) * 255).astype("float32")


@pytest.mark.parametrize("name", MAKERS)
def test_identity_at_inference(name):
    layer, x = MAKERS[name](1), images()
    for training in (None, False):
        out = layer(x, training=training).numpy()
        if name == "crop":  # the centre window with the target aspect ratio, resized, whatever the draws
            np.testing.assert_array_equal(out, image_ops.resize(x, (10, 9), crop_to_aspect_ratio=True).numpy())
        else:
            np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize("name", MAKERS)
def test_changes_the_input_in_training_and_keeps_float32(name):
    layer, x = MAKERS[name](1), images()
    out = layer(x, training=True).numpy()
    assert out.dtype == np.float32
    assert out.shape != x.shape or not np.array_equal(out, x)
    assert layer(x.astype("uint8"), training=True).dtype == "float32"


@pytest.mark.parametrize("name", MAKERS)
def test_a_fixed_seed_gives_a_fixed_result(name):
    x = images()
    a, b = MAKERS[name](7), MAKERS[name](7)
    first = a(x, training=True).numpy()
    np.testing.assert_array_equal(first, b(x, training=True).numpy())
    second = a(x, training=True).numpy()  # the layer's generator moves on: the next batch differs
    np.testing.assert_array_equal(second, b(x, training=True).numpy())
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("name", MAKERS)
def test_without_a_seed_set_random_seed_repeats_the_run(name):
    x = images()
    set_random_seed(3)
    first = MAKERS[name](None)(x, training=True).numpy()
    set_random_seed(3)
    np.testing.assert_array_equal(MAKERS[name](None)(x, training=True).numpy(), first)


@pytest.mark.parametrize("name", MAKERS)
def test_single_image_channels_first_and_config(name):
    layer = MAKERS[name](5)
    x = images(1)
    assert layer(x[0], training=True).shape == layer(x, training=True).shape[1:]
    first = type(layer).from_config({**layer.get_config(), "data_format": "channels_first", "name": "cf"})
    out = first(x.transpose(0, 3, 1, 2), training=True)
    assert out.shape[1] == 3
    assert type(layer).from_config(layer.get_config()).get_config() == layer.get_config()


def test_augmentation_runs_only_in_fit_inside_a_model():
    set_random_seed(0)
    model = models.Sequential([Input(shape=(12, 12, 3)), RandomFlip("horizontal", seed=1), RandomRotation(0.1, seed=2),
                               Rescaling(1 / 255), Flatten(), Dense(2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    x, y = images(16), np.arange(16) % 2
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))
    assert model.output_shape == (None, 2)


def test_parse_factor():
    assert parse_factor(0.2, "factor") == (-0.2, 0.2)
    assert parse_factor((0.3, -0.1), "factor") == (-0.1, 0.3)
    with pytest.raises(ValueError, match=r"RandomX: factor must be .*\[-1.0, 1.0\]. Received: factor=1.5"):
        parse_factor(1.5, "factor", layer="RandomX")
    with pytest.raises(ValueError, match="Received: height_factor=-1.0"):
        parse_factor(-1.0, "height_factor", low_open=True)
    with pytest.raises(ValueError, match="factor"):
        parse_factor("big", "factor")
