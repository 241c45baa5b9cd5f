import threading

import numpy as np
import pytest

from numkeras.backend import blas_threads, denormals
from numkeras.engine import thread_pool


def test_every_row_is_done_once_on_several_threads(monkeypatch):
    monkeypatch.setattr(thread_pool, "THREADS", 3)
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    counts, threads = np.zeros(10, int), set()

    def work(start, stop):
        counts[start:stop] += 1
        threads.add(threading.get_ident())
    thread_pool.parallel(work, 10, elements=10)
    np.testing.assert_array_equal(counts, 1)
    assert len(threads) >= 2 and threading.get_ident() in threads  # the caller takes a slice too


def test_small_work_stays_in_the_calling_thread():
    threads = []
    thread_pool.parallel(lambda a, b: threads.append(threading.get_ident()), 10, elements=1)
    assert threads == [threading.get_ident()]


def test_workers_flush_denormals_to_zero(monkeypatch):
    if denormals._libm is None:
        pytest.skip("flushing denormals is set on x86-64 Linux only")
    # A new thread inherits its creator's setting: a fresh pool, started from this (unflushed) thread,
    # as when predict (which does not flush) runs a convolution before fit does.
    assert not denormals.is_flushing()
    monkeypatch.setattr(thread_pool, "_executor", None)
    monkeypatch.setattr(thread_pool, "THREADS", 2)
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    seen = {}

    def work(start, stop):  # read back from inside the worker: the MXCSR bits, and what they do
        seen[start] = (denormals.is_flushing(), float(np.square(np.float32(1e-20))))
    try:
        thread_pool.parallel(work, 2, elements=2)
    finally:
        thread_pool._executor.shutdown()
    assert seen == {0: (True, 0.0), 1: (True, 0.0)}  # slice 0 in this thread, flushed for it alone
    assert not denormals.is_flushing()


def test_threads_caps_the_number_of_slices(monkeypatch):
    monkeypatch.setattr(thread_pool, "THREADS", 4)
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    slices = []
    thread_pool.parallel(lambda a, b: slices.append((a, b)), 10, elements=10, threads=2)
    assert sorted(slices) == [(0, 5), (5, 10)]
    slices.clear()
    thread_pool.parallel(lambda a, b: slices.append((a, b)), 10, elements=10, threads=1)
    assert slices == [(0, 10)]


def test_configured_follows_blas_where_it_is_known(monkeypatch):
    monkeypatch.setattr(thread_pool, "THREADS", 4)
    for blas, expected in ((1, 1), (2, 2), (16, 4), (None, 4)):
        monkeypatch.setattr(blas_threads, "threads", lambda: blas)
        assert thread_pool.configured() == expected
