"""max_keepdims equals NumPy's max along the last axis on every shape and value, by either route."""
import numpy as np
import pytest

from numkeras.engine.last_axis_max import max_keepdims


@pytest.mark.parametrize("shape", [(1, 10), (63, 10), (64, 10), (1024, 10), (128, 2), (128, 64), (128, 65),
                                   (4, 32, 10), (2, 3, 16, 8), (70, 1), (10,), (0, 10)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_equals_numpy_max(shape, dtype):
    a = np.random.default_rng(1).standard_normal(shape).astype(dtype)
    got, want = max_keepdims(a), a.max(axis=-1, keepdims=True)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_an_empty_axis_fails_as_in_numpy():
    with pytest.raises(ValueError, match="zero-size"):
        max_keepdims(np.zeros((64, 0), "float32"))


def test_nan_and_infinities_propagate_as_in_numpy():
    a = np.random.default_rng(2).standard_normal((200, 10)).astype("float32")
    a[3, 4], a[7, 0], a[9, 9], a[11] = np.nan, np.inf, -np.inf, -np.inf
    a[13, :2] = [np.nan, np.inf]
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(max_keepdims(a), a.max(axis=-1, keepdims=True))


def test_non_contiguous_input_and_other_axes():
    a = np.random.default_rng(3).standard_normal((10, 300)).astype("float32")
    view = a.T[:, ::3]  # (300, 4) with strides: a copy is made, the values are the same
    np.testing.assert_array_equal(max_keepdims(view), view.max(axis=-1, keepdims=True))
    np.testing.assert_array_equal(max_keepdims(a, axis=0), a.max(axis=0, keepdims=True))
    np.testing.assert_array_equal(max_keepdims(a, axis=1), a.max(axis=1, keepdims=True))


def test_takes_the_transposed_route_where_it_pays(monkeypatch):
    calls = []
    real = np.ascontiguousarray
    monkeypatch.setattr(np, "ascontiguousarray", lambda x: calls.append(x.shape) or real(x))
    max_keepdims(np.zeros((128, 10), "float32"))
    max_keepdims(np.zeros((8, 10), "float32"))  # few rows: NumPy's own loop is faster
    max_keepdims(np.zeros((128, 1000), "float32"))  # long rows: likewise
    assert calls == [(10, 128)]
