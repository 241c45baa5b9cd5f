"""Dot: the per-sample dot product of two inputs along chosen axes.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> x, y = np.ones((1, 5, 2), "float32"), np.ones((1, 2, 5), "float32")
    >>> layers.Dot(axes=(1, 2))([x, y]).shape
    (1, 2, 2)
    >>> layers.dot([np.ones((3, 4), "float32")] * 2, axes=1).numpy().ravel()
    array([4., 4., 4.], dtype=float32)
"""
import math

from numkeras.engine import linalg_ops, shape_ops
from numkeras.layers.merging.base_merge import Merge
from numkeras.utils.numerical_utils import normalize as _l2_normalize


class Dot(Merge):
    """Computes the dot product of the samples of two tensors.

    For `x` of shape `(batch, 3, 5)`, `y` of shape `(batch, 10, 3)` and
    `axes=(1, 2)` the result has shape `(batch, 5, 10)`: the summed axes are
    dropped, then `x`'s other axes come first, then `y`'s. Two 2-D inputs
    give shape `(batch, 1)`.

    Args:
        axes: an integer, or a pair `(axis_of_x, axis_of_y)`: the axes to
            sum over. They must have the same size; the batch axis (0)
            cannot be one of them.
        normalize: whether to L2-normalize each sample along its dot axis
            first, which makes the output the cosine similarity. Defaults
            to False.
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).

    Example:
        >>> from numkeras import layers
        >>> a, b = layers.Input(shape=(8,)), layers.Input(shape=(8,))
        >>> layers.Dot(axes=1, normalize=True)([a, b]).shape
        (None, 1)
    """

    _exact_inputs = 2
    _align_ranks = False

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Dot: `axes` should be an int or a list/tuple of two ints. Received: axes={axes!r}.")
            if len(axes) != 2:
                raise ValueError(f"Dot: `axes` should contain two elements, one axis per input. "
                                 f"Received: axes={axes!r}.")
            if not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
                raise ValueError(f"Dot: the elements of `axes` should be integers. Received: axes={axes!r}.")
        self.axes = axes
        self.normalize = normalize

    def _resolved_axes(self, shapes):
        """The dot axis of each input as a non-negative index, after range checks."""
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        resolved = []
        for axis, shape in zip(pair, shapes):
            if not -len(shape) <= axis < len(shape):
                raise ValueError(f"Dot layer {self.name!r}: axes={self.axes} is out of range for an input of shape "
                                 f"{shape}. Full input shapes: {shapes}.")
            resolved.append(axis % len(shape))
        if 0 in resolved:
            raise ValueError(f"Dot layer {self.name!r}: cannot take the dot product over axis 0, the batch axis "
                             f"(axes={self.axes}, input shapes {shapes}). If your inputs are not batched, add a batch "
                             "axis with ops.expand_dims(x, 0).")
        return resolved

    def compute_output_shape(self, input_shape):
        shapes = self._input_shapes(input_shape)
        if any(len(s) < 2 for s in shapes):
            raise ValueError(f"Dot layer {self.name!r} needs inputs of rank >= 2 (a batch axis and a dot axis). "
                             f"Received inputs with shapes {shapes}.")
        batch = self._batch_size(shapes)
        a, b = self._resolved_axes(shapes)
        (x, y) = shapes
        if x[a] is not None and y[b] is not None and x[a] != y[b]:
            raise ValueError(f"Dot layer {self.name!r}: incompatible input shapes: axis values {x[a]} (at axis {a}) != "
                             f"{y[b]} (at axis {b}). Full input shapes: {x}, {y}. Choose `axes` of equal size.")
        out = (batch,) + x[1:a] + x[a + 1:] + y[1:b] + y[b + 1:]
        return out if len(out) > 1 else out + (1,)

    def _merge_function(self, inputs):
        x, y = inputs
        a, b = self._resolved_axes([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x, y = _l2_normalize(x, axis=a), _l2_normalize(y, axis=b)
        return batch_dot(x, y, a, b)

    def compute_mask(self, inputs, mask=None):
        return None  # the dot product has no timesteps left to mask (as Keras)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def batch_dot(x, y, x_axis, y_axis):
    """Per-sample dot product of `x` and `y` over `x_axis` and `y_axis` (both > 0).

    Moves the summed axes next to each other, flattens the rest to 3-D and
    does one batched matmul, then restores the kept axes.
    """
    x_kept = [d for d in range(1, x.ndim) if d != x_axis]
    y_kept = [d for d in range(1, y.ndim) if d != y_axis]
    x_perm, y_perm = [0] + x_kept + [x_axis], [0, y_axis] + y_kept
    if x_perm != list(range(x.ndim)):
        x = shape_ops.transpose(x, x_perm)
    if y_perm != list(range(y.ndim)):
        y = shape_ops.transpose(y, y_perm)
    batch, depth = x.shape[0], x.shape[-1]
    x_rest, y_rest = tuple(x.shape[1:-1]), tuple(y.shape[2:])
    out = linalg_ops.matmul(shape_ops.reshape(x, (batch, math.prod(x_rest), depth)),
                            shape_ops.reshape(y, (batch, depth, math.prod(y_rest))))
    shape = (batch,) + x_rest + y_rest
    return shape_ops.reshape(out, shape if len(shape) > 1 else (batch, 1))


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the `Dot` layer: `Dot(axes, **kwargs)(inputs)`.

    Args:
        inputs: a list of two tensors.
        axes: an integer or a pair of integers: the axes to sum over.
            Defaults to -1.
        **kwargs: standard layer keyword arguments, and `normalize`.

    Returns:
        The per-sample dot product of the two inputs.
    """
    return Dot(axes=axes, **kwargs)(inputs)
