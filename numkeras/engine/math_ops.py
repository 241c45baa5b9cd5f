"""Elementwise primitives, each forward beside its vector-Jacobian product.

A `vjp(g)` returns one gradient per input, shaped like the broadcast
result; the tape sums it back to each input's shape. Gradients are computed
only for inputs that need them.

Example:
    >>> from numkeras.engine import math_ops
    >>> math_ops.multiply(2.0, 3.0).numpy()
    array(6., dtype=float32)
"""
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make, operands, unwrap


def add(a, b):
    a, b = operands(a, b)
    return make(a.data + b.data, (a, b), lambda g: (g, g))


def subtract(a, b):
    a, b = operands(a, b)
    return make(a.data - b.data, (a, b), lambda g: (g, -g if b.requires_grad else None))


def multiply(a, b):
    a, b = operands(a, b)

    def vjp(g):
        return (g * b.data if a.requires_grad else None,
                g * a.data if b.requires_grad else None)
    return make(a.data * b.data, (a, b), vjp)


def divide(a, b):
    a, b = operands(a, b)
    if a.data.dtype.kind in "iub" and b.data.dtype.kind in "iub":  # true division of ints: floatx, not float64
        from numkeras.backend import floatx
        a, b = as_tensor(a, floatx()), as_tensor(b, floatx())
    out = a.data / b.data

    def vjp(g):
        ga = g / b.data if a.requires_grad else None
        gb = -g * out / b.data if b.requires_grad else None
        return ga, gb
    return make(out, (a, b), vjp)


def power(a, b):
    a, b = operands(a, b)
    out = a.data ** b.data

    def vjp(g):
        ga = g * b.data * a.data ** (b.data - 1) if a.requires_grad else None
        gb = g * out * xp.log(xp.where(a.data > 0, a.data, 1)) if b.requires_grad else None
        return ga, gb
    return make(out, (a, b), vjp)


def maximum(a, b):
    a, b = operands(a, b)
    a_wins = a.data >= b.data  # ties send the gradient to `a`, as NumPy-based frameworks do
    return make(xp.maximum(a.data, b.data), (a, b),
                lambda g: (g * a_wins if a.requires_grad else None,
                           g * ~a_wins if b.requires_grad else None))


def minimum(a, b):
    a, b = operands(a, b)
    a_wins = a.data <= b.data
    return make(xp.minimum(a.data, b.data), (a, b),
                lambda g: (g * a_wins if a.requires_grad else None,
                           g * ~a_wins if b.requires_grad else None))


def where(condition, x, y):
    """Picks `x` where `condition` holds, else `y`; the gradient follows the pick."""
    cond = as_tensor(condition).data.astype(bool)
    x, y = operands(x, y)
    return make(xp.where(cond, x.data, y.data), (x, y),
                lambda g: (xp.where(cond, g, 0) if x.requires_grad else None,
                           xp.where(cond, 0, g) if y.requires_grad else None))


def negative(x):
    x = as_tensor(x)
    return make(-x.data, (x,), lambda g: (-g,))


def exp(x):
    x = as_tensor(x)
    out = xp.exp(x.data)
    return make(out, (x,), lambda g: (g * out,))


def log(x):
    x = as_tensor(x)
    return make(xp.log(x.data), (x,), lambda g: (g / x.data,))


def log1p(x):
    x = as_tensor(x)
    return make(xp.log1p(x.data), (x,), lambda g: (g / (1 + x.data),))


def sqrt(x):
    x = as_tensor(x)
    out = xp.sqrt(x.data)
    return make(out, (x,), lambda g: (g / (2 * out),))


def square(x):
    x = as_tensor(x)
    return make(xp.square(x.data), (x,), lambda g: (2 * g * x.data,))


def abs(x):  # noqa: A001 - mirrors numpy's name
    x = as_tensor(x)
    return make(xp.abs(x.data), (x,), lambda g: (g * xp.sign(x.data),))


def sign(x):
    x = as_tensor(x)
    return make(xp.sign(x.data), (x,), lambda g: (None,))


def tanh(x):
    x = as_tensor(x)
    out = xp.tanh(x.data)
    return make(out, (x,), lambda g: (g * (1 - out * out),))


def clip(x, x_min, x_max):
    """Clamps `x` to [x_min, x_max]; the gradient passes only where x was inside."""
    x = as_tensor(x)
    lo, hi = _bound(x_min, x.data.dtype), _bound(x_max, x.data.dtype)
    inside = (x.data >= lo) & (x.data <= hi)
    return make(xp.clip(x.data, lo, hi), (x,), lambda g: (g * inside,))


def _bound(v, dtype):
    v = unwrap(v)
    return xp.asarray(v, dtype=dtype)


def cast(x, dtype):
    """Converts to `dtype`; the gradient is cast back to the input's dtype."""
    x = as_tensor(x)
    src = x.data.dtype
    if src == dtype:
        return x
    differentiable = xp.dtype(dtype).kind == "f" and src.kind == "f"
    return make(x.data.astype(dtype), (x,),
                lambda g: (g.astype(src) if differentiable else None,))


def stop_gradient(x):
    """Returns `x` cut out of the graph: no gradient flows through it."""
    x = as_tensor(x)
    from numkeras.engine.tensor import Tensor
    return Tensor(x.data)
