import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.tape import GradientTape


@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3), (1, 3)])
@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "tanh", "softmax"])
def test_gradients_match_finite_differences(shape, activation):
    layer = layers.Dense(4, activation=activation, dtype="float64")
    x = np.random.default_rng(0).normal(size=shape)
    layer.build(shape)
    layer.kernel.assign(np.random.default_rng(1).normal(size=(3, 4)))
    layer.bias.assign(np.random.default_rng(2).normal(size=(4,)) + 0.1)
    check_gradients(lambda inputs: layer(inputs), x, variables=layer.trainable_weights)


def test_values_match_a_plain_numpy_dense():
    layer = layers.Dense(3, activation="relu")
    x = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    out = layer(x).numpy()
    expected = np.maximum(x @ layer.kernel.numpy() + layer.bias.numpy(), 0)
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert out.dtype == np.float32


def test_kernel_is_input_by_units_and_named_like_keras():
    layer = layers.Dense(7)
    layer(np.zeros((2, 5), "float32"))
    assert layer.kernel.shape == (5, 7) and layer.bias.shape == (7,)
    assert [w.path for w in layer.weights] == [f"{layer.name}/kernel", f"{layer.name}/bias"]
    assert layer.count_params() == 5 * 7 + 7


def test_no_gradient_is_computed_for_the_input_batch(monkeypatch):
    layer = layers.Dense(3)
    x = np.ones((4, 2), "float32")
    layer.build(x.shape)
    calls = []
    real = np.matmul
    monkeypatch.setattr(np, "matmul", lambda a, b, *args, **kw: calls.append((a.shape, b.shape)) or real(a, b))
    with GradientTape() as tape:
        y = layer(x)
    calls.clear()
    tape.gradient(y, layer.trainable_weights)
    assert calls == [((2, 4), (4, 3))]  # only dW = x.T @ g


def test_mismatched_input_names_layer_and_shapes():
    layer = layers.Dense(3)
    layer(np.zeros((1, 4), "float32"))
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 4.*\(None, 5\)"):
        layer(np.zeros((1, 5), "float32"))


@pytest.mark.parametrize("units", [0, -1, 2.5, "3"])
def test_bad_units_rejected(units):
    with pytest.raises(ValueError, match="units"):
        layers.Dense(units)


def test_float64_input_is_cast_to_float32():
    layer = layers.Dense(2)
    assert layer(np.ones((1, 3))).dtype == "float32"


def test_config_round_trip():
    layer = layers.Dense(5, activation="relu", use_bias=False, name="d")
    clone = layers.Dense.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


def test_kernel_regularizer_adds_to_losses():
    layer = layers.Dense(2, kernel_regularizer="l2")
    layer(np.ones((1, 3), "float32"))
    expected = 0.01 * np.sum(layer.kernel.numpy() ** 2)
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-6)
