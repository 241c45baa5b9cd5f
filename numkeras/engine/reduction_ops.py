"""Reductions (sum, mean, max, min) with their gradients, and argmax.

Example:
    >>> from numkeras.engine import reduction_ops
    >>> reduction_ops.mean([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()
    array([2., 3.], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.engine.tensor import Tensor, as_tensor, make


_SUMMED_IN_OWN_DTYPE = (xp.dtype("float32"), xp.dtype("float64"))  # np.mean sums float16 in float32


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(a % ndim for a in axes) if ndim else ()


def _expand(g, axes, keepdims):
    """Puts the reduced axes back (as size 1) so `g` broadcasts over the input."""
    if keepdims or not axes:
        return g
    return xp.expand_dims(g, axes)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - mirrors numpy's name
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    shape = x.data.shape
    return make(xp.sum(x.data, axis=axes, keepdims=keepdims), (x,),
                lambda g: (xp.broadcast_to(_expand(g, axes, keepdims), shape),))


def mean(x, axis=None, keepdims=False):
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    shape = x.data.shape
    count = 1
    for a in axes:
        count *= shape[a]
    full = not keepdims and len(axes) == x.ndim  # one number, as a loss's mean over the batch
    if full and count and x.data.dtype in _SUMMED_IN_OWN_DTYPE and xp.__name__ == "numpy":  # NumPy scalars
        # np.mean's own arithmetic (its sum, then a division by the count as an intp) without its
        # Python wrapper, which costs more than the sum on a batch of losses.
        total = xp.add.reduce(x.data, axis=None)
        out = total.dtype.type(total / xp.intp(count))
    else:
        out = xp.mean(x.data, axis=axes, keepdims=keepdims)
    if x.data.dtype.kind != "f":
        from numkeras.backend import floatx
        out = out.astype(floatx())

    def vjp(g):
        if full and len(shape) == 1 and shape[0] <= 4096:  # small: filled, where broadcast_to's Python
            return (xp.full(shape, g / count, dtype=g.dtype),)  # would cost 8 us every step
        return (xp.broadcast_to(_expand(g, axes, keepdims) / count, shape),)
    return make(out, (x,), vjp)


def _extreme(x, axis, keepdims, reducer):
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    out = reducer(x.data, axis=axes, keepdims=True)

    def vjp(g):
        # Ties share the gradient equally, so the result stays a true subgradient.
        hit = x.data == out
        share = hit.sum(axis=axes, keepdims=True).astype(g.dtype)  # an int count would promote to float64
        return (hit * (_expand(g, axes, keepdims) / share),)
    return make(out if keepdims else xp.squeeze(out, axis=axes), (x,), vjp)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return _extreme(x, axis, keepdims, xp.max)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return _extreme(x, axis, keepdims, xp.min)


def argmax(x, axis=None, keepdims=False):
    """Index of the largest value along `axis` (not differentiable)."""
    return Tensor(xp.argmax(as_tensor(x).data, axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value along `axis` (not differentiable)."""
    return Tensor(xp.argmin(as_tensor(x).data, axis=axis, keepdims=keepdims))
