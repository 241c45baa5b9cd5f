"""The crossentropy losses' primitives, each forward beside its VJP.

- `softmax_cross_entropy_with_logits` and its sparse twin fuse log_softmax
  with the label product: one graph node whose gradient is
  `softmax(z) - y`. On a 128x10 batch (forward plus backward) the fused
  loss costs about half of the same loss composed from ops (six nodes).
- `take_along_axis` picks one entry per row (the log-probability of each
  sparse label on the probability path) and scatters the gradient back, so
  sparse labels never become a one-hot matrix.
- `sigmoid_cross_entropy_with_logits` is the stable binary crossentropy
  from logits. Composed from relu/abs/log1p its gradient would be wrong at
  exactly 0 (the subgradients of relu and abs do not add up to
  sigmoid(0) = 0.5); as a primitive its gradient is `sigmoid(z) - y`
  everywhere.

Example:
    >>> import numpy as np
    >>> from numkeras.engine.crossentropy_ops import sigmoid_cross_entropy_with_logits
    >>> round(float(sigmoid_cross_entropy_with_logits(np.float32(1.0), np.float32(0.0)).data), 4)
    0.6931
"""
from numkeras.backend import xp
from numkeras.engine.last_axis_max import max_keepdims
from numkeras.engine.tensor import as_tensor, make


def softmax_cross_entropy_with_logits(labels, logits, axis=-1):
    """Per-sample `-sum(y * log_softmax(z), axis)` for (soft) labels `y` shaped like `z`."""
    y, z = as_tensor(labels), as_tensor(logits)
    shifted = z.data - max_keepdims(z.data, axis)
    exp = xp.exp(shifted)
    total = exp.sum(axis=axis, keepdims=True)
    log_probs = shifted - xp.log(total)
    out = -(y.data * log_probs).sum(axis=axis)

    def vjp(g):
        g = g.reshape(total.shape)  # the class axis back, as size 1
        gz = g * (exp / total * y.data.sum(axis=axis, keepdims=True) - y.data) if z.requires_grad else None
        return (-g * log_probs if y.requires_grad else None, gz)
    return make(out, (y, z), vjp)


def sparse_softmax_cross_entropy_with_logits(labels, logits, axis=-1):
    """Per-sample `-log_softmax(z)[label]` for integer `labels` shaped like `z` without `axis`."""
    z = as_tensor(logits)
    pick = _Picker(labels, z.data.shape, axis)
    shifted = z.data - max_keepdims(z.data, axis)
    exp = xp.exp(shifted)
    total = exp.sum(axis=axis, keepdims=True)
    out = xp.squeeze(xp.log(total), axis=axis) - pick.take(shifted)

    def vjp(g):
        grad = exp / total  # softmax(z) - one_hot(labels), built in place
        pick.put(grad, pick.take(grad) - 1)
        return (grad * g.reshape(total.shape),)
    return make(out, (z,), vjp)


def take_along_axis(x, indices, axis=-1):
    """Returns `x[..., indices[...], ...]`: one entry of `x` along `axis` per index.

    Args:
        x: a Tensor of shape (..., k, ...).
        indices: an integer array shaped like `x` without `axis`.
        axis: the axis to pick along. Defaults to -1.
    """
    x = as_tensor(x)
    pick = _Picker(indices, x.data.shape, axis)

    def vjp(g):
        # Each row picks one entry, so a plain put (no accumulation) scatters the gradient.
        full = xp.zeros(x.data.shape, dtype=g.dtype)
        pick.put(full, g)
        return (full,)
    return make(pick.take(x.data), (x,), vjp)


def sigmoid_cross_entropy_with_logits(labels, logits):
    """Elementwise `-(y log(sigmoid(z)) + (1 - y) log(1 - sigmoid(z)))`, stable for any z.

    Computed as `max(z, 0) - z * y + log1p(exp(-|z|))`.
    """
    y, z = as_tensor(labels), as_tensor(logits)
    e = xp.exp(-xp.abs(z.data))
    out = xp.maximum(z.data, 0) - z.data * y.data + xp.log1p(e)

    def vjp(g):
        sig = xp.where(z.data >= 0, 1 / (1 + e), e / (1 + e))
        return (-g * z.data if y.requires_grad else None,
                g * (sig - y.data) if z.requires_grad else None)
    return make(out, (y, z), vjp)


class _Picker:
    """Reads and writes one entry per row along `axis` of arrays of `shape`.

    The class axis is usually the last one: then fancy indexing on a
    (rows, classes) view is several times faster than take_along_axis.
    """

    def __init__(self, indices, shape, axis):
        self.indices = xp.asarray(indices)
        self.axis = axis % len(shape)
        self.last = self.axis == len(shape) - 1
        if self.last:
            self.rows = xp.arange(self.indices.size)
            self.cols = self.indices.reshape(-1)
            self.classes = shape[-1]
        else:
            self.expanded = xp.expand_dims(self.indices, self.axis)

    def take(self, array):
        if self.last:
            return array.reshape(-1, self.classes)[self.rows, self.cols].reshape(self.indices.shape)
        return xp.squeeze(xp.take_along_axis(array, self.expanded, axis=self.axis), axis=self.axis)

    def put(self, array, values):
        """Writes `values` into the contiguous `array`, in place."""
        if self.last:
            array.reshape(-1, self.classes)[self.rows, self.cols] = xp.reshape(values, -1)
        else:
            xp.put_along_axis(array, self.expanded, xp.expand_dims(values, self.axis), axis=self.axis)
