"""2-D max pooling over tiled windows, and its gradient, as compiled loops (numba, when installed).

NumPy's max pooling (`pool_ops`) reshapes the input into tiles and folds the window axes: three
passes forward; its gradient finds each window's first maximal cell with four NumPy passes per
window cell, sixteen for 2x2 windows. When the input does not divide into whole tiles (an 11x11 map
pooled 2x2), it first copies the part the windows cover, and pads the gradient back out afterwards.
These loops read the input where it lies, skip the uncovered edge and make one pass each way, with
the same results: the same maxima (NaN wins, as in `numpy.maximum`) and the window's gradient on its
first maximal cell in row-major order, zero elsewhere. The forward loop notes that cell (one byte
per maximum), so the gradient loop never reads the input again. On the book convnet's two pooling
layers forward and gradient together take 1.8 ms a step instead of 5.5 on NumPy. `pool_ops` keeps
the NumPy path as the reference and for everything else (1-D and 3-D, overlapping or strided
windows, no numba).

Example:
    >>> import numpy as np
    >>> x = np.array([1.0, 3.0, 3.0, 2.0, 9.0], "float32").reshape(1, 1, 5, 1)  # the 9 is left over
    >>> found = max_2d(x, (1, 2))  # None: numba is off or absent, NumPy's turn
    >>> found is None or [a.ravel().tolist() for a in found] == [[3.0, 3.0], [1, 0]]
    True
    >>> grad = max_grad_2d(x, np.array([3.0, 3.0], "float32").reshape(1, 1, 2, 1), np.ones((1, 1, 2, 1), "float32"),
    ...                    (1, 2))
    >>> grad is None or grad.ravel().tolist() == [0.0, 1.0, 1.0, 0.0, 0.0]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these return None

from numkeras.backend import compiled_kernels


def ready():
    """Whether these kernels may run (numba is on and imports): worth preparing their input for."""
    return compiled_kernels.is_enabled() and compiled_kernels.kernels(_define) is not None


def max_2d(x, pool, data_format="channels_last"):
    """The maxima of the whole `pool`-sized tiles of `x` (batch, height, width, channels), and which cell
    of each tile the gradient goes to; None to use NumPy.

    The second array (uint8, shaped like the maxima) holds each tile's first cell in row-major order
    that equals its maximum, or 255 where none does (a NaN maximum): `max_grad_from_cells` then needs
    neither `x` nor another pass over it. Cells past the last whole tile are not read. channels_first
    is left to NumPy: copying it to channels_last first would cost about what NumPy's passes do.
    """
    kernel = compiled_kernels.compiled(_define, "max_2d") if (
        data_format == "channels_last" and x.ndim == 4 and pool[0] * pool[1] < _NO_CELL
        and compiled_kernels.takes(x)) else None
    if kernel is None:
        return None
    n, height, width, channels = x.shape
    out = np.empty((n, height // pool[0], width // pool[1], channels), x.dtype)
    cells = np.empty(out.shape, np.uint8)
    kernel(x, out, cells, *pool)
    return out, cells


_NO_CELL = 255  # a tile whose maximum is NaN: no cell equals it, none gets the gradient


def max_grad_from_cells(cells, g, shape, pool):
    """The gradient for the pooled input of `shape` (channels_last): each tile's gradient `g` on the
    cell `max_2d` chose, zero elsewhere (and on the edge no tile covers); None to use NumPy."""
    kernel = compiled_kernels.compiled(_define, "max_grad_from_cells") if compiled_kernels.takes(
        g, contiguous=False) else None
    if kernel is None:
        return None
    grad = np.empty(shape, g.dtype)
    kernel(cells, np.ascontiguousarray(g), grad, *pool)
    return grad


def max_grad_2d(x, out, g, pool, data_format="channels_last"):
    """The gradient for `x` of its tiled maxima `out`, given their gradient `g`; None to use NumPy.

    Args:
        x: the pooled input, `(batch, height, width, channels)` or channels first.
        out: its maxima over whole `pool`-sized tiles, in the same layout.
        g: the gradient of `out`.
        pool: the window (and stride) sizes.
        data_format: the layout of all three.
    """
    if type(x) is not np.ndarray:  # a device array: CuPy's kernel on the cupy backend, else the xp code
        from numkeras.backend import array_module
        if array_module.backend_name() != "cupy" or not compiled_kernels.is_enabled_on_device():
            return None
        from numkeras.engine import pool_cupy_kernels
        return pool_cupy_kernels.max_grad_2d(x, out, g, pool, data_format)
    kernel = compiled_kernels.compiled(_define, "max_grad_2d") if x.ndim == 4 and compiled_kernels.takes(
        x, out, g, contiguous=False) else None
    if kernel is None:
        return None
    last = data_format == "channels_last"
    # The loop vectorizes over contiguous channels only: channels_first is copied to that layout first.
    x, out, g = (np.ascontiguousarray(a if last else a.transpose(0, 2, 3, 1)) for a in (x, out, g))
    grad = np.empty(x.shape, g.dtype)
    kernel(x, out, g, grad, *pool)
    return grad if last else grad.transpose(0, 3, 1, 2)


def _define(jit):
    @jit
    def max_2d(x, out, cells, k1, k2):
        n, rows, cols, channels = out.shape
        for b in range(n):
            for i in range(rows):
                for j in range(cols):
                    for c in range(channels):
                        v = x[b, i * k1, j * k2, c]
                        out[b, i, j, c] = v
                        cells[b, i, j, c] = 0 if v == v else 255
                    for p in range(k1):
                        for q in range(k2):
                            if p == 0 and q == 0:
                                continue
                            cell = p * k2 + q
                            for c in range(channels):
                                v = x[b, i * k1 + p, j * k2 + q, c]
                                m = out[b, i, j, c]
                                # NaN wins and stays, as in numpy.maximum; of two equal zeros the later
                                # one, as x86's max instruction (and so NumPy there) picks. The cell moves
                                # only to a strictly larger value: the first maximal cell keeps it.
                                if m == m and (v >= m or v != v):
                                    out[b, i, j, c] = v
                                    if v != v:
                                        cells[b, i, j, c] = 255
                                    elif v > m:
                                        cells[b, i, j, c] = cell

    @jit
    def max_grad_from_cells(cells, g, grad, k1, k2):
        n, rows, cols, channels = g.shape
        height, width = grad.shape[1], grad.shape[2]
        for b in range(n):
            for i in range(rows):
                for j in range(cols):
                    for p in range(k1):
                        for q in range(k2):
                            cell = p * k2 + q
                            for c in range(channels):
                                hit = cells[b, i, j, c] == cell
                                grad[b, i * k1 + p, j * k2 + q, c] = g[b, i, j, c] if hit else 0
            for r in range(height):  # the edge no window covers gets no gradient
                for col in range(width):
                    if r >= rows * k1 or col >= cols * k2:
                        for c in range(channels):
                            grad[b, r, col, c] = 0

    @jit
    def max_grad_2d(x, out, g, grad, k1, k2):
        n, rows, cols, channels = out.shape
        height, width = x.shape[1], x.shape[2]
        taken = np.empty(channels, np.bool_)
        for b in range(n):
            for i in range(rows):
                for j in range(cols):
                    taken[:] = False
                    for p in range(k1):  # window cells in row-major order: the first maximum takes it
                        for q in range(k2):
                            for c in range(channels):  # innermost and contiguous: vectorized
                                hit = x[b, i * k1 + p, j * k2 + q, c] == out[b, i, j, c] and not taken[c]
                                grad[b, i * k1 + p, j * k2 + q, c] = g[b, i, j, c] if hit else 0
                                taken[c] = taken[c] or hit
            for r in range(height):  # the edge no window covers gets no gradient
                for col in range(width):
                    if r >= rows * k1 or col >= cols * k2:
                        for c in range(channels):
                            grad[b, r, col, c] = 0
    return {"max_2d": max_2d, "max_grad_2d": max_grad_2d, "max_grad_from_cells": max_grad_from_cells}
