"""Matrix multiplication and its gradient.

For `y = a @ b` the gradients are `g @ b.T` and `a.T @ g`; each is computed
only when its input needs it, so a model's input batch costs no matmul.

Example:
    >>> from numkeras.engine import linalg_ops
    >>> linalg_ops.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.engine import nn_ops, pooled_matmul
from numkeras.engine.tape import Donated, overwritable
from numkeras.engine.tensor import as_tensor, make, operands


def _swap(m):
    return m.swapaxes(-1, -2)


def matmul(a, b):
    a, b = operands(a, b)
    # Vectors are treated as a row (left) or a column (right) matrix, as in NumPy.
    a2 = a.data[None, :] if a.ndim == 1 else a.data
    b2 = b.data[:, None] if b.ndim == 1 else b.data
    out = xp.matmul(a.data, b.data)

    def vjp(g):
        if a.ndim == 1 and b.ndim == 1:  # a dot product
            return (g * b.data if a.requires_grad else None, g * a.data if b.requires_grad else None)
        g2 = g.reshape(g.shape[:-1] + (1, g.shape[-1])) if a.ndim == 1 else g
        g2 = g2[..., None] if b.ndim == 1 else g2
        ga = gb = None
        if a.requires_grad:
            ga = xp.matmul(g2, _swap(b2))
            ga = _sum_to_ndim(ga, max(a2.ndim, 2)).reshape(a.data.shape) if a.ndim == 1 else ga
        if b.requires_grad:
            gb = xp.matmul(_swap(a2), g2)
            gb = _sum_to_ndim(gb, 2).reshape(b.data.shape) if b.ndim == 1 else gb
        return ga, gb
    return make(out, (a, b), vjp)


def _sum_to_ndim(g, ndim):
    # A 1-D operand's gradient, summed over the batch axes one at a time (unbroadcast sums them at once,
    # which may round differently: this keeps matmul's results as they were).
    while g.ndim > ndim:
        g = g.sum(axis=0)
    return g


def affine(x, kernel, bias, relu=False):
    """`x @ kernel + bias` as one node (a Dense layer's core), for 2-D `x`; then `max(., 0)` if `relu`.

    One output buffer instead of two or three, written in place. The bias
    gradient is the output gradient itself: the tape's `unbroadcast` sums it
    over the batch, as for any broadcast operand.
    """
    x, kernel = operands(x, kernel)
    b = as_tensor(bias)
    out = pooled_matmul.matmul(x.data, kernel.data)
    if relu:
        nn_ops.add_bias_relu(out, b.data)
    else:
        out += b.data

    def vjp(g):
        if relu:
            g = nn_ops.relu_gradient(g, out, in_place=overwritable(g))
        return (Donated(pooled_matmul.matmul(g, kernel.data.T)) if x.requires_grad else None,
                pooled_matmul.matmul(x.data.T, g) if kernel.requires_grad else None,
                g if b.requires_grad else None)
    return make(out, (x, kernel, b), vjp)
