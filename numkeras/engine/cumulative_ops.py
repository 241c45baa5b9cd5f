"""Running sums and products along an axis, and the product reduction, with their gradients.

`cumsum`'s gradient is the reversed running sum of the output gradient. `cumprod`'s is
`revcumsum(g * out) / x` where no input is zero; a lane (the values along the axis) holding a zero
takes the exact, slower route: each input's gradient from the running product with that input
left out. `prod` is the last entry of a `cumprod` over the reduced axes, so it inherits both.

Example:
    >>> from numkeras.engine import cumulative_ops
    >>> cumulative_ops.cumprod([1.0, 2.0, 3.0], axis=0).numpy()
    array([1., 2., 6.], dtype=float32)
"""
from numkeras.backend import errstate as _errstate
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make


def _reverse_cumsum(g, axis):
    return xp.flip(xp.cumsum(xp.flip(g, axis), axis=axis), axis)


def cumsum(x, axis):
    """Running sum along the int `axis` (the caller flattens for axis=None)."""
    x = as_tensor(x)
    return make(xp.cumsum(x.data, axis=axis, dtype=x.data.dtype), (x,), lambda g: (_reverse_cumsum(g, axis),))


def cumprod(x, axis):
    """Running product along the int `axis`; exact gradients where inputs are zero."""
    x = as_tensor(x)
    out = xp.cumprod(x.data, axis=axis, dtype=x.data.dtype)

    def vjp(g):
        data = xp.moveaxis(x.data, axis, -1)
        gm = xp.moveaxis(g, axis, -1)
        with _errstate(all="ignore"):
            grad = _reverse_cumsum(gm * xp.moveaxis(out, axis, -1), -1) / data
        zero_lanes = xp.any(data == 0, axis=-1)
        if zero_lanes.any():
            grad[zero_lanes] = _cumprod_grad_exact(data[zero_lanes], gm[zero_lanes])
        return (xp.moveaxis(grad, -1, axis),)
    return make(out, (x,), vjp)


def _cumprod_grad_exact(lanes, g):
    """d(sum_j g_j * prod_{k<=j} x_k)/dx_i for each lane (rows of `lanes`), with x_i left out of the products."""
    n = lanes.shape[-1]
    grad = xp.empty_like(lanes)
    for i in range(n):
        left_out = lanes.copy()
        left_out[:, i] = 1
        running = xp.cumprod(left_out, axis=-1)
        grad[:, i] = (running[:, i:] * g[:, i:]).sum(axis=-1)
    return grad


def prod(x, axis=None, keepdims=False):
    """Product over `axis` (int, tuple or None), as the last running product over those axes."""
    x = as_tensor(x)
    ndim = x.ndim
    axes = tuple(range(ndim)) if axis is None else tuple(
        a % ndim for a in (axis if isinstance(axis, (tuple, list)) else (axis,))) if ndim else ()
    from numkeras.engine.shape_ops import getitem, reshape, transpose
    kept = [d for d in range(ndim) if d not in axes]
    moved = transpose(x, kept + list(axes)) if kept + list(axes) != list(range(ndim)) else x
    kept_shape = tuple(x.shape[d] for d in kept)
    flat = reshape(moved, kept_shape + (-1,) if x.size else kept_shape + (0,))
    if flat.shape[-1] == 0:  # the empty product
        out = as_tensor(xp.ones(kept_shape, dtype=x.data.dtype))
    else:
        out = getitem(cumprod(flat, -1), (Ellipsis, -1))
    if keepdims:
        out = reshape(out, tuple(1 if d in axes else n for d, n in enumerate(x.shape)))
    return out
