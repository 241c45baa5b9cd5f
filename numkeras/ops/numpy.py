"""NumPy-like ops: arithmetic, reductions, shapes, indexing, comparisons (Keras's `keras.ops.numpy`).

Example:
    >>> from numkeras.ops import numpy as knp
    >>> knp.multiply(knp.arange(4), 2).numpy()
    array([0, 2, 4, 6], dtype=int32)
"""
import numpy as _np

from numkeras.backend import floatx as _floatx
from numkeras.backend import xp as _xp
from numkeras.engine import gather_ops as _gather_ops
from numkeras.engine.einsum_ops import einsum
from numkeras.engine.linalg_ops import matmul
from numkeras.engine.math_ops import (abs, add, clip, divide, exp, log, log1p, maximum, minimum,
                                      multiply, negative, power, sign, sqrt, square, subtract, tanh, where)
from numkeras.engine.pad_ops import pad, repeat
from numkeras.engine.reduction_ops import argmax, argmin, max, mean, min, sum
from numkeras.engine.shape_ops import concatenate, expand_dims, reshape, squeeze, stack, transpose
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_numpy, convert_to_tensor


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in `[start, stop)` (not differentiable): int32 for ints, floatx for floats.

    Example:
        >>> arange(4).numpy()
        array([0, 1, 2, 3], dtype=int32)
    """
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        # (no any(): this module's `any` is ops.any)
        dtype = _floatx() if isinstance(start, float) or isinstance(stop, float) or isinstance(step, float) \
            else "int32"
    return _Tensor(_xp.arange(start, stop, step, dtype=dtype))


def take(x, indices, axis=None):
    """Elements of `x` at integer `indices` along `axis` (None: of the flattened `x`), differentiable in `x`.

    The gradient adds into the entries taken (a scatter-add), as Embedding's does.

    Example:
        >>> take([[1.0, 2.0], [3.0, 4.0]], [1, 1, 0], axis=0).numpy()
        array([[3., 4.],
               [3., 4.],
               [1., 2.]], dtype=float32)
    """
    x = convert_to_tensor(x)
    if axis is None:
        return _gather_ops.take(reshape(x, (-1,)), indices)
    axis = axis % x.ndim
    if axis == 0:
        return _gather_ops.take(x, indices)
    order = [axis] + [d for d in range(x.ndim) if d != axis]
    out = _gather_ops.take(transpose(x, order), indices)
    k = out.ndim - x.ndim + 1  # the axes the indices brought
    return transpose(out, list(range(k, k + axis)) + list(range(k)) + list(range(k + axis, out.ndim)))


def _logical(fn):
    def logical(*xs):
        return _Tensor(fn(*(convert_to_numpy(x).astype(bool) for x in xs)))
    logical.__name__ = fn.__name__
    logical.__doc__ = f"Elementwise `{fn.__name__}` of booleans (not differentiable): masks combine with it."
    return logical


logical_and, logical_or = _logical(_np.logical_and), _logical(_np.logical_or)
logical_not = _logical(_np.logical_not)


def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether any element along `axis` is true (not differentiable); `any(x != v, axis=-1)` makes masks."""
    return _Tensor(_np.any(convert_to_numpy(x), axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether every element along `axis` is true (not differentiable)."""
    return _Tensor(_np.all(convert_to_numpy(x), axis=axis, keepdims=keepdims))


def _compare(fn):
    def compare(x1, x2):
        return _Tensor(fn(convert_to_numpy(x1), convert_to_numpy(x2)))
    compare.__name__ = fn.__name__
    compare.__doc__ = f"Elementwise `{fn.__name__}` (not differentiable)."
    return compare


equal, not_equal = _compare(_np.equal), _compare(_np.not_equal)
greater, greater_equal = _compare(_np.greater), _compare(_np.greater_equal)
less, less_equal = _compare(_np.less), _compare(_np.less_equal)


__all__ = [name for name in dir() if not name.startswith("_") and name not in ("convert_to_numpy", "convert_to_tensor")]
