"""sort and take_along_axis: values against NumPy, gradients against finite differences."""
import numpy as np
import pytest

from numkeras.engine import sort_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

X = np.random.RandomState(2).permutation(24).reshape(2, 3, 4) * 0.1 - 1.0  # distinct values


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_sort(axis):
    np.testing.assert_array_equal(sort_ops.sort(X, axis).numpy(), np.sort(X, axis))
    check_gradients(lambda a: sort_ops.sort(a, axis), X)
    check_float32(lambda a: sort_ops.sort(a, axis), X)


def test_sort_puts_nan_last():
    np.testing.assert_array_equal(sort_ops.sort(np.array([2.0, np.nan, 1.0]), 0).numpy(), [1.0, 2.0, np.nan])


@pytest.mark.parametrize("axis,indices", [
    (2, np.array([[[0, 3, 3]]] * 2)),  # broadcast along axis 1, a repeated index
    (1, np.array([[[2, 0, 1, 1]]])),  # broadcast along axis 0
    (0, -np.ones((1, 3, 4), "int64")),  # negative
])
def test_take_along_axis(axis, indices):
    expected = np.take_along_axis(X, np.where(indices < 0, indices + X.shape[axis], indices), axis)
    np.testing.assert_array_equal(sort_ops.take_along_axis(X, indices, axis).numpy(), expected)
    check_gradients(lambda a: sort_ops.take_along_axis(a, indices, axis), X)


@pytest.mark.parametrize("indices,message", [
    (np.zeros((2, 3, 1)), "integers"), (np.zeros((3, 1), "int32"), "dimensions"), (np.full((2, 3, 1), 4), "range")])
def test_take_along_axis_errors(indices, message):
    with pytest.raises((TypeError, ValueError, IndexError), match=message):
        sort_ops.take_along_axis(X, indices, 2)
