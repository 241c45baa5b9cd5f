from numkeras.distribution import blas_threads


def test_the_users_thread_setting_wins(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert blas_threads.share_cores(ranks_on_host=2) is None


def test_numpys_openblas_is_found():
    # NumPy's wheels bundle OpenBLAS; its set-threads function is what share_cores calls.
    assert any("openblas" in path.lower() for path in blas_threads._loaded_openblas())
