"""Big matrix products split over numkeras's worker threads, each slice on one BLAS thread.

OpenBLAS threads a big product itself, and then keeps its threads spinning for a while (about a tenth
of a second), waiting for the next one. In a training step the next thing is often numkeras's own
threaded work (attention's chunks, layer normalization's rows, which run on `thread_pool`'s threads):
the spinning BLAS thread takes the core they need. Measured on the Transformer encoder benchmark (2-vCPU
AMD EPYC): holding BLAS to one thread for the whole step took it from 285 to 237 ms wall, CPU time from
540 to 310 ms.

So while the pool is in use (`thread_pool.in_use`: it ran other threaded work in the last half second),
a product big enough to share goes to the pool instead: the output's rows (or, for a product with few
rows, its columns) are cut into one slice per thread, and each thread runs its slice on one BLAS thread
(`blas_threads.single_threaded`). The inner (summed) axis is never cut: each output element is the same
BLAS sum it would be in one call on one thread. Where the pool is idle (a model of Dense layers alone),
BLAS's own threads stay faster: their spinning is what makes their hand-off quick (a pool round trip
costs 60-80 us here), and nothing else wants the core (measured: the book's first MLP, (128 x 784) .
(784 x 512), 0.61 ms on BLAS's two threads, 0.84 ms on the pool's).

The thread count is the user's (`thread_pool.configured()`: `OPENBLAS_NUM_THREADS=1` gives one thread and
plain `numpy.matmul`). Anything but 2-D NumPy float arrays of one dtype, or a product too small to pay
for a thread hand-off, is plain `xp.matmul`.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import pooled_matmul
    >>> a, b = np.ones((3, 2), "float32"), np.ones((2, 4), "float32")
    >>> pooled_matmul.matmul(a, b).tolist()
    [[2.0, 2.0, 2.0, 2.0], [2.0, 2.0, 2.0, 2.0], [2.0, 2.0, 2.0, 2.0]]
"""
from numkeras.backend import backend_name, blas_threads, xp
from numkeras.engine import thread_pool

# Multiply-adds below which one thread does the product (about 0.1 ms at 40 GFLOP/s: a hand-off to the
# pool costs tens of microseconds)
MIN_MULTIPLY_ADDS = 1 << 21
MIN_SLICE = 16  # rows or columns per slice at least (BLAS's kernels work in tiles of 8 to 32)


def matmul(a, b):
    """`a @ b` for 2-D arrays, its rows or columns shared by the pool's threads when that pays."""
    threads = _threads(a, b)
    if threads <= 1:
        return xp.matmul(a, b)
    (m, k), n = a.shape, b.shape[1]
    out = xp.empty((m, n), a.dtype)
    if m >= n:
        def part(lo, hi):
            xp.matmul(a[lo:hi], b, out=out[lo:hi])
        count = m
    else:
        def part(lo, hi):
            xp.matmul(a, b[:, lo:hi], out=out[:, lo:hi])
        count = n
    with blas_threads.single_threaded():
        thread_pool.parallel(part, count, thread_pool.PARALLEL_MIN_ELEMENTS, threads=threads, products=True)
    return out


def _threads(a, b):
    """How many threads share `a @ b`: 1 unless both are 2-D NumPy float arrays of one dtype, the product is
    big, BLAS's thread count can be held to one, the user allows more than one thread, and the pool is in use."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0] or a.dtype != b.dtype or a.dtype.kind != "f" \
            or backend_name() != "numpy":
        return 1
    m, k = a.shape
    n = b.shape[1]
    if m * n * k < MIN_MULTIPLY_ADDS or max(m, n) < 2 * MIN_SLICE:
        return 1
    configured = thread_pool.configured()
    if configured <= 1 or blas_threads.threads() is None or not thread_pool.in_use():
        return 1
    return min(configured, max(m, n) // MIN_SLICE)
