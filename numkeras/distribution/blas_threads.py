"""How many threads the BLAS of this process may use, set after NumPy has loaded it.

N ranks on a host of C cores each get C // N threads, so they do not fight over the cores. The
environment variables OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS win when set (they
must be set before NumPy is imported, e.g. `mpiexec -env OPENBLAS_NUM_THREADS 2`). OpenBLAS (NumPy's
wheels) is changed through its C function; another BLAS is left alone.

Example:
    >>> import os
    >>> os.environ["OPENBLAS_NUM_THREADS"] = "2"   # the user's choice wins: nothing is changed
    >>> share_cores(ranks_on_host=2) is None
    True
    >>> del os.environ["OPENBLAS_NUM_THREADS"]
"""
import os

_USER_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
            "openblas_set_num_threads")
_GETTERS = tuple(name.replace("set_num", "get_num") for name in _SETTERS)


def share_cores(ranks_on_host):
    """Gives this process cores // ranks_on_host BLAS threads (at least 1); returns the count set, or None
    when the user chose through the environment or no OpenBLAS is loaded."""
    if any(os.environ.get(v) for v in _USER_VARIABLES):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = max(1, cores // max(1, int(ranks_on_host)))
    return threads if set_threads(threads) else None


def set_threads(threads):
    """Sets the loaded OpenBLAS's thread count; False when no OpenBLAS is loaded."""
    import ctypes

    import numpy  # noqa: F401  (its BLAS must be loaded to be found)
    for path in _loaded_openblas():
        lib = ctypes.CDLL(path)
        for name in _SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(ctypes.c_int(int(threads)))
                return True
    return False


def get_threads():
    """The loaded OpenBLAS's thread count, or None when no OpenBLAS is loaded."""
    import ctypes

    import numpy  # noqa: F401
    for path in _loaded_openblas():
        lib = ctypes.CDLL(path)
        for name in _GETTERS:
            getter = getattr(lib, name, None)
            if getter is not None:
                return int(getter())
    return None


def _loaded_openblas():
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return []
    return sorted(paths)
