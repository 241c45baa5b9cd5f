import math

import numpy as np
import pytest

from numkeras import activations, ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tensor import Tensor

_erf = np.vectorize(math.erf)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _elu(x, alpha=1.0):
    return np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _sparsemax(x, axis=-1):
    """Projection onto the simplex, found by bisection on tau: sum(max(x - tau, 0)) = 1."""
    x = np.moveaxis(x, axis, -1)
    lo, hi = x.min(axis=-1, keepdims=True) - 1, x.max(axis=-1, keepdims=True)
    for _ in range(200):
        tau = (lo + hi) / 2
        too_low = np.maximum(x - tau, 0).sum(axis=-1, keepdims=True) > 1
        lo, hi = np.where(too_low, tau, lo), np.where(too_low, hi, tau)
    return np.moveaxis(np.maximum(x - (lo + hi) / 2, 0), -1, axis)


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805

# name -> (function under test, independent float64 NumPy formula)
CASES = {
    "relu": (activations.relu, lambda x: np.maximum(x, 0)),
    "relu_slope_max_threshold": (lambda x: activations.relu(x, negative_slope=0.1, max_value=2.0, threshold=0.5),
                                 lambda x: np.minimum(np.where(x > 0.5, x, 0.1 * (x - 0.5)), 2.0)),
    "relu_max": (lambda x: activations.relu(x, max_value=1.5), lambda x: np.clip(x, 0, 1.5)),
    "relu_slope": (lambda x: activations.relu(x, negative_slope=0.3), lambda x: np.where(x >= 0, x, 0.3 * x)),
    "relu_threshold": (lambda x: activations.relu(x, threshold=1.0), lambda x: np.where(x > 1.0, x, 0.0)),
    "leaky_relu": (activations.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x)),
    "leaky_relu_steep": (lambda x: activations.leaky_relu(x, negative_slope=1.5),
                         lambda x: np.where(x >= 0, x, 1.5 * x)),
    "relu6": (activations.relu6, lambda x: np.clip(x, 0, 6)),
    "sigmoid": (activations.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (activations.tanh, np.tanh),
    "linear": (activations.linear, lambda x: x),
    "softmax": (activations.softmax, _softmax),
    "softmax_axis0": (lambda x: activations.softmax(x, axis=0), lambda x: _softmax(x, axis=0)),
    "log_softmax": (activations.log_softmax, lambda x: np.log(_softmax(x))),
    "exponential": (activations.exponential, np.exp),
    "elu": (activations.elu, _elu),
    "elu_alpha": (lambda x: activations.elu(x, alpha=0.5), lambda x: _elu(x, 0.5)),
    "selu": (activations.selu, lambda x: _SELU_SCALE * _elu(x, _SELU_ALPHA)),
    "celu": (lambda x: activations.celu(x, alpha=2.0),
             lambda x: np.maximum(x, 0) + 2.0 * np.expm1(np.minimum(x, 0) / 2.0)),
    "softplus": (activations.softplus, lambda x: np.log(1 + np.exp(x))),
    "softsign": (activations.softsign, lambda x: x / (1 + np.abs(x))),
    "log_sigmoid": (activations.log_sigmoid, lambda x: np.log(1 / (1 + np.exp(-x)))),
    "silu": (activations.silu, lambda x: x / (1 + np.exp(-x))),
    "gelu": (activations.gelu, lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
    "gelu_tanh": (lambda x: activations.gelu(x, approximate=True),
                  lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))),
    "hard_sigmoid": (activations.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "hard_silu": (activations.hard_silu, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "hard_tanh": (activations.hard_tanh, lambda x: np.clip(x, -1, 1)),
    "tanh_shrink": (activations.tanh_shrink, lambda x: x - np.tanh(x)),
    "squareplus": (activations.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    "mish": (activations.mish, lambda x: x * np.tanh(np.log(1 + np.exp(x)))),
    "glu": (activations.glu, lambda x: x[..., :2] / (1 + np.exp(-x[..., 2:]))),
    "hard_shrink": (activations.hard_shrink, lambda x: np.where(np.abs(x) > 0.5, x, 0.0)),
    "hard_shrink_2": (lambda x: activations.hard_shrink(x, threshold=2.0), lambda x: np.where(np.abs(x) > 2, x, 0.0)),
    "soft_shrink": (activations.soft_shrink, lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0.0)),
    "threshold": (lambda x: activations.threshold(x, 1.0, -3.0), lambda x: np.where(x > 1.0, x, -3.0)),
    "sparse_plus": (activations.sparse_plus,
                    lambda x: np.where(x <= -1, 0.0, np.where(x < 1, (x + 1) ** 2 / 4, x))),
    "sparse_sigmoid": (activations.sparse_sigmoid, lambda x: np.clip((x + 1) / 2, 0, 1)),
    "sparsemax": (lambda x: activations.sparsemax(x / 4), lambda x: _sparsemax(x / 4)),
    "sparsemax_axis0": (lambda x: activations.sparsemax(x / 4, axis=0), lambda x: _sparsemax(x / 4, axis=0)),
}

# Points where some case has a kink: inputs keep away from them so finite differences are meaningful.
KINKS = np.array([-6.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 6.0])


def sample(shape=(3, 4), seed=0):
    x = np.random.default_rng(seed).uniform(-7, 7, shape)
    near = np.abs(x[..., None] - KINKS).min(axis=-1) < 0.05
    return np.where(near, x + 0.1, x)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_match_numpy_formula(name):
    fn, reference = CASES[name]
    for shape in [(3, 4), (2, 3, 4)]:
        x = sample(shape)
        np.testing.assert_allclose(np.asarray(fn(x)), reference(x), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(np.asarray(fn(x.astype("float32"))), reference(x), rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_match_finite_differences(name):
    fn = CASES[name][0]
    for seed, shape in [(1, (3, 4)), (2, (2, 2, 4))]:
        check_gradients(fn, sample(shape, seed))


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_values_and_gradients(name):
    fn = CASES[name][0]
    out = check_float32(fn, sample().astype("float32"))
    assert isinstance(out, Tensor)


def test_keras_relu_examples():
    x = [-10.0, -5.0, 0.0, 5.0, 10.0]
    assert activations.relu(x).numpy().tolist() == [0, 0, 0, 5, 10]
    assert activations.relu(x, negative_slope=0.5).numpy().tolist() == [-5, -2.5, 0, 5, 10]
    assert activations.relu(x, max_value=5.0).numpy().tolist() == [0, 0, 0, 5, 5]
    assert activations.relu(x, threshold=5.0).numpy().tolist() == [0, 0, 0, 0, 10]


def test_lists_become_float32_tensors():
    for name in ["relu", "sigmoid", "softmax", "tanh", "elu", "softplus", "gelu"]:
        assert activations.get(name)([1.0, -2.0]).dtype == "float32"


def test_extreme_inputs_do_not_overflow():
    # numpy overflow warnings are errors in this test suite
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], "float32")
    for name in ["sigmoid", "softplus", "log_sigmoid", "elu", "selu", "celu", "silu", "mish", "gelu", "softmax",
                 "log_softmax", "softsign", "tanh", "hard_silu", "squareplus"]:
        out = activations.get(name)(x).numpy()
        assert np.all(np.isfinite(out)), name
    np.testing.assert_allclose(activations.softplus(x).numpy(), [0, 0, np.log(2), 50, 1000], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(activations.log_sigmoid(x).numpy(), [-1000, -50, -np.log(2), 0, 0], atol=1e-6)


def test_softplus_gradient_at_zero_is_one_half():
    x = ops.convert_to_tensor([0.0])
    from numkeras import GradientTape, Variable
    v = Variable([0.0])
    with GradientTape() as tape:
        y = activations.softplus(v)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [0.5])
    assert x.dtype == "float32"


def test_relu_default_uses_the_engine_primitive(monkeypatch):
    from numkeras.engine import nn_ops
    calls = []
    original = nn_ops.relu
    monkeypatch.setattr(nn_ops, "relu", lambda x: calls.append(1) or original(x))
    activations.relu(np.ones(3, "float32"))
    assert calls == [1]


def test_softmax_and_sigmoid_keep_their_logits_for_losses():
    logits = ops.convert_to_tensor([[1.0, 2.0]])
    assert activations.softmax(logits)._keras_logits is logits
    assert activations.sigmoid(logits)._keras_logits is logits


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match="must be even"):
        activations.glu(np.ones((2, 3)))


def test_get():
    assert activations.get("relu") is activations.relu
    assert activations.get("ReLU") is activations.relu
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu

    def custom(x):
        return x
    assert activations.get(custom) is custom
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        activations.get(5)


def test_get_unknown_name_lists_valid_names_and_suggests():
    with pytest.raises(ValueError, match="Unknown activation: 'rleu'") as info:
        activations.get("rleu")
    message = str(info.value)
    assert "Did you mean 'relu'?" in message
    for name in ["relu", "sigmoid", "softmax", "tanh", "linear"]:
        assert name in message
    with pytest.raises(ValueError, match="Did you mean 'softmax'"):
        activations.get("sofmax")


def test_serialize_and_deserialize():
    for name in sorted(set(activations.__all__) - {"get", "serialize", "deserialize"}):
        fn = activations.get(name)
        assert activations.deserialize(activations.serialize(fn)) is fn
    assert activations.serialize(activations.silu) == "silu"
    assert activations.serialize(activations.relu) == "relu"

    def my_activation(x):
        return x
    config = activations.serialize(my_activation)
    assert config["class_name"] == "function" and config["config"] == "my_activation"
    assert activations.deserialize(config, custom_objects={"my_activation": my_activation}) is my_activation
    with pytest.raises(ValueError, match="cannot be serialized"):
        activations.serialize(lambda x: x)


def test_sparsemax_sums_to_one_with_exact_zeros():
    out = activations.sparsemax(np.array([[3.0, 1.0, 0.2, -4.0], [0.1, 0.0, 0.05, 0.02]], "float32")).numpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.sum(axis=-1), [1, 1], rtol=1e-6)
    assert out[0].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert (out[1] > 0).all()  # close logits share the mass
