"""How many threads the BLAS of this process may use, set after NumPy has loaded it.

N ranks on a host of C cores each get C // N threads, so they do not fight over the cores. The
environment variables OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS win when set (they
must be set before NumPy is imported, e.g. `mpiexec -env OPENBLAS_NUM_THREADS 2`). OpenBLAS (NumPy's
wheels) is changed through its C function (`numkeras.backend.blas_threads`, which also holds it to one
thread around attention's small products); another BLAS is left alone.

Example:
    >>> import os
    >>> os.environ["OPENBLAS_NUM_THREADS"] = "2"   # the user's choice wins: nothing is changed
    >>> share_cores(ranks_on_host=2) is None
    True
    >>> del os.environ["OPENBLAS_NUM_THREADS"]
"""
import os

from numkeras.backend.blas_threads import set_threads, threads as get_threads  # noqa: F401 (re-exported)

_USER_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def share_cores(ranks_on_host):
    """Gives this process cores // ranks_on_host BLAS threads (at least 1); returns the count set, or None
    when the user chose through the environment or no OpenBLAS is loaded."""
    if any(os.environ.get(v) for v in _USER_VARIABLES):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = max(1, cores // max(1, int(ranks_on_host)))
    return threads if set_threads(threads) else None
