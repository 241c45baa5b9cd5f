"""DepthwiseConv1D/2D: kernel layout, values per channel, float64 gradients, errors."""
import numpy as np
import pytest

from numkeras.engine.conv_ops_test import ref_conv
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.convolutional import DepthwiseConv1D, DepthwiseConv2D


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_kernel_layout_and_output_channels():
    layer = DepthwiseConv2D(3, depth_multiplier=2)
    assert layer(np.ones((1, 6, 6, 3), "float32")).shape == (1, 4, 4, 6)
    assert layer.kernel.shape == (3, 3, 3, 2) and layer.bias.shape == (6,)
    assert layer.compute_output_shape((None, 6, 6, 3)) == (None, 4, 4, 6)


@pytest.mark.parametrize("cls, args, x_shape", [
    (DepthwiseConv2D, dict(kernel_size=3, depth_multiplier=2, padding="same", strides=2), (2, 5, 6, 3)),
    (DepthwiseConv2D, dict(kernel_size=(2, 3), dilation_rate=(2, 1)), (1, 6, 5, 2)),
    (DepthwiseConv2D, dict(kernel_size=2, data_format="channels_first", depth_multiplier=3), (2, 2, 4, 4)),
    (DepthwiseConv1D, dict(kernel_size=3, padding="same", activation="tanh"), (2, 7, 3)),
])
def test_values_and_gradients_float64(cls, args, x_shape):
    layer = cls(dtype="float64", **args)
    x = rand(*x_shape)
    layer.build(x_shape)
    for w in layer.weights:
        w.assign(rand(*w.shape, seed=len(w.name)))
    channels_first = args.get("data_format") == "channels_first"
    xl = np.moveaxis(x, 1, -1) if channels_first else x
    pads = []
    for n, k, s, d in zip(xl.shape[1:-1], layer.kernel_size, layer.strides, layer.dilation_rate):
        total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0) if layer.padding == "same" else 0
        pads.append((total // 2, total - total // 2))
    kernel, m = layer.kernel.numpy(), layer.depth_multiplier
    got = layer(x).numpy()
    got = np.moveaxis(got, 1, -1) if channels_first else got
    for c in range(xl.shape[-1]):  # each channel alone, through its own filters
        want = ref_conv(xl[..., c:c + 1], kernel[..., c:c + 1, :], layer.strides, pads, layer.dilation_rate)
        want = want + layer.bias.numpy()[c * m:(c + 1) * m]
        want = np.tanh(want) if args.get("activation") == "tanh" else want
        np.testing.assert_allclose(got[..., c * m:(c + 1) * m], want, rtol=1e-9, atol=1e-12)
    check_gradients(lambda t: layer(t), x, variables=layer.trainable_weights)


def test_config_round_trip():
    layer = DepthwiseConv2D((3, 1), depth_multiplier=2, padding="same", depthwise_initializer="he_uniform")
    config = layer.get_config()
    assert config["depth_multiplier"] == 2 and config["kernel_size"] == (3, 1)
    assert DepthwiseConv2D.from_config(config).get_config() == config


def test_bad_input():
    with pytest.raises(ValueError, match="depth_multiplier"):
        DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match=r'"dw".*larger than.*\(2, 2\)'):
        DepthwiseConv2D(3, name="dw")(np.ones((1, 2, 2, 1), "float32"))
    layer = DepthwiseConv2D(3, name="dw2")
    layer(np.ones((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r'"dw2".*value 3.*\(1, 5, 5, 4\)'):
        layer(np.ones((1, 5, 5, 4), "float32"))
