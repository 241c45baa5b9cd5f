"""Linear-algebra ops: solves, factorizations, norms (Keras's `keras.ops.linalg`).

Example:
    >>> from numkeras.ops import linalg
    >>> linalg.__all__
    []
"""

__all__ = [name for name in dir() if not name.startswith("_")]
