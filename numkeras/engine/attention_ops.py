"""Dot-product attention as one op, computed a few batch items at a time so its scores stay in cache.

`attention(q, k, v, mask)` is `softmax(q k^T) v` for each batch item and head: the projected query
(B, T, N, H), already scaled, key (B, S, N, H) and value (B, S, N, Hv) of MultiHeadAttention. Written as
separate ops (two einsums and a softmax), every step of it reads and writes the whole (B, N, T, S)
score array: at batch 64, 4 heads and 200 positions that is 41 MB, passed over about twenty times
per training step of each attention layer, which is memory traffic, not arithmetic (the products have
an inner size of 16). Here each chunk of batch items makes its scores, their softmax and its share of
the output while the scores sit in the core's cache; the probabilities are kept for the backward (one
write and one read of the score array, where recomputing them would cost a product and a softmax more),
which again works chunk by chunk.

The chunks are shared by the pool's threads (`thread_pool.configured()`: as many as BLAS may use), each
running its products on one BLAS thread (`backend.blas_threads`): thousands of (200 x 16) . (16 x 200)
products each threaded by BLAS would make its second thread wait more than work. The numbers are those
of the one-thread path (`OPENBLAS_NUM_THREADS=1`), which at some shapes OpenBLAS rounds differently from its
threaded one.

The float operations are those of the separate ops, chunk by chunk (each head's products are the same
BLAS calls on the same numbers, the softmax is `numkeras.engine.nn_ops.softmax`'s formula row by row,
masked scores are -1e9 as in the Softmax layer, and masked probabilities 0), so the result equals the
composite's.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import attention_ops
    >>> q = np.zeros((1, 2, 1, 4), "float32")
    >>> v = np.arange(8, dtype="float32").reshape(1, 2, 1, 4)
    >>> attention_ops.attention(q, q, v).numpy()[0, :, 0]
    array([[2., 3., 4., 5.],
           [2., 3., 4., 5.]], dtype=float32)
"""
import threading
import weakref

from numkeras.backend import backend_name, blas_threads, xp
from numkeras.engine import attention_kernels, thread_pool
from numkeras.engine.tensor import as_tensor, make

# Score elements per chunk: 256 KB of float32 scores, and as much again for their exp and gradient,
# stays within a core's 1 MB L2 (at least one batch item per chunk).
CHUNK_SCORES = 1 << 16
MASKED_LOGIT = -1e9  # as the Softmax layer's mask (float16 aside: the layer uses -3e4 there)
# Chunk arrays (the probabilities of attention calls whose backward is done or dropped, the backward's
# gradient buffers) kept for the next call, up to this many bytes: a fresh 640 KB array is often fresh pages
# from the system (glibc maps large blocks, and trims its heap when a step frees its 40 MB of probabilities),
# whose first writes fault and zero each page: 14,000 faults, 35 ms of a 90 ms attention step, measured.
SPARE_BYTES = 1 << 28
_spare = {}  # (shape, dtype) -> arrays
_spare_state = {"bytes": 0, "lock": threading.Lock()}


def attention(query, key, value, mask=None, scale=None):
    """`softmax(query . key) . value` over the key positions, for each batch item and head.

    Args:
        query: (B, T, N, H).
        scale: optional number the query is multiplied by first (MultiHeadAttention's 1 / sqrt(H)), chunk by
            chunk: the numbers of `attention(query * scale, ...)` and the gradient of that product, without
            the scaled (B, T, N, H) copy and its gradient as two more arrays a step.
        key: (B, S, N, H).
        value: (B, S, N, Hv).
        mask: optional booleans broadcastable to (B, N, T, S): True where a query may attend to a key.
            A fully masked row attends to nothing (zeros), as the Softmax layer's masked rows.

    Returns:
        The (B, T, N, Hv) attention output.
    """
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    if not q.ndim == k.ndim == v.ndim == 4 or q.shape[0] != k.shape[0] or k.shape[:3] != v.shape[:3] \
            or q.shape[2] != k.shape[2] or q.shape[3] != k.shape[3]:
        raise ValueError(f"attention: expected query (B, T, N, H), key (B, S, N, H) and value (B, S, N, Hv). "
                         f"Received: query.shape={q.shape}, key.shape={k.shape}, value.shape={v.shape}.")
    b, t, n, _ = q.shape
    s = k.shape[1]
    if mask is not None:
        mask = xp.asarray(getattr(mask, "data", mask)).astype(bool)
        try:
            mask = xp.broadcast_to(mask, (b, n, t, s))
        except ValueError:
            raise ValueError(f"attention: the mask must broadcast to (batch, heads, query length, key length) = "
                             f"{(b, n, t, s)}. Received: mask.shape={mask.shape}.") from None
    chunk = max(1, CHUNK_SCORES // (n * t * s))
    starts = range(0, b, chunk)
    workers = _workers(len(starts), b * n * t * s)
    qd, kd, vd = q.data, k.data, v.data
    dtype = xp.result_type(qd, kd, vd)
    if scale is not None:
        scale = xp.asarray(scale, qd.dtype)

    def scaled_query(lo, hi):
        return qd[lo:hi] if scale is None else qd[lo:hi] * scale
    out = xp.empty((b, t, n, v.shape[3]), dtype)
    # kept chunk by chunk: arrays this size come back from the allocator's heap step after step, where one
    # (B, N, T, S) array would be fresh pages (zeroed by the kernel) every step
    probabilities = [None] * len(starts)
    reuse = backend_name() == "numpy"  # chunk arrays from (and, once the backward is done with them, back to) the spares
    if reuse:  # the probabilities go back to the spares when the backward closure, their only holder, is gone
        holder = _Holder()
        weakref.finalize(holder, _give_back, probabilities)

    def forward(first, stop):  # chunks first..stop-1
        for i in range(first, stop):
            lo = starts[i]
            hi = lo + chunk
            qc, kc = scaled_query(lo, hi).transpose(0, 2, 1, 3), kd[lo:hi].transpose(0, 2, 3, 1)
            if reuse:
                scores = xp.matmul(qc, kc, out=_take(qc.shape[:-1] + kc.shape[-1:], dtype))
            else:
                scores = xp.matmul(qc, kc)
            m = None if mask is None else mask[lo:hi]
            if m is not None:
                xp.copyto(scores, xp.asarray(MASKED_LOGIT, scores.dtype), where=~m)
            if attention_kernels.shift_rows(scores) is None:  # the same operations, one compiled pass
                scores -= scores.max(axis=-1, keepdims=True)
            e = xp.exp(scores, out=scores)
            p = attention_kernels.normalize_rows(e)
            if p is None:
                p = xp.divide(e, e.sum(axis=-1, keepdims=True), out=e)
            probabilities[i] = p
            if m is not None:
                xp.copyto(p, 0, where=~m)
            out[lo:hi] = xp.matmul(p, vd[lo:hi].transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3)
    _run_chunks(forward, len(starts), workers)

    def vjp(g):
        if reuse:
            holder.alive = True  # the closure holds the probabilities' holder
        dq = xp.empty(qd.shape, dtype) if q.requires_grad else None
        dk = xp.empty(kd.shape, dtype) if k.requires_grad else None
        dv = xp.empty(vd.shape, dtype) if v.requires_grad else None

        def backward(first, stop):
            work = None  # one gradient buffer for this thread's chunks
            for i in range(first, stop):
                lo, p = starts[i], probabilities[i]
                hi = lo + chunk
                m = None if mask is None else mask[lo:hi]
                gc = g[lo:hi].transpose(0, 2, 1, 3)  # (c, N, T, Hv)
                if dv is not None:
                    dv[lo:hi] = xp.matmul(p.transpose(0, 1, 3, 2), gc).transpose(0, 2, 1, 3)
                if dq is None and dk is None:
                    continue
                if reuse and (work is None or work.shape != p.shape):  # the last chunk may be shorter
                    _give_back([work])
                    work = _take(p.shape, p.dtype)
                dp = xp.matmul(gc, vd[lo:hi].transpose(0, 2, 3, 1), out=work)  # (c, N, T, S)
                if m is not None:
                    xp.copyto(dp, xp.zeros((), dp.dtype), where=~m)
                ds = attention_kernels.softmax_gradient_rows(dp, p)  # the softmax's vjp
                if ds is None:
                    ds = (dp - (dp * p).sum(axis=-1, keepdims=True)) * p
                if m is not None:
                    xp.copyto(ds, xp.zeros((), ds.dtype), where=~m)
                if dq is not None:
                    dqc = xp.matmul(ds, kd[lo:hi].transpose(0, 2, 1, 3))
                    if scale is not None:  # the scaling's own gradient, as multiply's vjp computes it
                        dqc *= scale
                    dq[lo:hi] = dqc.transpose(0, 2, 1, 3)
                if dk is not None:
                    dk[lo:hi] = xp.matmul(ds.transpose(0, 1, 3, 2),
                                          scaled_query(lo, hi).transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3)
            if work is not None:
                _give_back([work])
        _run_chunks(backward, len(starts), workers)
        return dq, dk, dv
    return make(out, (q, k, v), vjp)


class _Holder:
    """Stands for an attention call's probabilities in its backward closure: when the closure goes, so does
    this, and its finalizer gives the arrays back to the spares (nothing else holds them)."""
    alive = False


def _take(shape, dtype):
    """A spare chunk array of this shape and dtype (its contents arbitrary), or a new one."""
    with _spare_state["lock"]:
        arrays = _spare.get((shape, dtype))
        if arrays:
            array = arrays.pop()
            _spare_state["bytes"] -= array.nbytes
            return array
    return xp.empty(shape, dtype)


def _give_back(arrays):
    """Keeps the chunk arrays of the list `arrays`, no longer used, for `_take`, up to SPARE_BYTES in all, and
    empties the list; the rest are freed."""
    with _spare_state["lock"]:
        for array in arrays:
            if array is not None and _spare_state["bytes"] + array.nbytes <= SPARE_BYTES:
                _spare.setdefault((array.shape, array.dtype), []).append(array)
                _spare_state["bytes"] += array.nbytes
        arrays.clear()


def _workers(chunks, score_elements):
    """How many threads share the chunks: as many as BLAS itself may use (the user's OPENBLAS_NUM_THREADS /
    OMP_NUM_THREADS, `thread_pool.configured`); one where the work is small, the array module is not NumPy, or
    BLAS's thread count cannot be held to one while the threads run (then BLAS threads each product)."""
    if backend_name() != "numpy" or chunks < 2 or score_elements < thread_pool.PARALLEL_MIN_ELEMENTS \
            or blas_threads.threads() is None:
        return 1
    return min(thread_pool.configured(), chunks)


def _run_chunks(fn, chunks, workers):
    """`fn(first, stop)` over the chunks: in this thread, or on `workers` threads, each running its products
    on one BLAS thread (many small products: one BLAS thread each pays, where BLAS's own threads would wait)."""
    if workers <= 1:
        fn(0, chunks)
        return
    with blas_threads.single_threaded():
        thread_pool.parallel(fn, chunks, thread_pool.PARALLEL_MIN_ELEMENTS, threads=workers)
