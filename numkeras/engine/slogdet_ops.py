"""The sign and log-absolute-determinant of square matrices, with the log's gradient.

`d log|det X| / dX = inv(X)^T`, batched over leading axes; the sign has no gradient.

Example:
    >>> from numkeras.engine import slogdet_ops
    >>> sign, logdet = slogdet_ops.slogdet([[2.0, 0.0], [0.0, 3.0]])
    >>> float(sign), f"{float(logdet):.4f}"
    (1.0, '1.7918')
"""
from numkeras.backend import xp
from numkeras.engine.tensor import Tensor, as_tensor, make


def slogdet(x):
    """(sign, log|det x|) of the last two axes of `x`: two Tensors of `x`'s batch shape."""
    x = as_tensor(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"slogdet: x must be square matrices (..., n, n). Received shape {x.shape}.")
    sign, logdet = xp.linalg.slogdet(x.data)
    dtype = x.data.dtype

    def vjp(g):
        return (g[..., None, None] * xp.swapaxes(xp.linalg.inv(x.data), -1, -2).astype(g.dtype),)
    return Tensor(sign.astype(dtype)), make(logdet.astype(dtype), (x,), vjp)
