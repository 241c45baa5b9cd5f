"""MaxPooling1D/2D/3D: values vs a direct-loop reference, gradients, shapes, config, errors."""
import json

import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.pool_ops_test import distinct, reference_pool
from numkeras.layers.core.input_layer import Input
from numkeras.layers.pooling import MaxPool2D, MaxPooling1D, MaxPooling2D, MaxPooling3D

# (class, spatial input shape, kwargs)
CASES = [
    (MaxPooling1D, (7,), {}),
    (MaxPooling1D, (7,), {"pool_size": 3, "strides": 2, "padding": "same"}),
    (MaxPooling2D, (6, 7), {}),
    (MaxPooling2D, (6, 7), {"pool_size": (3, 2), "strides": 1, "padding": "SAME"}),
    (MaxPooling2D, (7, 6), {"pool_size": 3, "strides": (2, 1)}),
    (MaxPooling3D, (4, 5, 4), {}),
    (MaxPooling3D, (4, 5, 4), {"pool_size": (2, 3, 2), "strides": (1, 2, 2), "padding": "same"}),
]
IDS = [f"{cls.__name__}-{kwargs}" for cls, _, kwargs in CASES]


def _input(spatial, data_format, batch=2, channels=3, seed=0):
    shape = (batch, *spatial, channels) if data_format == "channels_last" else (batch, channels, *spatial)
    return distinct(shape, seed)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls,spatial,kwargs", CASES, ids=IDS)
def test_values_shapes_and_gradients(cls, spatial, kwargs, data_format):
    layer = cls(data_format=data_format, **kwargs)
    x = _input(spatial, data_format)
    out = layer(x.astype("float32"))
    expected = reference_pool(x, layer.pool_size, layer.strides, layer.padding, data_format, "max")
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert layer.compute_output_shape(x.shape) == out.shape
    batchless = (None,) + x.shape[1:]
    assert layer.compute_output_shape(batchless) == (None,) + out.shape[1:]
    assert layer(Input(shape=x.shape[1:])).shape == (None,) + out.shape[1:]
    check_gradients(cls(data_format=data_format, dtype="float64", **kwargs), _input(spatial, data_format, 1, 2))


def test_defaults_and_alias():
    assert (MaxPooling1D().pool_size, MaxPooling2D().pool_size, MaxPooling3D().pool_size) == ((2,), (2, 2), (2, 2, 2))
    layer = MaxPooling2D(pool_size=3)
    assert (layer.strides, layer.padding, layer.data_format) == ((3, 3), "valid", "channels_last")
    assert layer.built and layer.weights == [] and layer.count_params() == 0
    assert MaxPool2D is MaxPooling2D


def test_keras_docstring_examples():
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    out = MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="valid")(x)
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], [[5, 6], [8, 9]])
    x = np.arange(1.0, 13.0).reshape(1, 3, 4, 1)
    np.testing.assert_array_equal(MaxPooling2D(2, 2)(x).numpy()[0, :, :, 0], [[6, 8]])
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    out = MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same")(x)
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], [[5, 6, 6], [8, 9, 9], [8, 9, 9]])
    x = np.array([1.0, 2, 3, 4, 5]).reshape(1, 5, 1)
    np.testing.assert_array_equal(MaxPooling1D(2, strides=1)(x).numpy().ravel(), [2, 3, 4, 5])
    np.testing.assert_array_equal(MaxPooling1D(2, strides=2, padding="same")(x).numpy().ravel(), [2, 4, 5])


def test_book_convnet_shapes():
    assert MaxPooling2D((2, 2)).compute_output_shape((None, 26, 26, 32)) == (None, 13, 13, 32)
    assert MaxPooling2D((2, 2)).compute_output_shape((None, 11, 11, 64)) == (None, 5, 5, 64)


def test_config_round_trip():
    layer = MaxPooling2D(pool_size=(3, 2), strides=1, padding="same", data_format="channels_first", name="pool")
    config = layer.get_config()
    assert {k: config[k] for k in ("name", "pool_size", "strides", "padding", "data_format")} == {
        "name": "pool", "pool_size": (3, 2), "strides": (1, 1), "padding": "same", "data_format": "channels_first"}
    again = MaxPooling2D.from_config(json.loads(json.dumps(config)))  # as a saved file gives it back
    assert again.get_config() == config
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 5))
    np.testing.assert_array_equal(again(x).numpy(), layer(x).numpy())


def test_pool_larger_than_input_names_layer_and_shapes():
    layer = MaxPooling2D(pool_size=(3, 3), name="pool")
    match = r"Layer 'pool' \(MaxPooling2D\): pool_size=\(3, 3\) does not fit .* input shape \(1, 2, 5, 1\)"
    with pytest.raises(ValueError, match=match):
        layer(np.zeros((1, 2, 5, 1)))
    with pytest.raises(ValueError, match=r"input shape \(None, 2, 2, 1\)"):
        layer(Input(shape=(2, 2, 1)))
    assert MaxPooling2D((3, 3), padding="same")(np.zeros((1, 2, 2, 1))).shape == (1, 1, 1, 1)


def test_wrong_rank_names_layer_and_shape():
    with pytest.raises(ValueError, match=r"Input 0 of layer 'mp' is incompatible with the layer: expected ndim=4, "
                                         r"found ndim=3. Full shape received: \(2, 28, 28\). MaxPooling2D takes "
                                         r"inputs shaped \(batch, height, width, channels\)"):
        MaxPooling2D(name="mp")(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match=r"expected ndim=3, found ndim=4.*\(batch, channels, steps\)"):
        MaxPooling1D(data_format="channels_first")(np.zeros((2, 3, 4, 5)))


@pytest.mark.parametrize("kwargs,match", [
    ({"pool_size": 0}, r"MaxPooling2D: pool_size must be a positive integer or a tuple of 2 positive integers. "
                       r"Received: pool_size=0"),
    ({"pool_size": (2, 2, 2)}, "pool_size must be .* tuple of 2"),
    ({"strides": (1, -1)}, r"strides must be .*Received: strides=\(1, -1\)"),
    ({"padding": "full"}, "padding must be 'valid' or 'same'. Received: padding='full'"),
    ({"data_format": "NHWC"}, "data_format must be 'channels_last' or 'channels_first'. Received: data_format='nhwc'"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MaxPooling2D(**kwargs)
