"""ZeroPadding1D/2D/3D: values vs a loop reference, gradients, shapes, config, errors."""
import itertools
import json

import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.core.input_layer import Input
from numkeras.layers.reshaping import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D


def reference(x, pairs, data_format):
    """Zeros, then every input cell copied to its shifted place."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    out = np.zeros((x.shape[0], *(n + b + e for n, (b, e) in zip(spatial, pairs)), x.shape[-1]))
    for pos in itertools.product(*(range(n) for n in spatial)):
        out[(slice(None), *(p + b for p, (b, _) in zip(pos, pairs)), slice(None))] = x[(slice(None), *pos)]
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


CASES = [
    (ZeroPadding1D, (5,), {}, ((1, 1),)),
    (ZeroPadding1D, (5,), {"padding": (2, 0)}, ((2, 0),)),
    (ZeroPadding2D, (3, 4), {}, ((1, 1), (1, 1))),
    (ZeroPadding2D, (3, 4), {"padding": 2}, ((2, 2), (2, 2))),
    (ZeroPadding2D, (3, 4), {"padding": (1, 3)}, ((1, 1), (3, 3))),
    (ZeroPadding2D, (3, 4), {"padding": ((0, 1), (2, 0))}, ((0, 1), (2, 0))),
    (ZeroPadding3D, (2, 3, 2), {}, ((1, 1),) * 3),
    (ZeroPadding3D, (2, 3, 2), {"padding": (1, (0, 2), 0)}, ((1, 1), (0, 2), (0, 0))),
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


def test_defaults_and_config_round_trip():
    assert ZeroPadding1D().padding == (1, 1)
    assert ZeroPadding2D().padding == ((1, 1), (1, 1))
    assert ZeroPadding3D(2).padding == ((2, 2), (2, 2), (2, 2))
    layer = ZeroPadding2D(((1, 2), (3, 4)), data_format="channels_first", name="zp")
    config = layer.get_config()
    assert (config["padding"], config["data_format"], config["name"]) == (((1, 2), (3, 4)), "channels_first", "zp")
    assert ZeroPadding2D.from_config(json.loads(json.dumps(config))).get_config() == config
    assert ZeroPadding2D(padding=(1, 1)).compute_output_shape((None, None, 5, 2)) == (None, None, 7, 2)


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match=r"ZeroPadding2D: padding must be an int, a tuple of 2 ints, or a tuple of 2 "
                                         r"\(before, after\) pairs of ints. Received: padding=\(1, 2, 3\)"):
        ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="entry 1 of padding must be a non-negative integer"):
        ZeroPadding2D((1, -1))
    with pytest.raises(ValueError, match=r"Input 0 of layer 'zp' is incompatible with the layer: expected ndim=4, "
                                         r"found ndim=3. Full shape received: \(2, 5, 5\)"):
        ZeroPadding2D(name="zp")(np.zeros((2, 5, 5)))
