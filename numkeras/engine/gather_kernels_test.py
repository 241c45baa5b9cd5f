"""gather_kernels: the compiled scatter-add gives bincount's sums bit for bit."""
import numpy as np
import pytest

from numkeras.backend import compiled_kernels
from numkeras.engine import gather_kernels, gather_ops


def _numpy_path(ids, updates, shape):
    compiled_kernels.set_enabled(False)
    try:
        return gather_ops.scatter_add_rows(ids, updates, shape)
    finally:
        compiled_kernels.set_enabled(True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("ids_dtype", ["int32", "int64"])
def test_same_sums_as_bincount_column_by_column(dtype, ids_dtype):
    rng = np.random.default_rng(0)
    ids = np.concatenate([rng.zipf(1.3, 5000) % 300, [299, 0, 0]]).astype(ids_dtype)  # repeats, both ends
    updates = (rng.standard_normal((len(ids), 3, 7)) * 10.0 ** rng.integers(-6, 6, (len(ids), 1, 1))).astype(dtype)
    got = gather_ops.scatter_add_rows(ids, updates, (300, 3, 7))
    expected = _numpy_path(ids, updates, (300, 3, 7))
    assert got.dtype == dtype and got.shape == (300, 3, 7)
    np.testing.assert_array_equal(got, expected)
    assert gather_kernels.scatter_add_rows(ids, updates.reshape(len(ids), -1), 300) is not None


def test_non_finite_updates_and_unused_rows():
    ids = np.array([2, 2, 0])
    updates = np.array([[np.inf, 1.0], [1.0, np.nan], [-0.0, 2.0]], "float32")
    got = gather_ops.scatter_add_rows(ids, updates, (4, 2))
    np.testing.assert_array_equal(got, _numpy_path(ids, updates, (4, 2)))
    assert got[1].tolist() == [0.0, 0.0] and got[3].tolist() == [0.0, 0.0]


def test_declines_what_it_does_not_take():
    assert gather_kernels.scatter_add_rows(np.array([0.0]), np.ones((1, 2), "float32"), 1) is None  # float ids
    assert gather_kernels.scatter_add_rows(np.array([0]), np.ones((1, 2), "int64"), 1) is None  # integer updates
    assert gather_kernels.scatter_add_rows(np.array([0]), np.ones(2, "float32"), 1) is None  # not 2-D
