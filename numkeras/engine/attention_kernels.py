"""The row passes of attention's softmax, forward and backward, as compiled loops (numba, when installed).

`attention_ops.attention` normalizes each chunk's (c, heads, T, S) scores row by row: NumPy takes four
passes around its `exp` (the row maximum, the shift, the row sum, the division) and two more for the
backward's `(dp - sum(dp * p)) * p` plus a temporary. Each function here does its rows in one loop:

- `shift_rows`: `x -= max(x)` along the last axis (NaN anywhere in a row makes the row NaN, as NumPy's
  maximum does);
- `normalize_rows`: `e /= sum(e)`;
- `softmax_gradient_rows`: `dp = (dp - sum(dp * p)) * p`, in place.

Each row sum is NumPy's own pairwise summation (blocks of up to 128 summed in 8 interleaved
partial sums, longer rows split in two at a multiple of 8), so the loops do the same float operations
in the same order as the NumPy code in `attention_ops`, which stays the reference and the path
without numba: `attention_kernels_test.py` checks both give the same numbers bit for bit. `exp`
stays NumPy's. Each entry point returns its array when it ran, None when it declines (see
`numkeras.backend.compiled_kernels`).

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0, 3.0, 2.0]], "float32")
    >>> out = shift_rows(x)
    >>> out is None or x.tolist() == [[-2.0, 0.0, -1.0]]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels


def shift_rows(x):
    """`x -= x.max(axis=-1, keepdims=True)` in place: returns x, or None to leave it to NumPy."""
    return _run("shift_rows", x)


def normalize_rows(e):
    """`e /= e.sum(axis=-1, keepdims=True)` in place: returns e, or None to leave it to NumPy."""
    return _run("normalize_rows", e)


def softmax_gradient_rows(dp, p):
    """`dp = (dp - (dp * p).sum(axis=-1, keepdims=True)) * p` in place: returns dp, or None for NumPy."""
    if dp.shape != p.shape or dp.dtype != p.dtype:
        return None
    return _run("softmax_gradient_rows", dp, p)


def _run(name, x, *others):
    if x.ndim == 0 or x.shape[-1] == 0 or not compiled_kernels.takes(x, *others):
        return None
    kernel = compiled_kernels.compiled(_define, name)
    if kernel is None:
        return None
    rows = x.reshape(-1, x.shape[-1])
    kernel(rows, *(o.reshape(rows.shape) for o in others))
    return x


def _define(jit):
    @jit
    def pairwise_sum(a, lo, n):
        """NumPy's pairwise sum of a[lo:lo + n] (numpy/_core/src/umath/loops_utils.h.src), starting from 0."""
        if n < 8:  # n >= 1 here; NumPy starts from +0.0: 0.0 + a[lo] is a[lo], with -0.0 made +0.0
            res = a[lo]
            if res == 0:
                res = res * res
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
    def shift_rows(x):
        rows, n = x.shape
        for r in range(rows):
            row = x[r]
            top = row[0]
            for j in range(1, n):
                v = row[j]
                if v > top or v != v:  # NaN wins, as in NumPy's maximum
                    top = v
                    if v != v:
                        break
            for j in range(n):
                row[j] -= top

    @jit
    def normalize_rows(e):
        rows, n = e.shape
        for r in range(rows):
            row = e[r]
            total = pairwise_sum(row, 0, n)
            for j in range(n):
                row[j] /= total

    @jit
    def softmax_gradient_rows(dp, p):
        rows, n = dp.shape
        products = np.empty(n, dp.dtype)
        for r in range(rows):
            g, y = dp[r], p[r]
            for j in range(n):
                products[j] = g[j] * y[j]
            dot = pairwise_sum(products, 0, n)
            for j in range(n):
                g[j] = (g[j] - dot) * y[j]
    return {"shift_rows": shift_rows, "normalize_rows": normalize_rows,
            "softmax_gradient_rows": softmax_gradient_rows}
