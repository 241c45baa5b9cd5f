"""Flatten: values, shapes, gradients and channels_first."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 5), (3, 2, 2, 2)])
def test_flatten(shape):
    x = np.random.default_rng(0).normal(size=shape)
    layer = layers.Flatten(dtype="float64")
    np.testing.assert_array_equal(layer(x).numpy(), x.reshape(shape[0], -1))
    assert layer.compute_output_shape((None,) + shape[1:]) == (None, int(np.prod(shape[1:])))
    check_gradients(lambda t: layer(t), x)


def test_flatten_channels_first_moves_channels_last():
    x = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)
    out = layers.Flatten(data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(out, x.transpose(0, 2, 1).reshape(2, -1))
