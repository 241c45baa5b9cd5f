"""Cropping1D/2D/3D: values vs a loop reference, gradients, shapes, config, errors."""
import itertools
import json

import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.core.input_layer import Input
from numkeras.layers.reshaping import Cropping1D, Cropping2D, Cropping3D


def reference(x, pairs, data_format):
    """Every kept output cell read from its shifted input place."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    out_spatial = [n - b - e for n, (b, e) in zip(x.shape[1:-1], pairs)]
    out = np.zeros((x.shape[0], *out_spatial, x.shape[-1]))
    for pos in itertools.product(*(range(n) for n in out_spatial)):
        out[(slice(None), *pos)] = x[(slice(None), *(p + b for p, (b, _) in zip(pos, pairs)))]
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


CASES = [
    (Cropping2D, (5, 6), {}, ((0, 0), (0, 0))),
    (Cropping2D, (5, 6), {"cropping": 1}, ((1, 1), (1, 1))),
    (Cropping2D, (5, 6), {"cropping": (2, 1)}, ((2, 2), (1, 1))),
    (Cropping2D, (5, 6), {"cropping": ((0, 2), (3, 0))}, ((0, 2), (3, 0))),
    (Cropping3D, (4, 3, 5), {}, ((1, 1),) * 3),
    (Cropping3D, (4, 3, 5), {"cropping": ((0, 1), 1, (2, 0))}, ((0, 1), (1, 1), (2, 0))),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls,spatial,kwargs,pairs", CASES, ids=[f"{c[0].__name__}-{c[2]}" for c in CASES])
def test_values_shapes_and_gradients(cls, spatial, kwargs, pairs, data_format):
    shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
    x = np.random.default_rng(0).standard_normal(shape)
    layer = cls(data_format=data_format, **kwargs)
    out = layer(x.astype("float32"))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), reference(x, pairs, data_format), rtol=1e-6)
    assert layer.compute_output_shape(shape) == out.shape
    assert layer(Input(shape=shape[1:])).shape == (None,) + out.shape[1:]
    check_gradients(cls(data_format=data_format, dtype="float64", **kwargs), x[:1])


@pytest.mark.parametrize("cropping,pairs", [((1, 1), ((1, 1),)), (2, ((2, 2),)), ((0, 3), ((0, 3),))])
def test_cropping_1d(cropping, pairs):
    x = np.random.default_rng(0).standard_normal((2, 6, 3))
    layer = Cropping1D(cropping)
    np.testing.assert_allclose(layer(x).numpy(), reference(x, pairs, "channels_last"), rtol=1e-6)
    assert layer.compute_output_shape((None, 6, 3)) == (None, 6 - sum(pairs[0]), 3)
    check_gradients(Cropping1D(cropping, dtype="float64"), x)


def test_defaults_and_config_round_trip():
    assert Cropping1D().cropping == (1, 1) and "data_format" not in Cropping1D().get_config()
    assert Cropping2D().cropping == ((0, 0), (0, 0))
    assert Cropping3D().cropping == ((1, 1), (1, 1), (1, 1))
    layer = Cropping2D(((1, 2), (3, 4)), data_format="channels_first", name="crop")
    config = layer.get_config()
    assert (config["cropping"], config["data_format"]) == (((1, 2), (3, 4)), "channels_first")
    assert Cropping2D.from_config(json.loads(json.dumps(config))).get_config() == config
    assert Cropping1D.from_config(Cropping1D(2).get_config()).cropping == (2, 2)
    assert Cropping2D(1).compute_output_shape((None, None, 5, 2)) == (None, None, 3, 2)


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match=r"Layer 'crop' \(Cropping2D\): cropping=\(\(2, 2\), \(0, 0\)\) must leave at "
                                         r"least one cell on each spatial axis, but the input has shape \(1, 4, 5, 1\)"):
        Cropping2D(((2, 2), (0, 0)), name="crop")(np.zeros((1, 4, 5, 1)))
    with pytest.raises(ValueError, match=r"input has shape \(None, 2, 3\)"):
        Cropping1D((1, 1))(Input(shape=(2, 3)))
    with pytest.raises(ValueError, match="Cropping2D: entry 0 of cropping must be a non-negative integer"):
        Cropping2D(-1)
    with pytest.raises(ValueError, match=r"expected ndim=5, found ndim=4. Full shape received: \(1, 4, 4, 4\)"):
        Cropping3D()(np.zeros((1, 4, 4, 4)))
