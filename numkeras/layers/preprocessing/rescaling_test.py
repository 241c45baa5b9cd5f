import numpy as np

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.preprocessing import Rescaling


def test_scales_and_offsets_uint8_into_float32():
    x = np.array([[0, 127, 255]], "uint8")
    out = Rescaling(1 / 127.5, offset=-1)(x).numpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x / 127.5 - 1, atol=1e-6)


def test_per_channel_scale_and_config_round_trip():
    layer = Rescaling(np.array([1.0, 2.0, 3.0]), offset=0.5)
    out = layer(np.ones((2, 4, 4, 3), "float32")).numpy()
    np.testing.assert_allclose(out[0, 0, 0], [1.5, 2.5, 3.5])
    clone = Rescaling.from_config(layer.get_config())
    assert clone.scale == [1.0, 2.0, 3.0] and clone.offset == 0.5


def test_same_in_training_and_inference_and_differentiable():
    layer = Rescaling(2.0, dtype="float64")
    x = np.random.default_rng(0).random((2, 3))
    np.testing.assert_array_equal(layer(x, training=True).numpy(), layer(x).numpy())
    check_gradients(lambda a: layer(a), x)
    assert layer.compute_output_shape((None, 3)) == (None, 3) and layer.count_params() == 0
