from numkeras.distribution import blas_threads


def test_the_users_thread_setting_wins(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert blas_threads.share_cores(ranks_on_host=2) is None


def test_numpys_openblas_is_found():
    # NumPy's wheels bundle OpenBLAS; its set-threads function is what share_cores calls.
    from numkeras.backend import blas_threads as backend_blas
    assert any("openblas" in path.lower() for path in backend_blas._loaded_openblas())


def test_the_thread_count_is_read_back():
    threads = blas_threads.get_threads()
    assert threads is not None and threads >= 1
    assert blas_threads.set_threads(threads) and blas_threads.get_threads() == threads
