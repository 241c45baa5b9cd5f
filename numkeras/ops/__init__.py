"""numkeras.ops: NumPy-like differentiable functions for custom layers and losses.

Every function accepts Tensors, Variables, NumPy arrays or Python scalars and
returns a Tensor; under a `GradientTape` the result is differentiable.

Example:
    >>> from numkeras import ops
    >>> ops.softmax([[1.0, 1.0]]).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
import numpy as np

from numkeras.backend import floatx, xp
from numkeras.engine.conv_ops import conv, conv_transpose, depthwise_conv, separable_conv
from numkeras.engine.linalg_ops import matmul
from numkeras.engine.math_ops import (abs, add, cast, clip, divide, exp, log, log1p, maximum, minimum,
                                      multiply, negative, power, sign, sqrt, square, stop_gradient,
                                      subtract, tanh, where)
from numkeras.engine.nn_ops import log_softmax, relu, sigmoid, softmax
from numkeras.engine.pad_ops import pad, repeat
from numkeras.engine.pool_ops import average_pool, max_pool
from numkeras.engine.reduction_ops import argmax, argmin, max, mean, min, sum
from numkeras.engine.shape_ops import concatenate, expand_dims, reshape, squeeze, stack, transpose
from numkeras.engine.tensor import Tensor


def convert_to_tensor(x, dtype=None, sparse=None):
    """Returns `x` as a Tensor. Python floats become floatx, Python ints int32.

    Example:
        >>> convert_to_tensor([1.0, 2.0]).dtype
        'float32'
    """
    if isinstance(x, Tensor):
        return x if dtype is None else cast(x, dtype)
    if dtype is None and not hasattr(x, "dtype"):
        probe = np.asarray(x)
        dtype = floatx() if probe.dtype.kind == "f" else "int32" if probe.dtype.kind in "iu" else None
    return Tensor(xp.asarray(x, dtype=dtype))


def convert_to_numpy(x):
    """Returns `x` as a NumPy array."""
    return np.asarray(x.data if isinstance(x, Tensor) else x)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer indices `x` into `num_classes` columns (not differentiable).

    Example:
        >>> one_hot([0, 2], 3).numpy()
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    idx = convert_to_numpy(x).astype("int64")
    out = (idx[..., None] == np.arange(num_classes)).astype(dtype or floatx())
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return Tensor(xp.asarray(out))


def _compare(fn):
    def compare(x1, x2):
        return Tensor(fn(convert_to_numpy(x1), convert_to_numpy(x2)))
    compare.__name__ = fn.__name__
    compare.__doc__ = f"Elementwise `{fn.__name__}` (not differentiable)."
    return compare


equal, not_equal = _compare(np.equal), _compare(np.not_equal)
greater, greater_equal = _compare(np.greater), _compare(np.greater_equal)
less, less_equal = _compare(np.less), _compare(np.less_equal)


def shape(x):
    """Returns the shape of `x` as a tuple."""
    return tuple(np.shape(x.data if isinstance(x, Tensor) else x))


__all__ = [name for name in dir() if not name.startswith("_") and name not in ("np", "xp", "floatx")]
