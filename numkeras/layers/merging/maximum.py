"""Maximum: the elementwise maximum of a list of inputs.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> layers.Maximum()([a, b]).numpy()
    array([[3., 5.]], dtype=float32)
    >>> layers.maximum([a, b]).shape
    (1, 2)
"""
import functools

from numkeras.engine import math_ops
from numkeras.layers.merging.base_merge import Merge, merge_with_mask_fill


class Maximum(Merge):
    """The elementwise maximum of a list of inputs.

    Takes a list of tensors of the same shape (or shapes that broadcast,
    see `Merge`) and returns one tensor of their broadcast shape.

    Args:
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).

    Example:
        >>> from numkeras import layers, models
        >>> inputs1, inputs2 = layers.Input(shape=(16,)), layers.Input(shape=(32,))
        >>> x1, x2 = layers.Dense(8)(inputs1), layers.Dense(8)(inputs2)
        >>> merged = layers.Maximum()([x1, x2])  # same as layers.maximum([x1, x2])
        >>> models.Model([inputs1, inputs2], layers.Dense(4)(merged)).output.shape
        (None, 4)
    """

    def _merge_function(self, inputs):
        return functools.reduce(math_ops.maximum, inputs)

    def _merge_masked(self, inputs, masks):
        return merge_with_mask_fill(math_ops.maximum, inputs, masks)


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer: `Maximum(**kwargs)(inputs)`.

    Args:
        inputs: a list of tensors of the same (or broadcastable) shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        The merged tensor.
    """
    return Maximum(**kwargs)(inputs)
