"""The compiled max-pooling gradient equals the NumPy path it stands in for."""
import numpy as np
import pytest

from numkeras.backend import compiled_kernels
from numkeras.engine import pool_ops
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); "
                                    "pool_ops_test.py checks the NumPy path")


def pool_gradient(x, g, use_kernel, **kwargs):
    compiled_kernels.set_enabled(use_kernel)
    try:
        with GradientTape() as tape:
            v = Variable(x, dtype=x.dtype)
            y = pool_ops.max_pool(v, **kwargs)
        return tape.gradient(y, v, output_gradients=g.astype(x.dtype)).numpy()
    finally:
        compiled_kernels.set_enabled(True)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_compiled_max_gradient_equals_numpy(data_format, padding, dtype):
    rng = np.random.default_rng(0)
    x = np.maximum(rng.standard_normal((3, 9, 7, 5)), 0).astype(dtype)  # relu output: many tied zeros
    x[0, 0, 0, 0] = np.nan  # a window whose maximum is NaN gets no gradient
    x[1, 2:4, 2:4, :] = 0.5  # a window of four equal cells: the first one takes it
    if data_format == "channels_first":
        x = x.transpose(0, 3, 1, 2).copy()
    y_shape = pool_ops.max_pool(x, 2, padding=padding, data_format=data_format).shape
    g = rng.standard_normal(y_shape)
    kwargs = dict(pool_size=(2, 2), padding=padding, data_format=data_format)
    expected = pool_gradient(x, g, False, **kwargs)
    got = pool_gradient(x, g, True, **kwargs)
    assert got.dtype == expected.dtype == dtype
    np.testing.assert_array_equal(got, expected)
    assert (expected != 0).sum() <= g.size  # one cell per window at most


def test_other_geometries_and_no_numba_take_the_numpy_path():
    x = np.zeros((1, 4, 4, 1), "float32")
    out, g = np.zeros((1, 2, 2, 1), "float32"), np.ones((1, 2, 2, 1), "float32")
    assert pool_kernels_result(x[..., 0], out, g) is None  # not 2-D
    assert pool_kernels_result(x.astype(int), out, g) is None  # int input
    compiled_kernels.set_enabled(False)
    try:
        assert pool_kernels_result(x, out, g) is None
    finally:
        compiled_kernels.set_enabled(True)
    assert pool_kernels_result(x, out, g).shape == x.shape


def pool_kernels_result(*args):
    from numkeras.engine import pool_kernels
    return pool_kernels.max_grad_2d(*args, (2, 2))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_compiled_max_equals_numpy(data_format, padding):
    rng = np.random.default_rng(1)
    x = np.maximum(rng.standard_normal((2, 8, 10, 3)), 0).astype("float32")  # whole tiles: no copy, the kernel runs
    x[0, 0, 0, 0] = np.nan  # first cell NaN
    x[0, 3, 5, 1] = np.nan  # a later cell NaN
    x[1, 2, 2, 2], x[1, 2, 3, 2] = -0.0, 0.0  # equal cells of either sign
    if data_format == "channels_first":
        x = x.transpose(0, 3, 1, 2).copy()
    results = []
    for use_kernel in (False, True):
        compiled_kernels.set_enabled(use_kernel)
        try:
            results.append(pool_ops.max_pool(x, 2, padding=padding, data_format=data_format).numpy())
        finally:
            compiled_kernels.set_enabled(True)
    expected, got = results
    if data_format == "channels_last":  # the kernel took this input
        assert pool_kernels_result_max(x) is not None
    np.testing.assert_array_equal(got, expected)  # -0.0 equals 0.0 here: which zero is NumPy's SIMD choice
    assert np.isnan(got).sum() == 2


def test_compiled_max_reads_inputs_where_they_lie():
    x = np.arange(5 * 7 * 3, dtype="float32").reshape(1, 5, 7, 3)  # no whole tiling: the edge is skipped
    np.testing.assert_array_equal(pool_kernels_result_max(x), x[:, 1:4:2, 1:6:2])
    assert pool_kernels_result_max(x, "channels_first") is None  # a copy first would cost what NumPy does
    assert pool_kernels_result_max(x[:, :, ::2]) is None  # strided


def pool_kernels_result_max(x, data_format="channels_last"):
    from numkeras.engine import pool_kernels
    found = pool_kernels.max_2d(x, (2, 2), data_format)
    return None if found is None else found[0]


def test_compiled_max_records_the_first_maximal_cell_of_each_tile():
    from numkeras.engine import pool_kernels
    x = np.array([[1.0, 3.0, 3.0, 2.0],  # a tie: the first of the two 3s (cell 1)
                  [-0.0, 0.0, -1.0, -2.0],  # -0 and +0 compare equal: the first, cell 0, as NumPy's path
                  [0.0, 1.0, np.nan, 5.0],  # a NaN maximum: no cell
                  [-3.0, -2.0, 7.0, 1.0]], "float32")  # tiles of (1, 4): one per row
    out, cells = pool_kernels.max_2d(x.reshape(1, 4, 4, 1), (1, 4))
    assert cells.ravel().tolist() == [1, 0, 255, 2]
    assert out.ravel()[0] == 3.0 and out.ravel()[1] == 0.0 and np.isnan(out.ravel()[2]) and out.ravel()[3] == 7.0
    grad = pool_kernels.max_grad_from_cells(cells, np.ones_like(out), (1, 4, 5, 1), (1, 4))
    assert grad[0, :, :, 0].tolist() == [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0],
                                         [0, 0, 1, 0, 0]]  # column 4: the edge no tile covers
