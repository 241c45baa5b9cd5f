import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients

# (equation, output_shape, bias_axes, input shape, kernel shape, bias shape, output shape): Keras's shapes
SHAPES = [
    ("ab,bc->ac", 4, "c", (2, 3), (3, 4), (4,), (2, 4)),
    ("abc,cd->abd", (None, 4), "d", (2, 5, 3), (3, 4), (4,), (2, 5, 4)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3), (3, 2, 4), (2, 4), (2, 5, 2, 4)),
    ("abcd,cde->abe", (None, 6), "e", (2, 5, 3, 4), (3, 4, 6), (6,), (2, 5, 6)),
    ("abc,cd->abd", (5, 4), "b", (2, 5, 3), (3, 4), (5, 1), (2, 5, 4)),
    ("...b,bc->...c", 4, "c", (2, 5, 3), (3, 4), (4,), (2, 5, 4)),
    ("ab...,bc->ac...", 4, "c", (2, 3, 5), (3, 4), (4, 1), (2, 4, 5)),
    ("abc,cd->abd", (None, 4), None, (2, 5, 3), (3, 4), None, (2, 5, 4)),
]


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape,kernel,bias,out", SHAPES, ids=[s[0] for s in SHAPES])
def test_weight_and_output_shapes_are_keras(equation, output_shape, bias_axes, shape, kernel, bias, out):
    layer = layers.EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes)
    y = layer(np.ones(shape, "float32"))
    assert y.shape == out == layer.compute_output_shape(shape)
    assert layer.kernel.shape == kernel
    assert (layer.bias is None and bias is None) or layer.bias.shape == bias
    assert [w.name for w in layer.weights] == ["kernel"] + (["bias"] if bias else [])


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape", [(s[0], s[1], s[2], s[3]) for s in SHAPES],
                         ids=[s[0] for s in SHAPES])
def test_gradients_match_finite_differences(equation, output_shape, bias_axes, shape):
    layer = layers.EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes, activation="tanh",
                               dtype="float64")
    rng = np.random.default_rng(0)
    layer.build(shape)
    for w in layer.weights:
        w.assign(rng.normal(size=w.shape))
    check_gradients(layer, rng.normal(size=shape), variables=layer.trainable_weights)


def test_values_match_numpy():
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de", activation="relu")
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
    layer(x)
    layer.bias.assign(np.random.default_rng(1).normal(size=(2, 4)))
    expected = np.maximum(np.einsum("abc,cde->abde", x, layer.kernel.numpy()) + layer.bias.numpy(), 0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_glorot_fans_come_from_the_kernel_axes():
    # kernel (16, 2, 8): fan_in 16 (shared with the input), fan_out 16 (the output axes)
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 8), kernel_initializer="glorot_uniform")
    layer.build((1, 3, 16))
    assert np.abs(layer.kernel.numpy()).max() <= np.sqrt(6 / 32)
    assert layer.kernel_initializer.input_axes is None  # the layer's own initializer keeps its config


def test_config_round_trip():
    layer = layers.EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d", activation="relu",
                               kernel_regularizer="l2", name="proj")
    config = layer.get_config()
    assert config["equation"] == "abc,cd->abd" and config["output_shape"] == (None, 4) and config["bias_axes"] == "d"
    clone = layers.EinsumDense.from_config(config)
    assert clone.get_config() == config


@pytest.mark.parametrize("kwargs,shape,message", [
    ({"equation": "ab,bc", "output_shape": 4}, (2, 3), "invalid einsum equation"),
    ({"equation": "abc,cd->abd", "output_shape": 4}, (2, 5, 3), "names 2"),
    ({"equation": "ab,bcz->ac", "output_shape": 4}, (2, 3), "kernel axis 'z'"),
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "z"}, (2, 3), "bias axis 'z'"),
    ({"equation": "abc,cd->abd", "output_shape": (7, 4)}, (2, 5, 3), "do not match at shared axis 'b'"),
    ({"equation": "ab,bc->ac", "output_shape": 4}, (2, 3, 4), "names 2 input axes"),
])
def test_bad_equations_are_named(kwargs, shape, message):
    with pytest.raises(ValueError, match=message):
        layers.EinsumDense(**kwargs).build(shape)
