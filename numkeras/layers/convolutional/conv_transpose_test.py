"""Conv1DTranspose/2D/3D: Keras's output sizes, values against scatter loops, float64 gradients, errors."""
import numpy as np
import pytest

from numkeras.engine.conv_ops_test import ref_conv_transpose
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.convolutional import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_kernel_layout_is_filters_then_inputs():
    layer = Conv2DTranspose(8, 3)
    layer.build((None, 5, 5, 4))
    assert layer.kernel.shape == (3, 3, 8, 4) and layer.bias.shape == (8,)
    assert layer.count_params() == 3 * 3 * 8 * 4 + 8


@pytest.mark.parametrize("args, input_shape, output_shape", [
    (dict(filters=2, kernel_size=3), (1, 5, 5, 3), (1, 7, 7, 2)),
    (dict(filters=2, kernel_size=3, strides=2), (1, 5, 5, 3), (1, 11, 11, 2)),
    (dict(filters=2, kernel_size=2, strides=3), (1, 5, 5, 3), (1, 15, 15, 2)),       # max(kernel, stride)
    (dict(filters=2, kernel_size=3, strides=2, padding="same"), (1, 5, 4, 3), (1, 10, 8, 2)),
    (dict(filters=2, kernel_size=3, strides=2, output_padding=1), (1, 5, 5, 3), (1, 12, 12, 2)),
    (dict(filters=2, kernel_size=4, strides=2, padding="same", output_padding=1), (1, 4, 4, 3), (1, 7, 7, 2)),
    (dict(filters=2, kernel_size=3, dilation_rate=2), (1, 5, 5, 3), (1, 9, 9, 2)),
    (dict(filters=2, kernel_size=3, strides=2, data_format="channels_first"), (1, 3, 5, 4), (1, 2, 11, 9)),
])
def test_output_shapes(args, input_shape, output_shape):
    layer = Conv2DTranspose(**args)
    assert layer(np.ones(input_shape, "float32")).shape == output_shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + output_shape[1:]


@pytest.mark.parametrize("cls, args, x_shape", [
    (Conv1DTranspose, dict(filters=2, kernel_size=3, strides=2), (2, 4, 3)),
    (Conv1DTranspose, dict(filters=2, kernel_size=4, strides=2, padding="same", output_padding=1), (2, 3, 2)),
    (Conv1DTranspose, dict(filters=3, kernel_size=3, dilation_rate=2, data_format="channels_first"), (1, 2, 4)),
    (Conv2DTranspose, dict(filters=2, kernel_size=3, strides=(2, 1), padding="same", activation="tanh"),
     (1, 3, 4, 2)),
    (Conv2DTranspose, dict(filters=2, kernel_size=2, strides=2, data_format="channels_first"), (2, 3, 3, 2)),
    (Conv3DTranspose, dict(filters=2, kernel_size=2, strides=2, padding="same"), (1, 2, 2, 3, 2)),
])
def test_values_and_gradients_float64(cls, args, x_shape):
    layer = cls(dtype="float64", **args)
    x = rand(*x_shape)
    layer.build(x_shape)
    for w in layer.weights:
        w.assign(rand(*w.shape, seed=len(w.name)))
    channels_first = args.get("data_format") == "channels_first"
    xl = np.moveaxis(x, 1, -1) if channels_first else x
    want_shape = layer.compute_output_shape(x_shape)
    out = want_shape[2:] if channels_first else want_shape[1:-1]
    # Keras's crop: the "same" padding puts ceil(pad / 2) on the left, at most span - 1 (span: dilated kernel).
    los = []
    for i, (k, s, d) in enumerate(zip(layer.kernel_size, layer.strides, layer.dilation_rate)):
        span = (k - 1) * d + 1
        if layer.padding == "valid":
            los.append(0)
            continue
        op = layer.output_padding
        pad_len = s + span - 2 if op is None else span + span % 2 - 2 + op[i]
        los.append(span - 1 - min(-(-pad_len // 2), span - 1))
    want = ref_conv_transpose(xl, layer.kernel.numpy(), layer.strides, layer.dilation_rate, out, los)
    want = want + layer.bias.numpy()
    if args.get("activation") == "tanh":
        want = np.tanh(want)
    got = layer(x).numpy()
    assert got.shape == want_shape
    np.testing.assert_allclose(np.moveaxis(got, 1, -1) if channels_first else got, want, rtol=1e-9, atol=1e-12)
    check_gradients(lambda t: layer(t), x, variables=layer.trainable_weights)


def test_config_round_trip():
    layer = Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1, activation="relu", name="up")
    config = layer.get_config()
    assert config["output_padding"] == (1, 1) and config["strides"] == (2, 2)
    assert Conv2DTranspose.from_config(config).get_config() == config


def test_bad_input():
    with pytest.raises(ValueError, match="output_padding.*strictly less than.*strides"):
        Conv2DTranspose(4, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="dilation_rate"):
        Conv1DTranspose(4, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="padding"):
        Conv1DTranspose(4, 3, padding="causal")
    layer = Conv2DTranspose(4, 3, name="up")
    layer(np.ones((1, 4, 4, 3), "float32"))
    with pytest.raises(ValueError, match=r'"up".*value 3.*\(1, 4, 4, 2\)'):
        layer(np.ones((1, 4, 4, 2), "float32"))
    with pytest.raises(ValueError, match=r'"flat".*expected ndim=4.*\(4, 4\)'):
        Conv2DTranspose(4, 3, name="flat")(np.ones((4, 4), "float32"))
