"""Neural-network primitives: relu, sigmoid, softmax, log_softmax, softplus, gelu, sparsemax.

These are primitives (not composites) because each has a short, stable
gradient (composed from other ops, softplus's and gelu's would be wrong at 0
or need an `erf` op the engine does not have). softmax and sigmoid also remember their logits on the output, so
a cross-entropy loss can work from the logits (Keras does the same), which
is both stabler and gives the fused gradient `p - y`.

Example:
    >>> from numkeras.engine import nn_ops
    >>> nn_ops.softmax([[0.0, 0.0]]).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
import math

import numpy as np

from numkeras.backend import xp
from numkeras.engine import relu_kernels
from numkeras.engine.last_axis_max import max_keepdims
from numkeras.engine.tape import overwritable
from numkeras.engine.tensor import as_tensor, make


def relu(x):
    x = as_tensor(x)
    out = xp.maximum(x.data, 0)
    return make(out, (x,), lambda g: (relu_gradient(g, out, in_place=overwritable(g)),))


def add_bias_relu(y, bias):
    """`y += bias; y = max(y, 0)`, in place (`bias` runs along the last axis of `y`): a layer's bias and
    relu in one node (Dense, Conv)."""
    if relu_kernels.add_bias_relu(y, bias) is None:
        y += bias
        xp.maximum(y, 0, out=y)


def relu_gradient(g, y, in_place=False):
    """`g * (y > 0)`: the gradient through a relu whose output is `y`; written into `g` when `in_place`
    (the caller owns `g`: see `tape.Donated`), else into a new array."""
    in_place = in_place and g.flags.writeable and g.shape == y.shape
    done = relu_kernels.relu_gradient(g, y, in_place)
    if done is not None:
        return done
    return xp.multiply(g, y > 0, out=g) if in_place else g * (y > 0)


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


def softplus(x):
    """`log(exp(x) + 1)`, computed without overflow."""
    x = as_tensor(x)
    out = xp.logaddexp(x.data, xp.zeros((), x.data.dtype))
    # d softplus / dx = sigmoid(x) = exp(x - softplus(x)); the exponent is <= 0
    return make(out, (x,), lambda g: (g * xp.exp(x.data - out),))


_erf = np.frompyfunc(math.erf, 1, 1)  # NumPy has no erf; math.erf is exact to double precision


def gelu(x):
    """The exact GELU, `x * P(X <= x)` for `X ~ N(0, 1)`, through `erf` in float64."""
    x = as_tensor(x)
    dtype = x.data.dtype
    cdf = (0.5 * (1.0 + _erf(x.data / math.sqrt(2.0)).astype(np.float64))).astype(dtype)
    pdf = (np.exp(-0.5 * np.square(x.data, dtype=np.float64)) / math.sqrt(2 * math.pi)).astype(dtype)
    return make(x.data * cdf, (x,), lambda g: (g * (cdf + x.data * pdf),))


def sparsemax(x, axis=-1):
    """`max(x - tau, 0)` along `axis`, with `tau` chosen so that the result sums to 1."""
    x = as_tensor(x)
    data, dtype = x.data, x.data.dtype
    z = -xp.sort(-data, axis=axis)  # descending
    cumsum = xp.cumsum(z, axis=axis)
    shape = [1] * data.ndim
    shape[axis] = -1
    k = xp.arange(1, data.shape[axis] + 1, dtype=dtype).reshape(shape)
    support = (1 + k * z) > cumsum  # the largest k where this holds is the support size
    size = support.sum(axis=axis, keepdims=True)
    tau = (xp.take_along_axis(cumsum, size - 1, axis=axis) - 1) / size.astype(dtype)
    out = xp.maximum(data - tau, 0)

    def vjp(g):
        kept = out > 0
        g_kept = g * kept
        count = kept.sum(axis=axis, keepdims=True).astype(g.dtype)
        return (g_kept - kept * (g_kept.sum(axis=axis, keepdims=True) / count),)
    return make(out, (x,), vjp)
