"""Broadcasting a tensor to a larger shape; its gradient is summed back by the tape.

Example:
    >>> from numkeras.engine import broadcast_ops
    >>> broadcast_ops.broadcast_to([1.0, 2.0], (2, 2)).numpy()
    array([[1., 2.],
           [1., 2.]], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make


def broadcast_to(x, shape):
    """`x` repeated along new leading axes and size-1 axes to `shape`, as NumPy broadcasts (a copy)."""
    x = as_tensor(x)
    shape = tuple(int(n) for n in shape)
    try:
        out = xp.array(xp.broadcast_to(x.data, shape))
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast an array of shape {x.shape} to shape {shape}. Each "
                         f"axis of x must be 1 or equal to the target's, counting from the last.") from None
    return make(out, (x,), lambda g: (g,))  # the tape's unbroadcast sums g back to x's shape
