"""cumsum, cumprod and prod: values against NumPy, gradients (zeros included) against finite differences."""
import numpy as np
import pytest

from numkeras.engine import cumulative_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

X = np.random.RandomState(1).normal(size=(3, 4))
WITH_ZEROS = np.array([[2.0, 0.0, 3.0, 0.0], [1.5, -1.0, 0.0, 2.0], [0.5, 1.0, 2.0, -3.0]])


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("x", [X, WITH_ZEROS], ids=["plain", "zeros"])
def test_cumsum_and_cumprod(axis, x):
    np.testing.assert_allclose(cumulative_ops.cumsum(x, axis).numpy(), np.cumsum(x, axis))
    np.testing.assert_allclose(cumulative_ops.cumprod(x, axis).numpy(), np.cumprod(x, axis))
    check_gradients(lambda a: cumulative_ops.cumsum(a, axis), x)
    check_gradients(lambda a: cumulative_ops.cumprod(a, axis), x)
    check_float32(lambda a: cumulative_ops.cumprod(a, axis), x)


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), ((0, 1), True), (0, True)])
@pytest.mark.parametrize("x", [X, WITH_ZEROS], ids=["plain", "zeros"])
def test_prod(axis, keepdims, x):
    np.testing.assert_allclose(cumulative_ops.prod(x, axis, keepdims).numpy(), np.prod(x, axis, keepdims=keepdims))
    check_gradients(lambda a: cumulative_ops.prod(a, axis, keepdims), x)


def test_int_running_sums_keep_their_dtype_and_empty_products_are_one():
    assert cumulative_ops.cumsum(np.int8([100, 100]), 0).dtype == "int8"
    np.testing.assert_array_equal(cumulative_ops.prod(np.zeros((2, 0)), axis=1).numpy(), [1.0, 1.0])
