"""AveragePooling1D/2D/3D: values vs a direct-loop reference, gradients, shapes, config, errors."""
import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.pool_ops_test import reference_pool
from numkeras.layers.core.input_layer import Input
from numkeras.layers.pooling import AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D

CASES = [
    (AveragePooling1D, (7,), {"pool_size": 2}),
    (AveragePooling1D, (7,), {"pool_size": 3, "strides": 2, "padding": "same"}),
    (AveragePooling2D, (6, 7), {"pool_size": (2, 2)}),
    (AveragePooling2D, (5, 7), {"pool_size": 2, "padding": "same"}),
    (AveragePooling2D, (6, 7), {"pool_size": (3, 2), "strides": 1, "padding": "same"}),
    (AveragePooling2D, (7, 6), {"pool_size": 3, "strides": (2, 1)}),
    (AveragePooling3D, (4, 5, 4), {"pool_size": 2}),
    (AveragePooling3D, (4, 5, 4), {"pool_size": (2, 3, 2), "strides": (1, 2, 2), "padding": "same"}),
]
IDS = [f"{cls.__name__}-{kwargs}" for cls, _, kwargs in CASES]


def _input(spatial, data_format, batch=2, channels=3, seed=0):
    shape = (batch, *spatial, channels) if data_format == "channels_last" else (batch, channels, *spatial)
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls,spatial,kwargs", CASES, ids=IDS)
def test_values_shapes_and_gradients(cls, spatial, kwargs, data_format):
    layer = cls(data_format=data_format, **kwargs)
    x = _input(spatial, data_format)
    out = layer(x.astype("float32"))
    expected = reference_pool(x, layer.pool_size, layer.strides, layer.padding, data_format, "average")
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(x.shape) == out.shape
    assert layer(Input(shape=x.shape[1:])).shape == (None,) + out.shape[1:]
    check_gradients(cls(data_format=data_format, dtype="float64", **kwargs), _input(spatial, data_format, 1, 2))


def test_same_padding_averages_real_cells_only():
    # Keras's docstring example: the last window holds [3] only, so its mean is 3, not 1.5.
    x = np.array([1.0, 2.0, 3.0]).reshape(1, 3, 1)
    out = AveragePooling1D(pool_size=2, strides=1, padding="same")(x)
    np.testing.assert_allclose(out.numpy().ravel(), [1.5, 2.5, 3.0])
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    out = AveragePooling2D(pool_size=(2, 2), strides=(1, 1), padding="same")(x)
    np.testing.assert_allclose(out.numpy()[0, :, :, 0], [[3, 4, 4.5], [6, 7, 7.5], [7.5, 8.5, 9]])


def test_defaults_alias_and_config_round_trip():
    layer = AveragePooling2D(3)
    assert (layer.pool_size, layer.strides, layer.padding, layer.data_format) == ((3, 3), (3, 3), "valid",
                                                                                  "channels_last")
    assert AvgPool1D is AveragePooling1D
    with pytest.raises(TypeError):
        AveragePooling2D()  # Keras: pool_size has no default for average pooling
    layer = AveragePooling3D((1, 2, 2), strides=(1, 1, 2), padding="same", data_format="channels_first", name="ap")
    config = layer.get_config()
    assert config["pool_size"] == (1, 2, 2) and config["strides"] == (1, 1, 2) and config["name"] == "ap"
    again = AveragePooling3D.from_config(config)
    assert again.get_config() == config
    x = np.random.default_rng(0).standard_normal((2, 3, 2, 4, 5))
    np.testing.assert_array_equal(again(x).numpy(), layer(x).numpy())


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"Layer 'avg' \(AveragePooling1D\): pool_size=\(4,\) does not fit .* "
                                         r"input shape \(2, 3, 1\)"):
        AveragePooling1D(4, name="avg")(np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match=r"layer 'avg3' .* expected ndim=5, found ndim=4. Full shape received: "
                                         r"\(None, 4, 4, 4\)"):
        AveragePooling3D(2, name="avg3")(Input(shape=(4, 4, 4)))
