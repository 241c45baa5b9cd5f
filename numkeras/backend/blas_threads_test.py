import threading

import numpy as np
import pytest

from numkeras.backend import blas_threads


@pytest.fixture
def fake_blas(monkeypatch):
    """A stand-in OpenBLAS whose thread count is a Python int, so the tests do not depend on the machine's."""
    count = {"threads": 4, "sets": []}

    def set_(n):
        count["sets"].append(n)
        count["threads"] = n
    monkeypatch.setitem(blas_threads._state, "found", True)
    monkeypatch.setitem(blas_threads._state, "functions", (lambda: count["threads"], set_))
    return count


def test_numpys_openblas_is_found_and_read():
    # NumPy's wheels bundle OpenBLAS; the count is whatever this process was given (>= 1)
    assert blas_threads._loaded_openblas(), "NumPy's OpenBLAS should be among the loaded libraries"
    assert blas_threads.threads() >= 1


def test_the_real_count_is_one_inside_and_restored_after():
    before = blas_threads.threads()
    with blas_threads.single_threaded():
        assert blas_threads.threads() == 1
        np.ones((300, 300), "float32") @ np.ones((300, 300), "float32")  # a product still runs
    assert blas_threads.threads() == before


def test_holds_one_thread_and_restores_the_count_found(fake_blas):
    with blas_threads.single_threaded():
        assert blas_threads.threads() == 1
    assert blas_threads.threads() == 4
    assert fake_blas["sets"] == [1, 4]


def test_nested_and_concurrent_holders_restore_once_at_the_end(fake_blas):
    inside, release = threading.Event(), threading.Event()

    def other():
        with blas_threads.single_threaded():
            inside.set()
            release.wait(5)
    with blas_threads.single_threaded():
        worker = threading.Thread(target=other)
        worker.start()
        assert inside.wait(5)
        with blas_threads.single_threaded():
            assert blas_threads.threads() == 1
    assert blas_threads.threads() == 1  # the other thread still holds it
    release.set()
    worker.join()
    assert blas_threads.threads() == 4
    assert fake_blas["sets"] == [1, 4]


def test_a_count_of_one_is_left_alone(fake_blas):
    fake_blas["threads"] = 1
    with blas_threads.single_threaded():
        pass
    assert fake_blas["sets"] == []


def test_without_an_openblas_nothing_happens(monkeypatch):
    monkeypatch.setitem(blas_threads._state, "found", True)
    monkeypatch.setitem(blas_threads._state, "functions", None)
    assert blas_threads.threads() is None
    with blas_threads.single_threaded():
        assert blas_threads.threads() is None


def test_an_exception_inside_still_restores(fake_blas):
    with pytest.raises(RuntimeError):
        with blas_threads.single_threaded():
            raise RuntimeError("boom")
    assert blas_threads.threads() == 4
