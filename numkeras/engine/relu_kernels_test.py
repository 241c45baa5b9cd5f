"""The compiled bias+relu and relu gradient equal the NumPy code they stand in for (nn_ops), bit for bit."""
import numpy as np
import pytest

from numkeras.backend import compiled_kernels
from numkeras.engine import nn_ops, relu_kernels

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); the NumPy path is "
                                    "what these functions run without it")


def both_paths(kernel, numpy_path, *arrays):
    """`kernel` on copies of `arrays` (it must take them), then `numpy_path` with the kernels off."""
    results = []
    for fn, enabled in ((kernel, True), (numpy_path, False)):
        compiled_kernels.set_enabled(enabled)
        try:
            copies = [a.copy() for a in arrays]
            with np.errstate(invalid="ignore"):  # inf * 0 and inf - inf: NaN, as asked
                results.append((fn(*copies), copies))
        finally:
            compiled_kernels.set_enabled(True)
    assert results[0][0] is not None  # the kernel took these arrays
    return results


def awkward(shape, dtype, seed=0):
    """Random values with the cases where a loop and NumPy could part ways: NaN, ±inf, ±0."""
    a = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    flat = a.reshape(-1)
    flat[:6] = [np.nan, np.inf, -np.inf, 0.0, -0.0, -1e-30]
    return a


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_add_bias_relu_equals_numpy(dtype):
    y = awkward((relu_kernels.MIN_SIZE // 32 + 3, 32), dtype)
    bias = awkward((32,), dtype, seed=1)
    bias[6] = -0.0  # with y = -0.0 somewhere in its column: -0.0 + -0.0 = -0.0, which relu makes +0.0
    y[7, 6] = -0.0
    (_, (kernel_y, _)), (_, (numpy_y, _)) = both_paths(relu_kernels.add_bias_relu, nn_ops.add_bias_relu, y, bias)
    assert kernel_y.dtype == dtype
    np.testing.assert_array_equal(kernel_y, numpy_y)
    assert np.array_equal(np.signbit(kernel_y), np.signbit(numpy_y))  # zeros of the same sign
    assert np.isnan(kernel_y).any() and (kernel_y == 0).any()


@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_gradient_equals_numpy(dtype, in_place):
    shape = (relu_kernels.MIN_SIZE // 64 + 1, 64)
    g, y = awkward(shape, dtype), awkward(shape, dtype, seed=1)
    y.reshape(-1)[:6] = [1.0, 0.0, -1.0, 2.0, np.nan, 1.0]  # inf * 0 -> NaN; -0.0 * 1 and NaN masks
    (kernel_g, (g_after, _)), (numpy_g, _) = both_paths(
        lambda g, y: relu_kernels.relu_gradient(g, y, in_place=in_place),
        lambda g, y: nn_ops.relu_gradient(g, y, in_place=in_place), g, y)
    assert kernel_g.dtype == dtype and kernel_g.shape == shape
    np.testing.assert_array_equal(kernel_g, numpy_g)
    assert np.array_equal(np.signbit(kernel_g), np.signbit(numpy_g))
    assert (kernel_g is g_after) == in_place  # in place: g itself, masked


def test_small_or_mismatched_arrays_are_declined_and_take_the_numpy_path():
    small = np.array([[-1.0, 2.0]], "float32")
    assert relu_kernels.add_bias_relu(small, np.array([0.5, -3.0], "float32")) is None
    nn_ops.add_bias_relu(small, np.array([0.5, -3.0], "float32"))
    np.testing.assert_array_equal(small, [[0.0, 0.0]])
    big = np.full((relu_kernels.MIN_SIZE, 2), -1.0, "float32")
    assert relu_kernels.add_bias_relu(big, np.array([2.0, 0.5], "float64")) is None  # bias of another dtype
    nn_ops.add_bias_relu(big, np.array([2.0, 0.5], "float64"))  # NumPy casts
    np.testing.assert_array_equal(big[0], [1.0, 0.0])
    g = np.ones((relu_kernels.MIN_SIZE,), "float32")
    y = np.arange(g.size) % 2 - 0.5
    assert relu_kernels.relu_gradient(g, y) is None  # float64 y
    np.testing.assert_array_equal(nn_ops.relu_gradient(g, y), np.arange(g.size) % 2)
    read_only = np.ones_like(g)
    read_only.flags.writeable = False
    assert relu_kernels.relu_gradient(read_only, g, in_place=True) is None
