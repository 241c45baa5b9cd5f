"""The maximum along the last axis, fast when that axis is short (class scores).

NumPy reduces along the last axis one row at a time, paying a per-row setup:
for a (1024, 10) batch of logits `z.max(axis=-1)` takes about 52 µs on a
2-core Xeon, while the maximum over a transposed copy (one vectorized pass
per class) takes 5. softmax and the crossentropy losses shift their logits
by this maximum on every step. A maximum involves no rounding, so both ways
give the same numbers, NaN included.

Example:
    >>> import numpy as np
    >>> max_keepdims(np.array([[1.0, 3.0, 2.0], [0.0, -1.0, 5.0]], "float32"))
    array([[3.],
           [5.]], dtype=float32)
"""
from numkeras.backend import xp

# The transposed copy pays from about 64 rows of at most 64 entries (timed for 2 to 64 classes).
_MAX_ENTRIES = 64
_MIN_ROWS = 64


def max_keepdims(a, axis=-1):
    """`a.max(axis=axis, keepdims=True)`, through a transposed copy where that is faster."""
    if a.ndim == 0 or axis not in (-1, a.ndim - 1):
        return a.max(axis=axis, keepdims=True)
    entries = a.shape[-1]
    rows = a.size // entries if entries else 0
    if entries > _MAX_ENTRIES or rows < _MIN_ROWS:
        return a.max(axis=-1, keepdims=True)
    columns = xp.ascontiguousarray(a.reshape(rows, entries).T)
    return columns.max(axis=0).reshape(a.shape[:-1] + (1,))
