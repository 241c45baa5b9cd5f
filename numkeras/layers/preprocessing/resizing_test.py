import numpy as np
import pytest

from numkeras import models
from numkeras.layers.core.input_layer import Input
from numkeras.layers.preprocessing import CenterCrop, Resizing
from numkeras.engine.image_ops_test import loop_bilinear_resize


def test_resizing_matches_an_independent_bilinear_loop_in_training_and_inference():
    x = np.random.default_rng(0).random((2, 5, 7, 3)).astype("float32")
    layer = Resizing(8, 4)
    out = layer(x).numpy()
    assert out.shape == (2, 8, 4, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out[1], loop_bilinear_resize(x[1], 8, 4), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(layer(x, training=True).numpy(), out)


def test_single_image_and_channels_first():
    x = np.random.default_rng(1).random((5, 7, 3)).astype("float32")
    out = Resizing(3, 3)(x).numpy()
    assert out.shape == (3, 3, 3)
    first = Resizing(3, 3, data_format="channels_first")(x.transpose(2, 0, 1)[None]).numpy()
    np.testing.assert_allclose(first[0].transpose(1, 2, 0), out, rtol=1e-6)


def test_crop_to_aspect_ratio_and_integer_images():
    x = np.arange(4 * 8, dtype="uint8").reshape(1, 4, 8, 1)
    out = Resizing(4, 4, crop_to_aspect_ratio=True)(x).numpy()
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, x[:, :, 2:6])


def test_output_shape_config_and_errors():
    layer = Resizing(10, 12, interpolation="nearest")
    assert layer.compute_output_shape((None, 3, 4, 3)) == (None, 10, 12, 3)
    assert Resizing(10, 12, data_format="channels_first").compute_output_shape((None, 3, 4, 5)) == (None, 3, 10, 12)
    assert Resizing.from_config(layer.get_config()).interpolation == "nearest"
    with pytest.raises(ValueError, match="interpolation='cubic'"):
        Resizing(2, 2, interpolation="cubic")
    with pytest.raises(ValueError, match=r"resizing.*rank 3.*rank 4.*\(2, 3\)"):
        Resizing(2, 2)(np.zeros((2, 3), "float32"))


def test_in_a_model_with_symbolic_shapes():
    model = models.Sequential([Input(shape=(32, 30, 3)), Resizing(16, 16), CenterCrop(12, 10)])
    assert model.output_shape == (None, 12, 10, 3)
    assert model.predict(np.zeros((3, 32, 30, 3), "float32"), verbose=0).shape == (3, 12, 10, 3)
