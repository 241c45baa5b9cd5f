"""Ops that move values around without changing them: their gradients move them back.

Example:
    >>> from numkeras.engine import shape_ops
    >>> shape_ops.reshape([[1.0, 2.0], [3.0, 4.0]], (4,)).shape
    (4,)
"""
from numkeras.backend import scatter_add, xp
from numkeras.engine.tensor import as_tensor, make, unwrap


def reshape(x, new_shape):
    x = as_tensor(x)
    shape = x.data.shape
    return make(xp.reshape(x.data, new_shape), (x,), lambda g: (g.reshape(shape),))


def transpose(x, axes=None):
    x = as_tensor(x)
    # argsort inverts the permutation only once negative axes are made positive
    inverse = None if axes is None else tuple(xp.argsort([a % max(x.ndim, 1) for a in axes]))
    return make(xp.transpose(x.data, axes), (x,), lambda g: (xp.transpose(g, inverse),))


def expand_dims(x, axis):
    x = as_tensor(x)
    shape = x.data.shape
    return make(xp.expand_dims(x.data, axis), (x,), lambda g: (g.reshape(shape),))


def squeeze(x, axis=None):
    x = as_tensor(x)
    shape = x.data.shape
    return make(xp.squeeze(x.data, axis), (x,), lambda g: (g.reshape(shape),))


def getitem(x, index):
    x = as_tensor(x)
    index = _raw_index(index)

    def vjp(g):
        full = xp.zeros_like(x.data, dtype=g.dtype)
        scatter_add(full, index, g)  # add.at: repeated fancy indices must accumulate
        return (full,)
    return make(x.data[index], (x,), vjp)


def _raw_index(index):
    if isinstance(index, tuple):
        return tuple(unwrap(i) for i in index)
    return unwrap(index)


def concatenate(xs, axis=0):
    xs = [as_tensor(x) for x in xs]
    ends = xp.cumsum([x.data.shape[axis] for x in xs])[:-1]
    return make(xp.concatenate([x.data for x in xs], axis=axis), tuple(xs),
                lambda g: tuple(xp.split(g, ends, axis=axis)))


def stack(xs, axis=0):
    xs = [as_tensor(x) for x in xs]

    def vjp(g):
        return tuple(xp.take(g, i, axis=axis) for i in range(len(xs)))
    return make(xp.stack([x.data for x in xs], axis=axis), tuple(xs), vjp)


def flip(x, axis=None):
    """Reverses the order of the elements along `axis` (all axes when None); the gradient is flipped back.

    Example:
        >>> flip([1.0, 2.0, 3.0]).numpy()
        array([3., 2., 1.], dtype=float32)
    """
    x = as_tensor(x)
    return make(xp.ascontiguousarray(xp.flip(x.data, axis=axis)), (x,), lambda g: (xp.flip(g, axis=axis),))
