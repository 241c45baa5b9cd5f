import numpy as np
import pytest

from numkeras import Variable
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.tensor import Tensor
from numkeras.utils.numerical_utils import normalize, to_categorical


@pytest.mark.parametrize("labels,expected_shape", [
    (np.array([0, 2, 1]), (3, 3)),
    (np.array([[0], [2], [1]]), (3, 3)),  # (n, 1): the size-1 axis is dropped
    (np.array([[0, 1], [2, 1]]), (2, 2, 3)),  # (n, m)
    (np.array([[[0], [1]], [[2], [1]]]), (2, 2, 3)),  # (n, m, 1)
    (np.array([2]), (1, 3)),  # a 1-D input of one label keeps its axis
    (np.array(2), (3,)),  # a scalar
])
def test_to_categorical_shapes(labels, expected_shape):
    out = to_categorical(labels)
    assert out.shape == expected_shape and out.dtype == np.float32
    flat = labels.reshape(-1)
    np.testing.assert_array_equal(out.reshape(-1, 3), np.eye(3)[flat])


def test_to_categorical_num_classes_and_inputs():
    assert to_categorical([1, 0], num_classes=4).tolist() == [[0, 1, 0, 0], [1, 0, 0, 0]]
    assert to_categorical([1, 0], num_classes=0).shape == (2, 2)  # 0 means "infer", as in Keras
    np.testing.assert_array_equal(to_categorical([0.0, 2.0]), to_categorical([0, 2]))  # whole floats
    np.testing.assert_array_equal(to_categorical(Tensor(np.array([1, 0]))), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical(np.array([1, 0], "uint8")), [[0, 1], [1, 0]])
    assert to_categorical(np.zeros((0,), "int64"), num_classes=3).shape == (0, 3)


@pytest.mark.parametrize("labels,kwargs,message", [
    ([0.5, 1.0], {}, "fractional part"),
    ([-1, 0], {}, "negative class label"),
    ([0, 3], {"num_classes": 3}, "num_classes=3"),
    (["a"], {}, "dtype <U1"),
    ([0, 1], {"num_classes": 2.5}, "num_classes must be a positive integer"),
])
def test_to_categorical_errors(labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        to_categorical(labels, **kwargs)


def test_normalize_numpy_matches_a_direct_computation():
    x = np.random.default_rng(0).normal(size=(4, 5))
    for axis in (-1, 0):
        for order in (1, 2, np.inf):
            expected = x / np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
            np.testing.assert_allclose(normalize(x, axis=axis, order=order), expected, rtol=1e-12)
    out = normalize(np.array([[3.0, 4.0], [0.0, 0.0]], "float32"))
    assert out.dtype == np.float32 and out.tolist() == [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    assert normalize([3.0, 4.0]).tolist() == [0.6, 0.8]


@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize_tensor_values_and_gradients(order):
    x = np.random.default_rng(order).normal(size=(3, 4))
    out = normalize(Variable(x.astype("float32")), axis=-1, order=order)
    assert isinstance(out, Tensor) and out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), x / np.linalg.norm(x, ord=order, axis=-1, keepdims=True), rtol=1e-5)
    check_gradients(lambda v: normalize(v, axis=0, order=order), x)


def test_normalize_tensor_zero_vector_stays_finite():
    out = normalize(Variable(np.zeros((2, 3), "float32")))
    assert np.all(out.numpy() == 0)
    with pytest.raises(ValueError, match="order"):
        normalize(Variable(np.ones(3, "float32")), order=np.inf)
