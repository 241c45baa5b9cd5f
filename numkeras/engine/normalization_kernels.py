"""Layer normalization's forward and backward as one compiled pass over the rows (numba, when installed).

`normalization_ops.normalize` with the statistics over the last axis only (LayerNormalization's case)
costs NumPy about sixteen passes over the data: the mean, the deviations, their squares, the
variance, the scaling, the scale and offset, then the backward's `g * scale`, two row means, `dx`
and the `g * xhat` array the tape sums into the scale's gradient. Here each row is done in one loop
while it sits in the cache:

- `forward`: the row's mean and variance (two passes over the row, each sum accumulated in float64
  in NumPy's own pairwise order), `inv = 1 / sqrt(variance + epsilon)` and
  `out = (x - mean) * inv * scale + offset`. `xhat` is not stored: the backward recomputes it from
  `x`, `mean` and `inv` with the same float operations, which costs less than writing and reading
  it back.
- `backward`: `dxhat = g * scale`, the two row means, `dx`, and the scale's and offset's gradients
  summed over the rows inside the loop, so the tape receives them already in the parameters' shape.

Every float operation is the one the NumPy code does, in the same order and dtype (float32 stays
float32; only the row sums run in float64, as `normalization_ops._mean` does), so the results are
bit for bit those of the NumPy path, which stays the reference and the path without numba
(`normalization_kernels_test.py` checks it). One exception, stated in
`backend/compiled_kernels.py`: on more than one thread each thread sums the scale's and offset's
gradients over its own slice of rows and the slices' sums are then added, a different order from
NumPy's one running sum over all rows, so those two gradients then agree with NumPy's within
float rounding (rtol 1e-5 for float32 on random data), not bit for bit; `dx`, the output and the
statistics stay exact on any number of threads. A float32 row whose variance overflows (or is
NaN) makes the forward decline: NumPy then redoes the variance in float64 (`_variance`).

Each entry point returns its results when it ran, None when it declines (see
`numkeras.backend.compiled_kernels`).

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0, 3.0], [2.0, 6.0]], "float32")
    >>> got = forward(x, 0.0, None, None)
    >>> got is None or got[0].tolist() == [[-1.0, 1.0], [-1.0, 1.0]]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels
from numkeras.engine import thread_pool


def takes(x, scale, offset):
    """Whether the kernels take these arrays: NumPy float arrays in C order, one dtype, statistics over
    the last axis (of length 2 or more), `scale`/`offset` None or holding one value per column."""
    if x.ndim == 0 or x.shape[-1] < 2 or x.size == 0:
        return False
    params = [p for p in (scale, offset) if p is not None]
    return (all(p.dtype == x.dtype and p.ndim <= x.ndim and p.size == x.shape[-1] and p.shape[-1] == x.shape[-1]
                for p in params)
            and compiled_kernels.takes(x, *params))


def forward(x, epsilon, scale, offset, threads=1):
    """`normalize(x, axes=(x.ndim - 1,), ...)`'s forward: returns `(out, mean, variance, inv)` (the three
    statistics shaped like `x` with size 1 on the last axis), or None to leave it to NumPy.

    Args:
        x: the input array, statistics over its last axis.
        epsilon: float added to the variance.
        scale, offset: arrays with one value per column, or None.
        threads: at most this many threads, each a slice of the rows. Defaults to 1.
    """
    # A NumPy float64 epsilon would make NumPy's float32 `variance + epsilon` float64: that case stays there.
    if type(epsilon) not in (float, int) or not takes(x, scale, offset):
        return None
    kernel = compiled_kernels.compiled(_define, "forward_rows")
    if kernel is None:
        return None
    n = x.shape[-1]
    rows = x.reshape(-1, n)
    out = np.empty_like(x)
    stats_shape = x.shape[:-1] + (1,)
    mean, variance, inv = (np.empty(stats_shape, x.dtype) for _ in range(3))
    dtype = x.dtype.type
    s, o = _param(scale, n, x.dtype), _param(offset, n, x.dtype)

    def run(lo, hi):
        kernel(rows, s, o, scale is not None, offset is not None, dtype(epsilon), dtype(1), out.reshape(rows.shape),
               mean.reshape(-1), variance.reshape(-1), inv.reshape(-1), lo, hi)
    thread_pool.parallel(run, rows.shape[0], x.size, threads=threads)
    if x.dtype.itemsize < 8 and not np.isfinite(variance).all():
        return None  # NumPy recomputes the variance in float64 (normalization_ops._variance)
    return out, mean, variance, inv


def backward(g, x, mean, inv, scale, need_dx, need_scale, need_offset, threads=1):
    """The gradients of `forward` for the output gradient `g`: returns `(dx, dscale, doffset)` (each None
    where not needed; `dscale`/`doffset` shaped like the parameter, summed over the rows), or None.

    Args:
        g: the output's gradient, shaped like `x` (any layout; copied to C order where it is not).
        x, mean, inv: the forward's input and statistics (`inv = 1 / sqrt(variance + epsilon)`).
        scale: the forward's scale array or None.
        need_dx, need_scale, need_offset: which gradients to compute.
        threads: at most this many threads, each a slice of the rows. Defaults to 1.
    """
    if g.shape != x.shape or g.dtype != x.dtype or not takes(x, scale, None) or not compiled_kernels.takes(
            g, contiguous=False):
        return None
    g = np.ascontiguousarray(g)  # e.g. a pooling's gradient, broadcast over the sequence: one copy
    kernel = compiled_kernels.compiled(_define, "backward_rows")
    if kernel is None:
        return None
    n = x.shape[-1]
    rows, grows = x.reshape(-1, n), g.reshape(-1, n)
    dx = np.empty_like(x) if need_dx else np.empty((1, n), x.dtype)
    drows = dx.reshape(-1, n)
    sums = {}  # first row of a slice -> its (2, n) partial sums of g * xhat and g

    def run(lo, hi):
        part = np.zeros((2, n), x.dtype)
        kernel(grows, rows, mean.reshape(-1), inv.reshape(-1), _param(scale, n, x.dtype), scale is not None,
               need_dx, need_scale or need_offset, drows, part[0], part[1], lo, hi)
        sums[lo] = part
    thread_pool.parallel(run, rows.shape[0], x.size, threads=threads)
    total = None
    for lo in sorted(sums):
        total = sums[lo] if total is None else total + sums[lo]
    dscale = total[0] if need_scale else None
    doffset = total[1] if need_offset else None
    return (dx if need_dx else None), dscale, doffset


def _param(p, n, dtype):
    """`p` as a flat (n,) array, or a placeholder the kernel never reads when `p` is None."""
    return np.zeros(n, dtype) if p is None else p.reshape(n)


def _define(jit):
    @jit
    def pairwise_sum(a, lo, n):
        """NumPy's pairwise sum of a[lo:lo + n] (numpy/_core/src/umath/loops_utils.h.src), without the +0.0 start."""
        if n < 8:
            res = a[lo]
            for i in range(1, n):
                res += a[lo + i]
            return res
        if n <= 128:
            r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
            r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
            i = 8
            while i < n - n % 8:
                r0 += a[lo + i]
                r1 += a[lo + i + 1]
                r2 += a[lo + i + 2]
                r3 += a[lo + i + 3]
                r4 += a[lo + i + 4]
                r5 += a[lo + i + 5]
                r6 += a[lo + i + 6]
                r7 += a[lo + i + 7]
                i += 8
            res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n:
                res += a[lo + i]
                i += 1
            return res
        half = n // 2
        half -= half % 8
        return pairwise_sum(a, lo, half) + pairwise_sum(a, lo + half, n - half)

    @jit
    def two_means(t, u, n):
        """NumPy's float64 means of t[:n] and of u[:n] (destroying both): +0.0 plus the pairwise sum, divided
        by the count. For 8 <= n <= 128 the sum's eight partial sums (t[k], t[k + 8], ... added in turn) are
        built in place by `t[j] += t[j - 8]`, a loop LLVM vectorizes, the two arrays' loops interleaved so
        each one's latency hides the other's; the eight are then combined as NumPy combines them."""
        if n < 8 or n > 128:
            return (0.0 + pairwise_sum(t, 0, n)) / n, (0.0 + pairwise_sum(u, 0, n)) / n
        n8 = n - n % 8
        for j in range(8, n8):
            t[j] += t[j - 8]
            u[j] += u[j - 8]
        e = n8 - 8
        s0 = ((t[e] + t[e + 1]) + (t[e + 2] + t[e + 3])) + ((t[e + 4] + t[e + 5]) + (t[e + 6] + t[e + 7]))
        s1 = ((u[e] + u[e + 1]) + (u[e + 2] + u[e + 3])) + ((u[e + 4] + u[e + 5]) + (u[e + 6] + u[e + 7]))
        for i in range(n8, n):
            s0 += t[i]
            s1 += u[i]
        return (0.0 + s0) / n, (0.0 + s1) / n

    @jit
    def forward_rows(x, scale, offset, has_scale, has_offset, eps, one, out, mean, variance, inv, lo, hi):
        # Two rows at a time (r and r2; the same row twice at an odd end), their sums interleaved. Rows are
        # indexed as x[r, j], never taken as views x[r]: a view costs two reference-count calls.
        n = x.shape[1]
        t, u = np.empty(n, np.float64), np.empty(n, np.float64)
        for r in range(lo, hi, 2):
            r2 = min(r + 1, hi - 1)
            for j in range(n):
                t[j] = x[r, j]
                u[j] = x[r2, j]
            mean[r], mean[r2] = two_means(t, u, n)  # stored, so rounded to the dtype as NumPy's astype does
            m, m2 = mean[r], mean[r2]
            for j in range(n):
                d = x[r, j] - m
                t[j] = d * d
                d2 = x[r2, j] - m2
                u[j] = d2 * d2
            variance[r], variance[r2] = two_means(t, u, n)
            inv[r] = one / np.sqrt(variance[r] + eps)
            inv[r2] = one / np.sqrt(variance[r2] + eps)
            for q in (r, r2):
                m, iv = mean[q], inv[q]
                if has_scale and has_offset:
                    for j in range(n):
                        out[q, j] = (x[q, j] - m) * iv * scale[j] + offset[j]
                elif has_scale:
                    for j in range(n):
                        out[q, j] = (x[q, j] - m) * iv * scale[j]
                elif has_offset:
                    for j in range(n):
                        out[q, j] = (x[q, j] - m) * iv + offset[j]
                else:
                    for j in range(n):
                        out[q, j] = (x[q, j] - m) * iv

    @jit
    def backward_rows(g, x, mean, inv, scale, has_scale, need_dx, need_sums, dx, sum_gx, sum_g, lo, hi):
        n = x.shape[1]
        t, u = np.empty(n, np.float64), np.empty(n, np.float64)
        dxhat = np.empty(n, x.dtype)
        xhat = np.empty(n, x.dtype)
        means = np.empty(2, x.dtype)
        for r in range(lo, hi):
            m, iv = mean[r], inv[r]
            for j in range(n):
                xhat[j] = (x[r, j] - m) * iv
            if need_sums:  # the tape's sums over rows: g * xhat and g added one row at a time
                for j in range(n):
                    sum_gx[j] += g[r, j] * xhat[j]
                    sum_g[j] += g[r, j]
            if not need_dx:
                continue
            if has_scale:
                for j in range(n):
                    dxhat[j] = g[r, j] * scale[j]
            else:
                for j in range(n):
                    dxhat[j] = g[r, j]
            for j in range(n):
                t[j] = dxhat[j]
                u[j] = dxhat[j] * xhat[j]
            means[0], means[1] = two_means(t, u, n)  # stored, so rounded to the dtype as NumPy's astype does
            ma, mb = means[0], means[1]
            for j in range(n):
                dx[r, j] = ((dxhat[j] - ma) - xhat[j] * mb) * iv
    return {"forward_rows": forward_rows, "backward_rows": backward_rows}
