"""Math ops: FFTs, special functions, segment reductions, top-k (Keras's `keras.src.ops.math`).

Example:
    >>> from numkeras.ops import math
    >>> math.__all__
    []
"""

__all__ = [name for name in dir() if not name.startswith("_")]
