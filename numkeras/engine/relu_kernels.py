"""Bias plus relu, and the relu gradient mask, as single compiled passes (numba, when installed).

Each function returns its result when it ran, None when it declines (see
`numkeras.backend.compiled_kernels`); `nn_ops.add_bias_relu` and `nn_ops.relu_gradient` then run the
NumPy code.

A Conv or Dense layer with `activation="relu"` adds its bias and clips at zero in place: two NumPy
passes over the output. Its gradient `g * (y > 0)` is two more (a boolean mask, then the product into
a new array). On the book convnet's first convolution (64x26x26x32, 5.5 MB) those four passes cost
about 1.5 ms of a 19 ms training step; one compiled loop each does them in about a quarter of that.
Each loop computes exactly what the NumPy code beside it computes (`numpy.maximum(t, 0)`: NaN stays
NaN and -0.0 becomes +0.0; `g * 1.0` or `g * 0.0`). The NumPy code stays the reference, and the path
for small arrays (where a call into NumPy costs no more) and without numba.

Example:
    >>> import numpy as np
    >>> add_bias_relu(np.array([[-1.0, 2.0]], "float32"), np.array([0.5, 0.5], "float32")) is None  # small
    True
    >>> y = np.tile(np.array([-1.0, 2.0], "float32"), (MIN_SIZE, 1))
    >>> g = relu_gradient(np.ones_like(y), y)
    >>> g is None or g[0].tolist() == [0.0, 1.0]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels

# Below this many elements a kernel call saves less than it costs. The seed MLP's 128x512 hidden
# layer (65,536) is above it: 2% off its epoch, now that numba's disk cache makes the loops cost
# milliseconds to load instead of 0.1-0.2 s to compile.
MIN_SIZE = 1 << 14


def add_bias_relu(y, bias):
    """`y += bias; y = max(y, 0)` in place (`bias` runs along the last axis of `y`): returns `y`, or None
    to leave it to NumPy (`nn_ops.add_bias_relu`)."""
    kernel = compiled_kernels.compiled(_define, "add_bias_relu") if (
        y.size >= MIN_SIZE and bias.shape == y.shape[-1:] and y.dtype == bias.dtype
        and compiled_kernels.takes(y, bias)) else None
    if kernel is None:
        return None
    kernel(y.reshape(-1, bias.shape[0]), bias)
    return y


def relu_gradient(g, y, in_place=False):
    """`g * (y > 0)`, written into `g` when `in_place`, else into a new array: returns it, or None to
    leave it to NumPy (`nn_ops.relu_gradient`)."""
    # In place has a loop of its own: the two-array loop called with out=g cannot vectorize (aliasing).
    name = "relu_gradient_in_place" if in_place else "relu_gradient"
    kernel = compiled_kernels.compiled(_define, name) if (
        g.size >= MIN_SIZE and g.shape == y.shape and g.dtype == y.dtype and (g.flags.writeable or not in_place)
        and compiled_kernels.takes(g, y)) else None
    if kernel is None:
        return None
    if in_place:
        kernel(g.reshape(-1), y.reshape(-1), g.dtype.type(0))
        return g
    out = np.empty_like(g)
    kernel(g.reshape(-1), y.reshape(-1), out.reshape(-1), g.dtype.type(0))
    return out


def _define(jit):
    @jit
    def add_bias_relu(y, bias):
        rows, cols = y.shape
        for i in range(rows):
            for j in range(cols):
                t = y[i, j] + bias[j]
                if not (t > 0 or t != t):  # numpy.maximum(t, 0): NaN stays, -0.0 becomes +0.0
                    t = 0
                y[i, j] = t

    @jit
    def relu_gradient(g, y, out, zero):
        for i in range(g.size):
            out[i] = g[i] if y[i] > 0 else g[i] * zero  # as g * (y > 0): -g is -0.0 and inf NaN there too

    @jit
    def relu_gradient_in_place(g, y, zero):
        for i in range(g.size):
            g[i] = g[i] if y[i] > 0 else g[i] * zero
    return {"add_bias_relu": add_bias_relu, "relu_gradient": relu_gradient,
            "relu_gradient_in_place": relu_gradient_in_place}
