"""SeparableConv1D/2D: weights, values (depthwise loops then a matmul), float64 gradients, errors."""
import numpy as np
import pytest

from numkeras.engine.conv_ops_test import ref_conv
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.convolutional import SeparableConv1D, SeparableConv2D


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_weights_and_params():
    layer = SeparableConv2D(8, 3, depth_multiplier=2)
    assert layer(np.ones((1, 6, 6, 3), "float32")).shape == (1, 4, 4, 8)
    assert [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert layer.depthwise_kernel.shape == (3, 3, 3, 2) and layer.pointwise_kernel.shape == (1, 1, 6, 8)
    assert layer.count_params() == 54 + 48 + 8


@pytest.mark.parametrize("cls, args, x_shape", [
    (SeparableConv2D, dict(filters=3, kernel_size=3, strides=2, padding="same", depth_multiplier=2), (2, 5, 5, 2)),
    (SeparableConv2D, dict(filters=2, kernel_size=2, dilation_rate=2, data_format="channels_first"),
     (1, 2, 5, 4)),
    (SeparableConv1D, dict(filters=3, kernel_size=3, activation="tanh"), (2, 6, 2)),
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
    dk = layer.depthwise_kernel.numpy()
    mid = np.concatenate([ref_conv(xl[..., c:c + 1], dk[..., c:c + 1, :], layer.strides, pads,
                                   layer.dilation_rate) for c in range(xl.shape[-1])], axis=-1)
    want = mid @ layer.pointwise_kernel.numpy().reshape(-1, layer.filters) + layer.bias.numpy()
    want = np.tanh(want) if args.get("activation") == "tanh" else want
    got = layer(x).numpy()
    np.testing.assert_allclose(np.moveaxis(got, 1, -1) if channels_first else got, want, rtol=1e-9, atol=1e-12)
    check_gradients(lambda t: layer(t), x, variables=layer.trainable_weights)


def test_config_round_trip():
    layer = SeparableConv2D(4, 3, depth_multiplier=3, pointwise_initializer="he_normal", use_bias=False)
    config = layer.get_config()
    assert config["depth_multiplier"] == 3 and config["filters"] == 4
    assert SeparableConv2D.from_config(config).get_config() == config


def test_bad_input():
    with pytest.raises(ValueError, match="filters"):
        SeparableConv2D(0, 3)
    with pytest.raises(ValueError, match=r'"sep".*expected ndim=4.*\(5, 5\)'):
        SeparableConv2D(2, 3, name="sep")(np.ones((5, 5), "float32"))
