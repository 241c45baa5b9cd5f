"""Deterministic initializers: Zeros, Ones, Constant and Identity.

Example:
    >>> from numkeras import initializers
    >>> initializers.Constant(3.0)((2, 2)).tolist()
    [[3.0, 3.0], [3.0, 3.0]]
"""
from numkeras.backend import standardize_dtype, xp
from numkeras.initializers.initializer import Initializer, as_shape


class Zeros(Initializer):
    """Fills with 0. `dtype` defaults to `floatx()`.

    Example:
        >>> Zeros()((2,)).tolist()
        [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return xp.zeros(as_shape(shape), dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fills with 1. `dtype` defaults to `floatx()`.

    Example:
        >>> Ones()((2,)).tolist()
        [1.0, 1.0]
    """

    def __call__(self, shape, dtype=None):
        return xp.ones(as_shape(shape), dtype=standardize_dtype(dtype))


class Constant(Initializer):
    """Fills with a constant scalar `value`.

    Args:
        value: a Python scalar. Defaults to 0.0.

    Example:
        >>> Constant(2.0)((3,)).tolist()
        [2.0, 2.0, 2.0]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return xp.full(as_shape(shape), self.value, dtype=standardize_dtype(dtype))

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """The identity matrix times `gain`, for 2-D shapes.

    Args:
        gain: a scale factor. Defaults to 1.0.

    Example:
        >>> Identity()((2, 2)).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = as_shape(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity initializer can only be used for 2D matrices. Received: shape={shape}. "
                             "Use a 2-D weight, or another initializer.")
        dtype = standardize_dtype(dtype)
        return (xp.eye(*shape) * self.gain).astype(dtype)

    def get_config(self):
        return {"gain": self.gain}
