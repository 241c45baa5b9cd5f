"""Saturating arithmetic for optimizer state: squares and sums that stop at the largest finite value.

Keras squares gradients in the weights' dtype, so a float32 gradient above ~1.8e19 makes a
second-moment slot inf, and the next step turns it into NaN (inf - inf). numkeras saturates instead:
squares and sums of squares stop at the dtype's largest finite value. Wherever Keras's state stays
finite the results are the same; beyond that, weights and state stay finite (though such a step is
not a meaningful one).

Example:
    >>> import numpy as np
    >>> out = np.empty(2, "float32")
    >>> saturating_square(np.array([3.0, 1e20], "float32"), out).tolist() == [9.0, float(np.finfo("float32").max)]
    True
"""
import numpy as np

from numkeras.backend import errstate as _errstate
from numkeras.backend import xp


def saturate(x):
    """Clamps `x` in place to the finite range of its dtype (+-inf become +-max)."""
    big = xp.finfo(x.dtype).max
    return xp.clip(x, -big, big, out=x)


def saturating_square(x, out):
    """`out = x**2`, at most the dtype's largest finite value instead of inf."""
    return _saturating(xp.square, x, out=out)


def saturating_add(a, b, out):
    """`out = a + b`, clamped to the dtype's finite range instead of overflowing."""
    return _saturating(xp.add, a, b, out=out)


def _saturating(ufunc, *args, out):
    # Clamp only after an overflow: an extra pass on every step would cost ~20% of Adam's time.
    if xp is not np:  # a GPU array module has no floating-point error state: clamp every time (same values)
        return saturate(ufunc(*args, out=out))
    try:
        with _errstate(over="raise"):
            return ufunc(*args, out=out)
    except FloatingPointError:  # numpy raises after writing the result
        return saturate(out)
