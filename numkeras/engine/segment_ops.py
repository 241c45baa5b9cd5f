"""Segment reductions (sum, max, min, prod over rows sharing an id) and top-k, beside their gradients.

`segment_*(data, ids, num_segments)` reduces the rows `data[i]` (along axis 0) into row `ids[i]`
of a `(num_segments,) + data.shape[1:]` result. Ids that are negative or not below
`num_segments` are dropped, and an empty segment holds the reduction's identity (0, 1, the
lowest or highest value of the dtype), as `jax.ops.segment_*` does.

Gradients: a sum sends each segment's gradient back to its rows; max and min send it to the
rows equal to the extreme, shared equally between ties; a product sends `g * product of the
other rows`, computed without dividing by zero (a segment with one zero row gives that row the
product of the rest, with two or more every row gets 0). `top_k`'s values send their gradient
back to the positions they were taken from.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import segment_ops
    >>> segment_ops.segment_sum(np.array([1.0, 2.0, 10.0]), np.array([0, 0, 1]), 2).numpy()
    array([ 3., 10.])
"""
from numkeras.backend import errstate as _errstate
from numkeras.backend import scatter_add, xp
from numkeras.engine.gather_ops import scatter_add_rows
from numkeras.engine.tensor import Tensor, as_tensor, make


def _segment_ids(data, segment_ids, num_segments, name):
    ids = xp.asarray(segment_ids.data if isinstance(segment_ids, Tensor) else segment_ids)
    if ids.ndim != 1:
        raise ValueError(f"{name}: segment_ids must be a 1-D vector. Received shape {ids.shape}. Flatten "
                         f"segment_ids and the leading axes of data first.")
    if data.ndim < 1 or ids.shape[0] != data.shape[0]:
        raise ValueError(f"{name}: segment_ids and data must have the same leading dimension. Received "
                         f"segment_ids.shape={ids.shape} and data.shape={data.shape}.")
    if ids.dtype.kind not in "iu":
        raise ValueError(f"{name}: segment_ids must be integers. Received dtype {ids.dtype}.")
    ids = ids.astype(xp.int64)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    num_segments = int(num_segments)
    keep = (ids >= 0) & (ids < num_segments)
    return ids, keep, num_segments


def segment_sum(data, segment_ids, num_segments=None):
    """Sums the rows of `data` that share a segment id (ids outside `[0, num_segments)` are dropped)."""
    data = as_tensor(data)
    ids, keep, count = _segment_ids(data.data, segment_ids, num_segments, "segment_sum")
    rows = data.data[keep]
    shape = (count,) + data.shape[1:]
    if data.data.dtype.kind == "f":
        out = scatter_add_rows(ids[keep], rows, shape).astype(data.data.dtype, copy=False)
    else:  # bincount sums in float64: exact integer sums need add.at
        out = xp.zeros(shape, data.data.dtype)
        scatter_add(out, ids[keep], rows)

    def vjp(g):
        grad = xp.zeros(data.shape, g.dtype)
        grad[keep] = g[ids[keep]]
        return (grad,)
    return make(out, (data,), vjp)


def _identity(dtype, reduction):
    if reduction is xp.multiply:
        return 1
    if dtype.kind == "f":
        return -xp.inf if reduction is xp.maximum else xp.inf
    if dtype.kind == "b":
        return reduction is xp.minimum
    info = xp.iinfo(dtype)
    return info.min if reduction is xp.maximum else info.max


def _segment_reduce(data, segment_ids, num_segments, reduction, name):
    ids, keep, count = _segment_ids(data.data, segment_ids, num_segments, name)
    out = xp.full((count,) + data.shape[1:], _identity(data.data.dtype, reduction), data.data.dtype)
    reduction.at(out, ids[keep], data.data[keep])
    return ids, keep, out


def _segment_extreme(data, segment_ids, num_segments, reduction, name):
    data = as_tensor(data)
    ids, keep, out = _segment_reduce(data, segment_ids, num_segments, reduction, name)

    def vjp(g):
        hit = xp.zeros(data.shape, bool)
        hit[keep] = data.data[keep] == out[ids[keep]]
        ties = xp.zeros(out.shape, g.dtype)
        scatter_add(ties, ids[keep], hit[keep].astype(g.dtype))
        grad = xp.zeros(data.shape, g.dtype)
        grad[keep] = xp.where(hit[keep], g[ids[keep]] / xp.maximum(ties[ids[keep]], 1), 0)
        return (grad,)
    return make(out, (data,), vjp)


def segment_max(data, segment_ids, num_segments=None):
    """The largest row value per segment (the dtype's lowest value, or -inf, where a segment is empty)."""
    return _segment_extreme(data, segment_ids, num_segments, xp.maximum, "segment_max")


def segment_min(data, segment_ids, num_segments=None):
    """The smallest row value per segment (the dtype's highest value, or inf, where a segment is empty)."""
    return _segment_extreme(data, segment_ids, num_segments, xp.minimum, "segment_min")


def segment_prod(data, segment_ids, num_segments=None):
    """The product of the rows per segment (1 where a segment is empty)."""
    data = as_tensor(data)
    ids, keep, out = _segment_reduce(data, segment_ids, num_segments, xp.multiply, "segment_prod")

    def vjp(g):
        x = data.data[keep]
        seg = ids[keep]
        zero = x == 0
        zeros = xp.zeros(out.shape, xp.int64)
        scatter_add(zeros, seg, zero.astype(xp.int64))
        nonzero_product = xp.ones(out.shape, x.dtype)
        xp.multiply.at(nonzero_product, seg, xp.where(zero, 1, x))
        with _errstate(divide="ignore", invalid="ignore"):
            others = xp.where(zero, xp.where(zeros[seg] == 1, nonzero_product[seg], 0),
                              xp.where(zeros[seg] > 0, 0, nonzero_product[seg] / xp.where(zero, 1, x)))
        grad = xp.zeros(data.shape, g.dtype)
        grad[keep] = g[seg] * others
        return (grad,)
    return make(out, (data,), vjp)


def top_k(x, k, sorted=True):  # noqa: A002 - Keras's argument name
    """The `k` largest values along the last axis and their int32 indices (ties: the lower index first).

    The values are differentiable; the order is always descending (`sorted=False` allows any order).
    """
    x = as_tensor(x)
    n = x.shape[-1] if x.ndim else 0
    if x.ndim == 0 or not 0 <= int(k) <= n:
        raise ValueError(f"top_k: k must be in [0, x.shape[-1]] for an x of rank >= 1. Received k={k} and "
                         f"x.shape={x.shape}.")
    k = int(k)
    # A stable ascending sort of the reversed row, read backwards: descending, ties in index order.
    order = n - 1 - xp.argsort(x.data[..., ::-1], axis=-1, kind="stable")[..., ::-1][..., :k]
    values = xp.take_along_axis(x.data, order, axis=-1)

    def vjp(g):
        grad = xp.zeros(x.shape, g.dtype)
        xp.put_along_axis(grad, order, g, axis=-1)  # the k positions are distinct
        return (grad,)
    return make(values, (x,), vjp), Tensor(order.astype(xp.int32))
