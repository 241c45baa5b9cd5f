"""Core ops: conversions, dtypes, shapes and what stops a gradient (Keras's `keras.src.ops.core`).

Example:
    >>> from numkeras import ops
    >>> ops.convert_to_numpy(ops.cast([1.7, -2.2], "int32"))
    array([ 1, -2], dtype=int32)
"""
import numpy as _np

from numkeras.backend import floatx as _floatx
from numkeras.backend import xp as _xp
from numkeras.engine.math_ops import cast, stop_gradient
from numkeras.engine.tensor import Tensor as _Tensor


def convert_to_tensor(x, dtype=None, sparse=None):
    """Returns `x` as a Tensor. Python floats become floatx, Python ints int32.

    Example:
        >>> convert_to_tensor([1.0, 2.0]).dtype
        'float32'
    """
    if isinstance(x, _Tensor):
        return x if dtype is None else cast(x, dtype)
    if dtype is None and not hasattr(x, "dtype"):
        probe = _np.asarray(x)
        dtype = _floatx() if probe.dtype.kind == "f" else "int32" if probe.dtype.kind in "iu" else None
    return _Tensor(_xp.asarray(x, dtype=dtype))


def convert_to_numpy(x):
    """Returns `x` as a NumPy array."""
    return _np.asarray(x.data if isinstance(x, _Tensor) else x)


def shape(x):
    """Returns the shape of `x` as a tuple."""
    return tuple(_np.shape(x.data if isinstance(x, _Tensor) else x))


__all__ = [name for name in dir() if not name.startswith("_")]
