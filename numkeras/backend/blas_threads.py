"""How many threads NumPy's BLAS (OpenBLAS) runs a product on, and holding it to fewer for a while.

OpenBLAS splits every product above a small size over all its threads. For a big product (a layer's
(12800 x 64) . (64 x 64) projection) that pays; for thousands of small ones in a row (attention's
per-head (200 x 16) . (16 x 200) scores) each call wakes the other threads and waits for them, so a
second thread costs more CPU than it saves. Code that has many small products can instead run them
on one BLAS thread each, from several threads of its own (`numkeras.engine.thread_pool`), each on a
different slice of the batch: `with single_threaded(): ...`.

The count is OpenBLAS's own, as the user configured it (`OPENBLAS_NUM_THREADS`, `OMP_NUM_THREADS`,
or `openblas_set_num_threads`): `threads()` reads it, so a user who asks for one thread gets one.
OpenBLAS built with pthreads (NumPy's wheels) keeps one count for the whole process, so holding it
to one is process-wide; nested or concurrent holders share it, and the last one out restores the
count the first one found. Where the BLAS is not an OpenBLAS this module can find among the loaded
libraries (another BLAS, another platform), `threads()` is None and `single_threaded()` does nothing.
A product's numbers can depend on the thread count: OpenBLAS may pick another kernel for one thread
(measured: (77 x 5000) . (5000 x 33) differs in the last bits between one and two threads; the
Transformer's shapes, (12800 x 64) . (64 x 64) and attention's per-head products, do not).

Example:
    >>> from numkeras.backend import blas_threads
    >>> before = blas_threads.threads()
    >>> with blas_threads.single_threaded():
    ...     inside = blas_threads.threads()
    >>> inside in (None, 1), blas_threads.threads() == before
    (True, True)
"""
import ctypes
import os
import sys
import threading

import numpy as np  # noqa: F401  (loads NumPy's BLAS, which `_find` looks for among the loaded libraries)

# (get, set) symbol pairs, NumPy's scipy-openblas wheels first
_SYMBOLS = (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
            ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
            ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
            ("openblas_get_num_threads", "openblas_set_num_threads"))
_lock = threading.Lock()
_state = {"found": False, "functions": None, "holders": 0, "saved": None}


def _loaded_openblas():
    """Paths of the loaded shared libraries whose name says OpenBLAS (Linux's /proc/self/maps)."""
    if not sys.platform.startswith("linux"):
        return []
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split(None, 5)[5].strip() for line in f if len(line.split(None, 5)) == 6}
    except OSError:
        return []
    return sorted(p for p in paths if "openblas" in os.path.basename(p).lower() and ".so" in p)


def _find():
    """(get, set) ctypes functions of the loaded OpenBLAS, or None."""
    if not _state["found"]:
        _state["found"] = True
        for path in _loaded_openblas():
            try:
                lib = ctypes.CDLL(path)  # already loaded: this only looks it up
            except OSError:
                continue
            for get_name, set_name in _SYMBOLS:
                get, set_ = getattr(lib, get_name, None), getattr(lib, set_name, None)
                if get is not None and set_ is not None:
                    get.restype, get.argtypes = ctypes.c_int, []
                    set_.restype, set_.argtypes = None, [ctypes.c_int]
                    _state["functions"] = (get, set_)
                    return _state["functions"]
    return _state["functions"]


def threads():
    """OpenBLAS's thread count now, or None where it cannot be read (no OpenBLAS found)."""
    functions = _find()
    return None if functions is None else int(functions[0]())


def set_threads(count):
    """Sets OpenBLAS's thread count for the process; False where no OpenBLAS was found (nothing changed)."""
    functions = _find()
    if functions is None:
        return False
    with _lock:
        if _state["holders"]:  # a single_threaded block is running: it restores this count when it ends
            _state["saved"] = int(count)
        else:
            functions[1](int(count))
    return True


class single_threaded:  # noqa: N801 (a context manager, used as a function)
    """Holds OpenBLAS to one thread inside the `with` block, then restores the count it found."""

    def __enter__(self):
        functions = _find()
        if functions is not None:
            with _lock:
                if _state["holders"] == 0:
                    _state["saved"] = int(functions[0]())
                    if _state["saved"] != 1:
                        functions[1](1)
                _state["holders"] += 1
        return self

    def __exit__(self, *exc):
        functions = _find()
        if functions is not None:
            with _lock:
                _state["holders"] -= 1
                if _state["holders"] == 0 and _state["saved"] != 1:
                    functions[1](_state["saved"])
        return False
