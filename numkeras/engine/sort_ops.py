"""Sorting and gathering along an axis, with gradients that put values back where they came from.

`sort`'s gradient sends each output gradient to the input position the value was sorted from (the
inverse permutation). `take_along_axis`'s gradient adds each output gradient into the position it
was gathered from, summing when an index repeats. Median and quantiles are composed from the two.

Example:
    >>> from numkeras.engine import sort_ops
    >>> sort_ops.sort([3.0, 1.0, 2.0], axis=0).numpy()
    array([1., 2., 3.], dtype=float32)
    >>> sort_ops.take_along_axis([[10.0, 20.0]], [[1, 1, 0]], axis=1).numpy()
    array([[20., 20., 10.]], dtype=float32)
"""
from numkeras.backend import scatter_add, xp
from numkeras.engine.tensor import Tensor, as_tensor, make


def sort(x, axis=-1):
    """Values of `x` sorted ascending along `axis` (NaN last), differentiable."""
    x = as_tensor(x)
    order = xp.argsort(x.data, axis=axis, kind="stable")
    out = xp.take_along_axis(x.data, order, axis=axis)

    def vjp(g):
        grad = xp.empty_like(g)
        xp.put_along_axis(grad, order, g, axis=axis)  # a permutation: every slot written once
        return (grad,)
    return make(out, (x,), vjp)


def take_along_axis(x, indices, axis):
    """`x`'s values at `indices` along the int `axis` (indices broadcast against `x` on the other axes)."""
    x = as_tensor(x)
    ids = xp.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"take_along_axis: indices must be integers. Received indices of dtype {ids.dtype}. "
                        f"Cast them with ops.cast(indices, 'int32').")
    if ids.ndim != x.ndim:
        raise ValueError(f"take_along_axis: indices must have as many dimensions as x ({x.ndim}). Received "
                         f"indices of shape {ids.shape} for x of shape {x.shape}.")
    axis = axis % x.ndim
    n = x.shape[axis]
    if ids.size and (int(ids.min()) < -n or int(ids.max()) >= n):
        raise IndexError(f"take_along_axis: an index is out of range for axis {axis} of size {n}. Received "
                         f"indices in [{int(ids.min())}, {int(ids.max())}].")
    ids = xp.where(ids < 0, ids + n, ids)
    # broadcast the non-axis dimensions of both, as NumPy does
    shape = [max(a, b) for a, b in zip(x.shape, ids.shape)]
    x_shape = list(shape)
    x_shape[axis] = n
    ids_shape = list(shape)
    ids_shape[axis] = ids.shape[axis]
    ids = xp.broadcast_to(ids, ids_shape)
    data = xp.broadcast_to(x.data, x_shape)
    out = xp.take_along_axis(data, ids, axis=axis)

    def vjp(g):
        full = xp.zeros(x_shape, dtype=g.dtype)
        index = list(xp.indices(ids.shape, sparse=True))
        index[axis] = ids
        scatter_add(full, tuple(index), g)  # repeated indices accumulate
        return (full,)  # the tape sums it back over x's broadcast dimensions
    return make(out, (x,), vjp)
