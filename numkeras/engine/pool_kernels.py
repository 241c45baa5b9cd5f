"""Max pooling over 2-D tiled windows, and its gradient, as compiled loops (numba, when installed).

`pool_ops._max_grad` finds each window's first maximal cell with four NumPy passes per window cell:
sixteen passes over a quarter of the input for 2x2 windows. This loop makes one pass and writes the
same gradient (the window's gradient to its first maximal cell in row-major order, zero elsewhere):
3.6x faster on the book convnet's first pooling layer (64x26x26x32); the forward maxima likewise
take one pass instead of three (2.6x). `pool_ops` keeps the NumPy path as the reference and for
everything else (1-D and 3-D, overlapping or strided windows, no numba).

Example:
    >>> import numpy as np
    >>> source = np.array([1.0, 3.0, 3.0, 2.0], "float32").reshape(1, 1, 2, 1, 2, 1)
    >>> grad = max_grad_2d(source, np.full((1, 1, 1, 1), 3.0, "float32"), np.ones((1, 1, 1, 1), "float32"))
    >>> grad is None or grad.ravel().tolist() == [0.0, 1.0, 0.0, 0.0]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module this returns None

from numkeras.backend import fused


def max_grad_2d(source, out, g, data_format="channels_last"):
    """The gradient for `source` in the split layout of 2-D tiled pooling, or None to use NumPy.

    Args:
        source: `(n, rows, k1, cols, k2, c)` (channels_last) or `(n, c, rows, k1, cols, k2)`.
        out: the pooled maxima, `(n, rows, cols, c)` or `(n, c, rows, cols)`.
        g: the gradient of `out`.
        data_format: which of the two layouts.
    """
    kernel = fused.compiled(_define, "max_grad_2d") if source.ndim == 6 and fused.takes(
        source, out, g, contiguous=False) else None
    if kernel is None:
        return None
    last = data_format == "channels_last"
    # The loop vectorizes over contiguous channels only: a cropped input (odd sizes) or channels_first
    # is copied to that layout first (one pass; a strided loop would be slower than NumPy).
    source = np.ascontiguousarray(source if last else source.transpose(0, 2, 3, 4, 5, 1))
    out, g = (np.ascontiguousarray(a if last else a.transpose(0, 2, 3, 1)) for a in (out, g))
    grad = np.empty(source.shape, g.dtype)
    kernel(source, out, g, grad)
    return grad if last else grad.transpose(0, 5, 1, 2, 3, 4)


def max_2d(source, data_format="channels_last"):
    """The maxima of 2-D tiled windows of `source` (split layout, as in `max_grad_2d`), or None to use NumPy.

    NaN propagates as in `numpy.maximum`.
    """
    # Only where no copy is needed: copying a cropped or channels_first input first costs about what
    # NumPy's three passes do.
    kernel = fused.compiled(_define, "max_2d") if (
        data_format == "channels_last" and source.ndim == 6 and fused.takes(source)) else None
    if kernel is None:
        return None
    n, rows, _, cols, _, channels = source.shape
    out = np.empty((n, rows, cols, channels), source.dtype)
    kernel(source, out)
    return out


def _define(jit):
    @jit
    def max_2d(source, out):
        n, rows, k1, cols, k2, channels = source.shape
        for b in range(n):
            for i in range(rows):
                for j in range(cols):
                    for c in range(channels):
                        out[b, i, j, c] = source[b, i, 0, j, 0, c]
                    for p in range(k1):
                        for q in range(k2):
                            if p == 0 and q == 0:
                                continue
                            for c in range(channels):
                                v = source[b, i, p, j, q, c]
                                m = out[b, i, j, c]
                                # NaN wins and stays, as in numpy.maximum; of two equal zeros the later
                                # one, as x86's max instruction (and so NumPy there) picks.
                                if m == m and (v >= m or v != v):
                                    out[b, i, j, c] = v

    @jit
    def max_grad_2d(source, out, g, grad):
        n, rows, k1, cols, k2, channels = source.shape
        taken = np.empty(channels, np.bool_)
        for b in range(n):
            for i in range(rows):
                for j in range(cols):
                    taken[:] = False
                    for p in range(k1):  # window cells in row-major order: the first maximum takes it
                        for q in range(k2):
                            for c in range(channels):  # innermost and contiguous: vectorized
                                hit = source[b, i, p, j, q, c] == out[b, i, j, c] and not taken[c]
                                grad[b, i, p, j, q, c] = g[b, i, j, c] if hit else 0
                                taken[c] = taken[c] or hit
    return {"max_2d": max_2d, "max_grad_2d": max_grad_2d}
