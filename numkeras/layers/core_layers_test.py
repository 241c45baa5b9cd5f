"""Activation, Flatten, Reshape, Dropout, Input: values, gradients, shapes."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients
from numkeras.utils import set_random_seed


def test_activation_layer_values_and_gradients():
    x = np.random.default_rng(0).normal(size=(3, 4))
    check_gradients(lambda t: layers.Activation("tanh", dtype="float64")(t), x)
    np.testing.assert_allclose(layers.Activation("relu")(x.astype("float32")).numpy(), np.maximum(x, 0), rtol=1e-6)


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


def test_reshape_with_unknown_axis():
    x = np.random.default_rng(0).normal(size=(2, 12))
    layer = layers.Reshape((3, -1), dtype="float64")
    assert layer(x).shape == (2, 3, 4)
    assert layer.compute_output_shape((None, 12)) == (None, 3, 4)
    check_gradients(lambda t: layer(t), x)
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((5,)).compute_output_shape((None, 12))


def test_dropout_is_identity_at_inference_and_scales_in_training():
    set_random_seed(0)
    x = np.ones((200, 50), "float32")
    layer = layers.Dropout(0.3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    out = layer(x, training=True).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.02
    assert out.dtype == np.float32


def test_dropout_gradient_is_the_mask():
    from numkeras.engine.tape import GradientTape
    from numkeras.engine.variable import Variable
    x = Variable(np.ones((10, 10), "float32"))
    with GradientTape() as tape:
        y = layers.Dropout(0.5, seed=1)(x, training=True)
    grad = tape.gradient(y, x).numpy()
    np.testing.assert_array_equal(grad, y.numpy())  # d(x*m)/dx = m = y for x = 1


def test_dropout_seeded_repeats_and_rate_checked():
    a = layers.Dropout(0.5, seed=3)(np.ones((4, 4), "float32"), training=True).numpy()
    b = layers.Dropout(0.5, seed=3)(np.ones((4, 4), "float32"), training=True).numpy()
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.0)


def test_input_gives_a_symbolic_tensor_with_batch_axis():
    t = layers.Input(shape=(784,))
    assert t.shape == (None, 784) and t.dtype == "float32"
    assert layers.Input(batch_shape=(8, 3)).shape == (8, 3)
    with pytest.raises(ValueError, match="shape"):
        layers.InputLayer()


def test_auto_names_are_unique_snake_case():
    a, b = layers.Dense(1), layers.Dense(1)
    assert a.name.startswith("dense") and b.name != a.name
    assert layers.Flatten().name.startswith("flatten")
