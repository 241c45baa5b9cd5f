"""Global max and average pooling: values, gradients, keepdims, masks, config, errors."""
import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.pool_ops_test import distinct
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable
from numkeras.layers.core.input_layer import Input
from numkeras.layers.pooling import (GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
                                     GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPooling1D, GlobalMaxPooling2D,
                                     GlobalMaxPooling3D)

CLASSES = [(GlobalMaxPooling1D, 1, "max"), (GlobalMaxPooling2D, 2, "max"), (GlobalMaxPooling3D, 3, "max"),
           (GlobalAveragePooling1D, 1, "mean"), (GlobalAveragePooling2D, 2, "mean"),
           (GlobalAveragePooling3D, 3, "mean")]


def reference(x, data_format, mode):
    """Loop over (sample, channel) pairs."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    out = np.zeros((x.shape[0], x.shape[-1]))
    for n in range(x.shape[0]):
        for c in range(x.shape[-1]):
            cells = x[n, ..., c].ravel()
            out[n, c] = cells.max() if mode == "max" else cells.sum() / cells.size
    return out


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls,dims,mode", CLASSES, ids=[c[0].__name__ for c in CLASSES])
def test_values_shapes_and_gradients(cls, dims, mode, data_format, keepdims):
    spatial = (5, 4, 3)[:dims]
    shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
    x = distinct(shape)
    layer = cls(data_format=data_format, keepdims=keepdims)
    out = layer(x.astype("float32"))
    expected = reference(x, data_format, mode)
    if keepdims:
        ones = (1,) * dims
        expected = expected.reshape((2, *ones, 3) if data_format == "channels_last" else (2, 3, *ones))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert layer.compute_output_shape(shape) == out.shape
    assert layer(Input(shape=shape[1:])).shape == (None,) + out.shape[1:]
    check_gradients(cls(data_format=data_format, keepdims=keepdims, dtype="float64"), x[:1])


def test_global_max_shares_gradient_among_ties_like_ops_max():
    x = Variable(np.ones((1, 2, 2, 1)), dtype="float64")
    with GradientTape() as tape:
        y = GlobalMaxPooling2D()(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy().ravel(), [0.25] * 4)


def test_average_1d_mask_leaves_out_masked_steps():
    x = np.arange(12.0).reshape(2, 3, 2)
    mask = np.array([[True, True, False], [True, False, False]])
    out = GlobalAveragePooling1D()(x, mask=mask).numpy()
    np.testing.assert_allclose(out, [[1, 2], [6, 7]])
    out = GlobalAveragePooling1D(data_format="channels_first", keepdims=True)(x.transpose(0, 2, 1), mask=mask)
    np.testing.assert_allclose(out.numpy()[..., 0], [[1, 2], [6, 7]])
    check_gradients(lambda t: GlobalAveragePooling1D(dtype="float64")(t, mask=mask), x)


def test_defaults_aliases_and_config():
    layer = GlobalAveragePooling2D()
    assert (layer.data_format, layer.keepdims, layer.built) == ("channels_last", False, True)
    assert GlobalAvgPool2D is GlobalAveragePooling2D and GlobalMaxPool1D is GlobalMaxPooling1D
    layer = GlobalMaxPooling3D(data_format="channels_first", keepdims=True, name="g")
    config = layer.get_config()
    assert (config["data_format"], config["keepdims"], config["name"]) == ("channels_first", True, "g")
    assert GlobalMaxPooling3D.from_config(config).get_config() == config


def test_wrong_rank_names_layer_and_shape():
    with pytest.raises(ValueError, match=r"Input 0 of layer 'gap' is incompatible with the layer: expected ndim=4, "
                                         r"found ndim=2. Full shape received: \(3, 8\)"):
        GlobalAveragePooling2D(name="gap")(np.zeros((3, 8)))
    with pytest.raises(ValueError, match=r"expected ndim=3, found ndim=4. Full shape received: \(None, 2, 2, 2\)"):
        GlobalMaxPooling1D()(Input(shape=(2, 2, 2)))
