"""im2col and col2im of 2-D convolutions as compiled loops (numba, when installed).

`conv_ops._col2im` adds each kernel tap's window gradients into the input gradient with one strided
NumPy add per tap: nine passes over a buffer as large as the patch matrix for a 3x3 kernel, fast only
when each tap's gradients are contiguous (tap-major), which takes one matmul per tap to produce. This
loop walks the batch once and adds every tap's contribution while that sample's gradient is in cache,
in the same tap order, so the sums are identical; it reads the window-major layout that one matmul
gives. On the book convnet's second convolution the input gradient takes 1.8 ms instead of 2.2.
im2col (the patch matrix) is a copy either way: from 8 channels up the loop copies it 1.2-6x faster
than NumPy's copy from a window view (0.44 against 0.54 ms, 0.04 against 0.23 ms on the convnet's
second and third convolutions).
`conv_ops` keeps the NumPy path as the reference and for every other case (1-D and 3-D, grouped or
few-channel layouts, no numba).

Example:
    >>> import numpy as np
    >>> windows = np.ones((1, 1, 1, 2, 2, 1), "float32")  # a 2x2 kernel over a 1x1 output
    >>> dx = np.zeros((1, 2, 2, 1), "float32")
    >>> done = col2im_2d(windows, dx, (1, 1), (1, 1))  # None: numba is off or absent, NumPy's turn
    >>> done is None or done.ravel().tolist() == [1.0, 1.0, 1.0, 1.0]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels


def col2im_2d(windows, dx, strides, dilation):
    """Adds `windows` (n, rows, cols, k1, k2, channels) into the padded `dx` (n, height, width, channels).

    Returns `dx` when done, None when the NumPy path must do it (no numba, or other arrays).
    """
    kernel = compiled_kernels.compiled(_define, "col2im_2d") if (
        windows.ndim == 6 and dx.ndim == 4 and compiled_kernels.takes(windows, dx)) else None
    if kernel is None:
        return None
    kernel(windows, dx, *strides, *dilation)
    return dx


def col2im_ready(dtype):
    """Whether `col2im_2d` will take NumPy arrays of `dtype` (numba is on and imports)."""
    return (np.dtype(dtype).kind == "f" and compiled_kernels.is_enabled()
            and compiled_kernels.compiled(_define, "col2im_2d") is not None)


def im2col_2d(x, dst, strides, dilation):
    """Copies every window of the padded `x` (n, height, width, channels) into `dst` (n, rows, cols, k1, k2,
    channels). Returns `dst` when done, None when the NumPy path must do it (no numba, or other arrays)."""
    # With fewer channels than a vector register holds the loop copies a few floats at a time: slower
    # than NumPy's copy.
    kernel = compiled_kernels.compiled(_define, "im2col_2d") if (
        x.ndim == 4 and dst.ndim == 6 and x.shape[-1] >= 8 and compiled_kernels.takes(x, dst)) else None
    if kernel is None:
        return None
    kernel(x, dst, *strides, *dilation)
    return dst


def _define(jit):
    @jit
    def col2im_2d(windows, dx, s1, s2, d1, d2):
        n, rows, cols, k1, k2, channels = windows.shape
        for b in range(n):
            for ti in range(k1):
                for tj in range(k2):  # taps in the NumPy path's order: the same sums
                    for i in range(rows):
                        r = ti * d1 + i * s1
                        for j in range(cols):
                            col = tj * d2 + j * s2
                            for c in range(channels):
                                dx[b, r, col, c] += windows[b, i, j, ti, tj, c]

    @jit
    def im2col_2d(x, dst, s1, s2, d1, d2):
        n, rows, cols, k1, k2, channels = dst.shape
        for b in range(n):
            for i in range(rows):
                for j in range(cols):
                    for ti in range(k1):
                        for tj in range(k2):
                            for c in range(channels):
                                dst[b, i, j, ti, tj, c] = x[b, i * s1 + ti * d1, j * s2 + tj * d2, c]
    return {"col2im_2d": col2im_2d, "im2col_2d": im2col_2d}
