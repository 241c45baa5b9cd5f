"""pooled_matmul: the numbers of one product on one BLAS thread, whichever way it is cut.

Each output element is the same sum of the same products; OpenBLAS may still block a long sum differently
for a narrower slice of columns (measured: float64 (100 x 3000) . (3000 x 700) differs in the last bits),
so columns cut are checked to rounding, the Transformer's shapes exactly.
"""
import numpy as np
import pytest

from numkeras.backend import blas_threads
from numkeras.engine import pooled_matmul, thread_pool


@pytest.fixture
def two_threads(monkeypatch):
    """As on a two-core machine whatever this one has: the pool shares products between two threads."""
    monkeypatch.setattr(thread_pool, "configured", lambda: 2)
    monkeypatch.setattr(thread_pool, "THREADS", max(2, thread_pool.THREADS))
    monkeypatch.setattr(thread_pool, "in_use", lambda: True)


@pytest.mark.parametrize("a_shape,b_shape,transpose_a,exact", [
    ((12800, 64), (64, 64), False, True),  # the Transformer's projections: rows cut
    ((12800, 128), (128, 64), False, True),  # its feed-forward's second product
    ((64, 12800), (12800, 64), True, True),  # their kernel gradients (x.T @ g): columns cut, the long sum whole
    ((100, 3000), (3000, 700), False, False),  # fewer rows than columns: columns cut
    ((4099, 37), (37, 53), False, False),  # sizes that divide into no tile
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_equals_one_product_on_one_blas_thread(two_threads, a_shape, b_shape, transpose_a, exact, dtype):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(a_shape[::-1] if transpose_a else a_shape).astype(dtype)
    a = a.T if transpose_a else a
    b = rng.standard_normal(b_shape).astype(dtype)
    assert pooled_matmul._threads(a, b) == (2 if blas_threads.threads() is not None else 1)
    out = pooled_matmul.matmul(a, b)
    with blas_threads.single_threaded():
        expected = np.matmul(a, b)
    assert out.dtype == dtype and out.shape == expected.shape
    if exact:
        np.testing.assert_array_equal(out, expected)
    else:
        np.testing.assert_allclose(out, expected, rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-4)


def test_small_or_unusual_products_are_numpys(two_threads):
    small = np.ones((8, 8), "float32")
    assert pooled_matmul._threads(small, small) == 1
    big = np.ones((4096, 64), "float32")
    assert pooled_matmul._threads(big, np.ones((64, 64), "float64")) == 1  # mixed dtypes: NumPy promotes
    assert pooled_matmul._threads(big.astype("int64"), np.ones((64, 64), "int64")) == 1  # no BLAS for ints
    np.testing.assert_array_equal(pooled_matmul.matmul(small, small), small @ small)


def test_one_thread_when_the_user_asked_for_one(monkeypatch):
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    a = np.ones((12800, 64), "float32")
    assert pooled_matmul._threads(a, np.ones((64, 64), "float32")) == 1


def test_blas_thread_count_is_restored(two_threads):
    before = blas_threads.threads()
    pooled_matmul.matmul(np.ones((4096, 64), "float32"), np.ones((64, 64), "float32"))
    assert blas_threads.threads() == before


def test_products_stay_with_blas_while_the_pool_is_idle(monkeypatch):
    monkeypatch.setattr(thread_pool, "configured", lambda: 2)
    monkeypatch.setattr(thread_pool, "THREADS", max(2, thread_pool.THREADS))
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    a, b = np.ones((12800, 64), "float32"), np.ones((64, 64), "float32")
    monkeypatch.setattr(thread_pool, "_last_threaded", [float("-inf")])
    assert not thread_pool.in_use() and pooled_matmul._threads(a, b) == 1
    thread_pool.parallel(lambda lo, hi: None, 2, elements=2, products=True)  # a product marks nothing
    assert not thread_pool.in_use()
    thread_pool.parallel(lambda lo, hi: None, 2, elements=2)  # other threaded work does
    assert thread_pool.in_use()
    assert pooled_matmul._threads(a, b) == (2 if blas_threads.threads() is not None else 1)
