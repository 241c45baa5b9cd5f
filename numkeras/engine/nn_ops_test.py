"""relu, sigmoid, softmax, log_softmax, softplus, gelu, sparsemax: values, gradients and stability."""
import math

import numpy as np
import pytest

import numkeras
from numkeras.engine import nn_ops
from numkeras.engine.gradient_check import check_float32, check_gradients


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def away_from_zero(shape, rng):
    return rng.uniform(0.1, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


# name: (op, numpy reference)
OPS = {
    "relu": (nn_ops.relu, lambda x: np.maximum(x, 0)),
    "sigmoid": (nn_ops.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "softmax": (nn_ops.softmax, lambda x: np_softmax(x, -1)),
    "log_softmax": (nn_ops.log_softmax, lambda x: np.log(np_softmax(x, -1))),
    "softplus": (nn_ops.softplus, lambda x: np.log1p(np.exp(x))),
    "gelu": (nn_ops.gelu, lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
}
SHAPES = [(5,), (3, 4), (2, 3, 4)]


CASES = [(name, shape) for name in OPS for shape in SHAPES] + [("relu", ()), ("sigmoid", ())]


@pytest.mark.parametrize("name,shape", CASES, ids=str)
def test_value_and_gradient(name, shape):
    op, ref = OPS[name]
    x = away_from_zero(shape, np.random.default_rng(0))  # relu's kink is at 0
    np.testing.assert_allclose(op(x).numpy(), ref(x), rtol=1e-12, atol=1e-15)
    check_gradients(op, x)
    check_float32(op, x)


@pytest.mark.parametrize("op,ref", [(nn_ops.softmax, np_softmax),
                                    (nn_ops.log_softmax, lambda x, axis: np.log(np_softmax(x, axis)))])
@pytest.mark.parametrize("axis", [0, 1, -2, 2])
def test_softmax_along_an_axis(op, ref, axis):
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    np.testing.assert_allclose(op(x, axis=axis).numpy(), ref(x, axis), rtol=1e-12)
    check_gradients(lambda a: op(a, axis=axis), x)


def test_softmax_rows_sum_to_one():
    y = nn_ops.softmax(np.random.default_rng(2).standard_normal((5, 7)).astype("float32"))
    np.testing.assert_allclose(y.numpy().sum(axis=-1), np.ones(5), rtol=1e-6)


HUGE = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4]])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", [nn_ops.softmax, nn_ops.log_softmax, nn_ops.sigmoid])
def test_huge_logits_give_finite_values_and_gradients(op, dtype):
    # pytest turns overflow warnings into errors, so a naive exp would fail here too.
    v = numkeras.Variable(HUGE, dtype=dtype)
    with numkeras.GradientTape() as tape:
        y = op(v)
    g = tape.gradient(y, v)
    assert np.all(np.isfinite(y.numpy())) and np.all(np.isfinite(g.numpy()))
    assert y.dtype == dtype and g.dtype == dtype


def test_huge_logit_values():
    np.testing.assert_allclose(nn_ops.softmax(HUGE).numpy()[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(nn_ops.softmax(HUGE).numpy()[1:], np.full((2, 3), 1 / 3))
    np.testing.assert_allclose(nn_ops.log_softmax(HUGE).numpy()[0], [0.0, -2e4, -1e4])
    np.testing.assert_allclose(nn_ops.log_softmax(HUGE).numpy()[1], np.full(3, -np.log(3)))
    np.testing.assert_array_equal(nn_ops.sigmoid(np.array([1e4, -1e4, 0.0])).numpy(), [1.0, 0.0, 0.5])


def test_softmax_and_sigmoid_remember_their_logits():
    x = numkeras.ops.convert_to_tensor([[1.0, 2.0]])
    assert nn_ops.softmax(x)._keras_logits is x
    assert nn_ops.softmax(x, axis=1)._keras_logits is x
    assert nn_ops.softmax(x, axis=0)._keras_logits is None  # a loss over the last axis can't use these
    assert nn_ops.sigmoid(x)._keras_logits is x
    assert nn_ops.relu(x)._keras_logits is None


def test_sparsemax_projects_onto_the_simplex():
    x = np.random.default_rng(3).standard_normal((4, 5))
    y = nn_ops.sparsemax(x).numpy()
    np.testing.assert_allclose(y.sum(axis=-1), np.ones(4), rtol=1e-12)
    assert (y == 0).any() and (y >= 0).all()
    # On the support, y = x - tau: the same shift for every kept entry of a row.
    for row_x, row_y in zip(x, y):
        np.testing.assert_allclose(np.ptp(row_x[row_y > 0] - row_y[row_y > 0]), 0, atol=1e-12)
    check_gradients(lambda a: nn_ops.sparsemax(a, axis=0), x / 4)
