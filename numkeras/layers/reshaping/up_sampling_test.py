"""UpSampling1D/2D/3D: values vs loop references, gradients, shapes, config, errors."""
import itertools

import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.core.input_layer import Input
from numkeras.layers.reshaping import UpSampling1D, UpSampling2D, UpSampling3D


def nearest_reference(x, factors, data_format):
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    out_spatial = [n * f for n, f in zip(x.shape[1:-1], factors)]
    out = np.zeros((x.shape[0], *out_spatial, x.shape[-1]))
    for pos in itertools.product(*(range(n) for n in out_spatial)):
        out[(slice(None), *pos)] = x[(slice(None), *(p // f for p, f in zip(pos, factors)))]
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def bilinear_reference(x, factors, data_format):
    """Per output pixel: sample at half-pixel centres, clamp to the edge, blend the four neighbours."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    height, width = x.shape[1:3]
    out = np.zeros((x.shape[0], height * factors[0], width * factors[1], x.shape[-1]))
    for i, j in itertools.product(range(out.shape[1]), range(out.shape[2])):
        r = min(max((i + 0.5) / factors[0] - 0.5, 0.0), height - 1.0)
        c = min(max((j + 0.5) / factors[1] - 0.5, 0.0), width - 1.0)
        r0, c0 = int(np.floor(r)), int(np.floor(c))
        r1, c1 = min(r0 + 1, height - 1), min(c0 + 1, width - 1)
        dr, dc = r - r0, c - c0
        out[:, i, j] = ((1 - dr) * (1 - dc) * x[:, r0, c0] + (1 - dr) * dc * x[:, r0, c1]
                        + dr * (1 - dc) * x[:, r1, c0] + dr * dc * x[:, r1, c1])
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


CASES = [
    (UpSampling2D, (3, 4), {}, (2, 2)),
    (UpSampling2D, (3, 4), {"size": (3, 1)}, (3, 1)),
    (UpSampling2D, (3, 4), {"size": 2, "interpolation": "bilinear"}, (2, 2)),
    (UpSampling2D, (3, 4), {"size": (1, 3), "interpolation": "Bilinear"}, (1, 3)),
    (UpSampling3D, (2, 3, 2), {}, (2, 2, 2)),
    (UpSampling3D, (2, 3, 2), {"size": (1, 2, 3)}, (1, 2, 3)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls,spatial,kwargs,factors", CASES, ids=[f"{c[0].__name__}-{c[2]}" for c in CASES])
def test_values_shapes_and_gradients(cls, spatial, kwargs, factors, data_format):
    shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
    x = np.random.default_rng(0).standard_normal(shape)
    layer = cls(data_format=data_format, **kwargs)
    out = layer(x.astype("float32"))
    bilinear = kwargs.get("interpolation", "nearest").lower() == "bilinear"
    expected = (bilinear_reference if bilinear else nearest_reference)(x, factors, data_format)
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape(shape) == out.shape
    assert layer(Input(shape=shape[1:])).shape == (None,) + out.shape[1:]
    check_gradients(cls(data_format=data_format, dtype="float64", **kwargs), x[:1])


def test_upsampling_1d():
    x = np.random.default_rng(0).standard_normal((2, 4, 3))
    layer = UpSampling1D(3)
    np.testing.assert_allclose(layer(x).numpy(), nearest_reference(x, (3,), "channels_last"), rtol=1e-6)
    assert layer.compute_output_shape((None, 4, 3)) == (None, 12, 3)
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 3)
    check_gradients(UpSampling1D(3, dtype="float64"), x)


def test_bilinear_matches_tf_and_torch_half_pixel_values():
    # tf.image.resize(bilinear) and torch interpolate(align_corners=False) give these for [0, 1] -> 4 cells.
    out = UpSampling2D((2, 1), interpolation="bilinear")(np.array([0.0, 1.0]).reshape(1, 2, 1, 1))
    np.testing.assert_allclose(out.numpy().ravel(), [0, 0.25, 0.75, 1])


def test_keras_docstring_example_nearest():
    x = np.arange(12).reshape(2, 2, 1, 3)
    out = UpSampling2D(size=(1, 2))(x).numpy()
    np.testing.assert_array_equal(out[0, 0], [[0, 1, 2], [0, 1, 2]])
    assert out.shape == (2, 2, 2, 3)


def test_defaults_and_config_round_trip():
    assert UpSampling1D().size == 2 and "data_format" not in UpSampling1D().get_config()
    layer = UpSampling2D()
    assert (layer.size, layer.data_format, layer.interpolation) == ((2, 2), "channels_last", "nearest")
    assert UpSampling3D().size == (2, 2, 2)
    layer = UpSampling2D((2, 3), data_format="channels_first", interpolation="bilinear", name="up")
    config = layer.get_config()
    assert (config["size"], config["interpolation"], config["data_format"]) == ((2, 3), "bilinear", "channels_first")
    again = UpSampling2D.from_config(config)
    assert again.get_config() == config
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 3))
    np.testing.assert_array_equal(again(x).numpy(), layer(x).numpy())


def test_bad_arguments_and_inputs():
    with pytest.raises(TypeError, match="UpSampling1D: size must be an integer. Received: size=2.0"):
        UpSampling1D(2.0)
    with pytest.raises(ValueError, match="UpSampling1D: size must be a positive integer. Received: size=0"):
        UpSampling1D(0)
    with pytest.raises(ValueError, match=r"UpSampling2D: size must be a positive integer or a tuple of 2"):
        UpSampling2D((2, 0))
    with pytest.raises(ValueError, match=r"interpolation must be one of \('nearest', 'bilinear'\)"):
        UpSampling2D(interpolation="lanczos3")
    with pytest.raises(ValueError, match=r"layer 'up' is incompatible .* expected ndim=4, found ndim=3"):
        UpSampling2D(name="up")(np.zeros((1, 4, 4)))
