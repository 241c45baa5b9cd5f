"""Conv1D/2D/3D: shapes, values against direct loops, float64 gradients, configs, bad input."""
import numpy as np
import pytest

from numkeras import layers, models, regularizers
from numkeras.engine.conv_ops_test import ref_conv
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.convolutional import Conv1D, Conv2D, Conv3D


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def built(layer, shape):
    layer.build(shape)
    for w in layer.weights:  # non-zero biases so the bias path is tested too
        w.assign(rand(*w.shape, seed=len(w.name)))
    return layer


def test_kernel_layout_params_and_defaults():
    layer = Conv2D(64, 3)
    assert (layer.strides, layer.padding, layer.data_format, layer.dilation_rate, layer.groups) == (
        (1, 1), "valid", "channels_last", (1, 1), 1)
    assert layer.activation is None or layer.activation.__name__ == "linear"
    layer.build((None, 13, 13, 32))
    assert layer.kernel.shape == (3, 3, 32, 64) and layer.bias.shape == (64,)
    assert layer.count_params() == 18_496
    grouped = Conv2D(6, (3, 2), groups=3, use_bias=False)
    grouped.build((None, 8, 8, 9))
    assert grouped.kernel.shape == (3, 2, 3, 6) and grouped.bias is None
    conv3 = Conv3D(4, 2)
    conv3.build((None, 5, 5, 5, 2))
    assert conv3.kernel.shape == (2, 2, 2, 2, 4)


@pytest.mark.parametrize("layer_args, input_shape, output_shape", [
    (dict(filters=32, kernel_size=3, activation="relu"), (2, 28, 28, 1), (2, 26, 26, 32)),
    (dict(filters=4, kernel_size=3, strides=2, padding="same"), (2, 7, 7, 3), (2, 4, 4, 4)),
    (dict(filters=4, kernel_size=(3, 2), dilation_rate=2), (2, 9, 8, 3), (2, 5, 6, 4)),
    (dict(filters=4, kernel_size=3, padding="same", data_format="channels_first"), (2, 3, 7, 6), (2, 4, 7, 6)),
])
def test_conv2d_output_shapes(layer_args, input_shape, output_shape):
    layer = Conv2D(**layer_args)
    assert layer(np.ones(input_shape, "float32")).shape == output_shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + output_shape[1:]


def test_conv1d_causal_sees_only_the_past():
    layer = built(Conv1D(2, 3, padding="causal", dilation_rate=2, dtype="float64"), (None, 10, 3))
    x = rand(1, 10, 3)
    y = layer(x).numpy()
    x2 = x.copy()
    x2[:, 6:] += 1.0  # changing the future leaves outputs 0..5 alone
    np.testing.assert_allclose(layer(x2).numpy()[:, :6], y[:, :6])
    want = ref_conv(x, layer.kernel.numpy(), (1,), [(4, 0)], (2,)) + layer.bias.numpy()
    np.testing.assert_allclose(y, want, rtol=1e-10)


@pytest.mark.parametrize("cls, args, x_shape", [
    (Conv1D, dict(filters=3, kernel_size=3, strides=2, padding="same"), (2, 9, 2)),
    (Conv1D, dict(filters=4, kernel_size=2, groups=2, padding="causal"), (2, 6, 4)),
    (Conv1D, dict(filters=3, kernel_size=3, data_format="channels_first", dilation_rate=2), (2, 2, 9)),
    (Conv2D, dict(filters=3, kernel_size=3, activation="tanh"), (2, 6, 5, 2)),
    (Conv2D, dict(filters=3, kernel_size=(3, 2), strides=(2, 1), padding="same"), (2, 7, 5, 2)),
    (Conv2D, dict(filters=2, kernel_size=3, dilation_rate=(2, 1), padding="same"), (1, 7, 5, 2)),
    (Conv2D, dict(filters=4, kernel_size=3, groups=2, padding="same"), (1, 5, 5, 4)),
    (Conv2D, dict(filters=3, kernel_size=2, strides=2, data_format="channels_first"), (2, 2, 6, 5)),
    (Conv3D, dict(filters=2, kernel_size=2, padding="same", strides=(1, 2, 1)), (1, 4, 4, 3, 2)),
    (Conv3D, dict(filters=2, kernel_size=2, data_format="channels_first", groups=2), (1, 2, 3, 4, 3)),
])
def test_values_and_gradients_float64(cls, args, x_shape):
    layer = cls(dtype="float64", **args)
    x = rand(*x_shape)
    built(layer, x_shape)
    # Values against the direct-loop reference (channels_last, the layer's own weights).
    channels_first = args.get("data_format") == "channels_first"
    xl = np.moveaxis(x, 1, -1) if channels_first else x
    r = layer.rank
    pads = {"valid": [(0, 0)] * r, "causal": [((layer.kernel_size[0] - 1) * layer.dilation_rate[0], 0)]}.get(
        layer.padding)
    if pads is None:  # same: the total pad, the odd pixel on the right
        pads = []
        for n, k, s, d in zip(xl.shape[1:-1], layer.kernel_size, layer.strides, layer.dilation_rate):
            total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
            pads.append((total // 2, total - total // 2))
    want = ref_conv(xl, layer.kernel.numpy(), layer.strides, pads, layer.dilation_rate) + layer.bias.numpy()
    if args.get("activation") == "tanh":
        want = np.tanh(want)
    got = layer(x).numpy()
    np.testing.assert_allclose(np.moveaxis(got, 1, -1) if channels_first else got, want, rtol=1e-9, atol=1e-12)
    check_gradients(lambda t: layer(t), x, variables=layer.trainable_weights)


def test_config_round_trip_and_regularizers():
    layer = Conv2D(8, (3, 5), strides=(1, 2), padding="same", dilation_rate=1, groups=2, activation="relu",
                   use_bias=False, kernel_regularizer=regularizers.L2(0.01), kernel_initializer="he_normal",
                   data_format="channels_first", name="c")
    config = layer.get_config()
    assert config["kernel_size"] == (3, 5) and config["strides"] == (1, 2) and config["groups"] == 2
    assert config["data_format"] == "channels_first" and config["activation"] == "relu"
    again = Conv2D.from_config(config)
    assert again.get_config() == config
    again(np.ones((1, 4, 6, 6), "float32"))
    assert len(again.losses) == 1


def test_in_a_functional_model_and_symbolic_shapes():
    inputs = layers.Input((None, 12, 3))
    outputs = Conv2D(5, 3, padding="same")(inputs)
    assert tuple(outputs.shape) == (None, None, 12, 5)
    model = models.Model(inputs, outputs)
    assert model.predict(np.ones((2, 7, 12, 3), "float32"), verbose=0).shape == (2, 7, 12, 5)


# -- bad input: each error names the layer and the shapes -------------------------------------------
def test_kernel_larger_than_input():
    with pytest.raises(ValueError, match=r'"big".*kernel_size=\(5, 5\).*\(3, 3\).*\(None, 3, 3, 1\).*padding'):
        Conv2D(4, 5, name="big").build((None, 3, 3, 1))
    layer = Conv2D(4, 3, name="small_input")
    layer(np.ones((1, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match=r'"small_input".*\(2, 2\)'):
        layer(np.ones((1, 2, 2, 1), "float32"))


def test_channels_mismatch():
    layer = Conv2D(4, 3, name="rgb")
    layer(np.ones((1, 8, 8, 3), "float32"))
    with pytest.raises(ValueError, match=r'"rgb".*axis -1 of input shape to have value 3.*\(1, 8, 8, 1\)'):
        layer(np.ones((1, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match=r"divisible by the number of groups.*groups=2.*3 channels"):
        Conv2D(4, 3, groups=2)(np.ones((1, 8, 8, 3), "float32"))


def test_wrong_rank():
    with pytest.raises(ValueError, match=r'"flat".*Conv2D.*expected ndim=4.*found ndim=2.*\(28, 28\)'):
        Conv2D(4, 3, name="flat")(np.ones((28, 28), "float32"))
    with pytest.raises(ValueError, match=r"expected ndim=4.*found ndim=3.*\(2, 28, 28\).*x\[\.\.\., None\]"):
        Conv2D(4, 3)(np.ones((2, 28, 28), "float32"))
    with pytest.raises(ValueError, match=r"expected ndim=3.*\(None, 5, 5, 1\)"):
        Conv1D(4, 3).build((None, 5, 5, 1))


@pytest.mark.parametrize("kwargs, message", [
    (dict(filters=0, kernel_size=3), "filters"),
    (dict(filters=4, kernel_size=0), "kernel_size"),
    (dict(filters=4, kernel_size=(3, 3, 3)), "kernel_size"),
    (dict(filters=4, kernel_size=3, strides=0), "strides"),
    (dict(filters=4, kernel_size=3, padding="causal"), "padding"),
    (dict(filters=4, kernel_size=3, padding="full"), "padding"),
    (dict(filters=4, kernel_size=3, groups=3), "divisible"),
    (dict(filters=4, kernel_size=3, strides=2, dilation_rate=2), "dilation_rate"),
    (dict(filters=4, kernel_size=3, data_format="NHWC"), "data_format"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(**kwargs)
