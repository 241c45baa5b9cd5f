"""Subtract: the elementwise difference of exactly two inputs.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> layers.Subtract()([a, b]).numpy()
    array([[-2.,  3.]], dtype=float32)
    >>> layers.subtract([a, b]).shape
    (1, 2)
"""
from numkeras.engine import math_ops
from numkeras.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Computes `inputs[0] - inputs[1]` elementwise.

    Takes a list of exactly two tensors of the same (or broadcastable) shape.

    Args:
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).

    Example:
        >>> from numkeras import layers, models
        >>> inputs1, inputs2 = layers.Input(shape=(16,)), layers.Input(shape=(32,))
        >>> x1, x2 = layers.Dense(8)(inputs1), layers.Dense(8)(inputs2)
        >>> diff = layers.Subtract()([x1, x2])  # same as layers.subtract([x1, x2])
        >>> models.Model([inputs1, inputs2], layers.Dense(4)(diff)).output.shape
        (None, 4)
    """

    _exact_inputs = 2

    def _merge_function(self, inputs):
        return math_ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Functional interface to the `Subtract` layer: `Subtract(**kwargs)(inputs)`.

    Args:
        inputs: a list of two tensors of the same (or broadcastable) shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        `inputs[0] - inputs[1]`.
    """
    return Subtract(**kwargs)(inputs)
