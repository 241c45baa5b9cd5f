"""numkeras's worker threads: a batch cut into slices, each slice on its own thread.

NumPy runs a copy or an add on one core, but releases the GIL inside it, so the copies and adds
around a convolution's matmuls (im2col, col2im) run on `THREADS` threads, each on a slice of the
batch. BLAS threads the big matmuls itself; attention's many small ones run on one BLAS thread each, from
the pool's threads (`attention_ops`), and layer normalization's passes also go by slices of rows.

Every worker flushes denormal floats to zero, for good, as numkeras's main thread does while it
trains (`numkeras.backend.denormals`). A new thread would otherwise inherit whatever its creator had
when the pool grew: started by a `predict` (which does not flush), the workers would keep computing
on denormals' slow path through every later `fit`.

Example:
    >>> import numpy as np
    >>> out = np.zeros(6)
    >>> def fill(start, stop):
    ...     out[start:stop] = np.arange(start, stop)
    >>> parallel(fill, 6, elements=6)  # small: runs in the calling thread
    >>> out.tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor

from numkeras.backend import blas_threads
from numkeras.backend.denormals import enable_in_this_thread, flush_denormals

# How many threads share a batch (at most 8: beyond that the slices get too thin). 1 turns this off.
THREADS = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
PARALLEL_MIN_ELEMENTS = 1 << 18  # below this a thread hand-off costs more than it saves
# How long after threaded work on the pool it counts as in use (`in_use`): about how long OpenBLAS's threads
# keep spinning after a threaded product (2**28 cycles, its default), so the two would meet within it.
IN_USE_SECONDS = 0.5
_executor = None
_last_threaded = [float("-inf")]  # time.perf_counter() of the last threaded call that was not a product


def configured():
    """`THREADS`, or fewer where BLAS was given fewer (`OPENBLAS_NUM_THREADS=1` or `OMP_NUM_THREADS=1`: one),
    for code that follows the user's thread setting."""
    blas = blas_threads.threads()
    return THREADS if blas is None else max(1, min(THREADS, blas))


def in_use():
    """Whether the pool ran threaded work (other than products, see `numkeras.engine.pooled_matmul`) in the
    last `IN_USE_SECONDS`: in a training step that shares attention or normalization out, it does."""
    return time.perf_counter() - _last_threaded[0] < IN_USE_SECONDS


def parallel(fn, n, elements, threads=None, products=False):
    """Calls `fn(start, stop)` on slices of `range(n)` (batch rows), on `THREADS` threads when worth it: the
    first slice in the calling thread, the others on the pool's.

    Args:
        fn: does the work for rows `start:stop`; slices never overlap.
        n: the number of rows.
        elements: how much work in all (array elements), to decide whether threads pay.
        threads: at most this many threads (fewer than `THREADS`). Defaults to None: `THREADS`.
        products: True for `pooled_matmul`'s products, which do not mark the pool `in_use`.
    """
    most = THREADS if threads is None else max(1, min(THREADS, threads))
    parts = min(most, n) if elements >= PARALLEL_MIN_ELEMENTS else 1
    if parts <= 1:
        fn(0, n)
        return
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(THREADS, thread_name_prefix="numkeras-worker",
                                       initializer=enable_in_this_thread)
    if not products:
        _last_threaded[0] = time.perf_counter()
    cuts = [n * i // parts for i in range(parts + 1)]
    futures = [_executor.submit(fn, a, b) for a, b in zip(cuts[1:-1], cuts[2:])]
    try:
        with flush_denormals():  # the first slice here (the calling thread would only wait), computed as the workers do
            fn(cuts[0], cuts[1])
    finally:
        for future in futures:
            future.result()
