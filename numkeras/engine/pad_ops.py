"""Padding, cropping and repeating along axes, with their gradients.

`pad` and `crop` are each other's gradient; `repeat`'s gradient sums each
run of copies back into the cell they came from.

Example:
    >>> from numkeras.engine import pad_ops
    >>> pad_ops.pad([[1.0, 2.0]], ((0, 0), (1, 2))).numpy()
    array([[0., 1., 2., 0., 0.]], dtype=float32)
    >>> pad_ops.repeat([[1.0, 2.0]], 2, axis=1).numpy()
    array([[1., 1., 2., 2.]], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make


def _widths(widths, ndim, what):
    widths = tuple((int(b), int(e)) for b, e in widths)
    if len(widths) != ndim or any(b < 0 or e < 0 for b, e in widths):
        raise ValueError(f"{what} needs one (before, after) pair of non-negative ints per axis of the rank-{ndim} "
                         f"input. Received: {widths}.")
    return widths


def _slices(widths, shape):
    return tuple(slice(b, n - e) for (b, e), n in zip(widths, shape))


def pad(x, pad_width, constant_values=0):
    """Pads each axis with `constant_values`: `pad_width` holds one (before, after) pair per axis."""
    x = as_tensor(x)
    widths = _widths(pad_width, x.ndim, "pad")
    out = xp.pad(x.data, widths, constant_values=constant_values)
    index = _slices(widths, out.shape)
    return make(out, (x,), lambda g: (g[index],))


def crop(x, crop_width):
    """Removes cells from both ends of each axis: `crop_width` holds one (before, after) pair per axis."""
    x = as_tensor(x)
    widths = _widths(crop_width, x.ndim, "crop")
    if any(b + e > n for (b, e), n in zip(widths, x.shape)):
        raise ValueError(f"crop: cannot remove {widths} cells from an input of shape {x.shape}.")
    # a copy, not a view: an in-place assign to a Variable must not change the output
    return make(x.data[_slices(widths, x.shape)].copy(), (x,), lambda g: (xp.pad(g, widths),))


def repeat(x, repeats, axis):
    """Repeats each cell along `axis` `repeats` times in a row ([a, b] -> [a, a, b, b])."""
    x = as_tensor(x)
    axis = axis % x.ndim
    repeats = int(repeats)
    shape = x.data.shape

    def vjp(g):
        # Split the axis into (cell, copy) and sum the copies.
        return (g.reshape(shape[:axis] + (shape[axis], repeats) + shape[axis + 1:]).sum(axis=axis + 1),)
    return make(xp.repeat(x.data, repeats, axis=axis), (x,), vjp)
