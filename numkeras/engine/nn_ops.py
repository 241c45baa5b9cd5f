"""Neural-network primitives: relu, sigmoid, softmax, log_softmax.

These are primitives (not composites) because each has a short, stable
gradient. softmax and sigmoid also remember their logits on the output, so
a cross-entropy loss can work from the logits (Keras does the same), which
is both stabler and gives the fused gradient `p - y`.

Example:
    >>> from numkeras.engine import nn_ops
    >>> nn_ops.softmax([[0.0, 0.0]]).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.engine import relu_kernels
from numkeras.engine.last_axis_max import max_keepdims
from numkeras.engine.tape import overwritable
from numkeras.engine.tensor import as_tensor, make


def relu(x):
    x = as_tensor(x)
    out = xp.maximum(x.data, 0)
    return make(out, (x,), lambda g: (relu_kernels.relu_gradient(g, out, in_place=overwritable(g)),))


def sigmoid(x):
    x = as_tensor(x)
    # Stable for large |x|: exp of a non-positive number only.
    e = xp.exp(-xp.abs(x.data))
    out = xp.where(x.data >= 0, 1 / (1 + e), e / (1 + e)).astype(x.data.dtype, copy=False)
    y = make(out, (x,), lambda g: (g * out * (1 - out),))
    y._keras_logits, y._keras_activation = x, "sigmoid"
    return y


def softmax(x, axis=-1):
    x = as_tensor(x)
    e = xp.exp(x.data - max_keepdims(x.data, axis))
    out = e / e.sum(axis=axis, keepdims=True)

    def vjp(g):
        return ((g - (g * out).sum(axis=axis, keepdims=True)) * out,)
    y = make(out, (x,), vjp)
    if axis in (-1, x.ndim - 1):
        y._keras_logits, y._keras_activation = x, "softmax"
    return y


def log_softmax(x, axis=-1):
    x = as_tensor(x)
    shifted = x.data - max_keepdims(x.data, axis)
    out = shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))

    def vjp(g):
        return (g - xp.exp(out) * g.sum(axis=axis, keepdims=True),)
    return make(out, (x,), vjp)
