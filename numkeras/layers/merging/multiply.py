"""Multiply: multiplies a list of inputs elementwise.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> a, b = np.array([[1.0, 5.0]], "float32"), np.array([[3.0, 2.0]], "float32")
    >>> layers.Multiply()([a, b]).numpy()
    array([[ 3., 10.]], dtype=float32)
    >>> layers.multiply([a, b]).shape
    (1, 2)
"""
import functools

import numpy as np

from numkeras.engine import math_ops
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Multiplies a list of inputs elementwise.

    Takes a list of tensors of the same shape (or shapes that broadcast,
    see `Merge`) and returns one tensor of their broadcast shape.

    Args:
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).

    Example:
        >>> from numkeras import layers, models
        >>> inputs1, inputs2 = layers.Input(shape=(16,)), layers.Input(shape=(32,))
        >>> x1, x2 = layers.Dense(8)(inputs1), layers.Dense(8)(inputs2)
        >>> merged = layers.Multiply()([x1, x2])  # same as layers.multiply([x1, x2])
        >>> models.Model([inputs1, inputs2], layers.Dense(4)(merged)).output.shape
        (None, 4)
    """

    def _merge_function(self, inputs):
        return functools.reduce(math_ops.multiply, inputs)

    def _merge_masked(self, inputs, masks):
        # As Keras: masked entries count as 1 in the product; with every input masked, the output is 0 where
        # no input counts and carries the OR of the masks.
        has_output_mask = all(m is not None for m in masks)
        output, output_mask = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = np.broadcast_to(np.asarray(unwrap(mask), bool)[..., None], x.shape)
                x = math_ops.where(mask, x, 1.0)
                if has_output_mask:
                    output_mask = mask if output_mask is None else output_mask | mask
            output = x if output is None else math_ops.multiply(output, x)
        if has_output_mask:
            output = math_ops.where(output_mask, output, 0.0)
            output._keras_mask = Tensor(output_mask.any(axis=-1))
        return output


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer: `Multiply(**kwargs)(inputs)`.

    Args:
        inputs: a list of tensors of the same (or broadcastable) shape.
        **kwargs: standard layer keyword arguments.

    Returns:
        The merged tensor.
    """
    return Multiply(**kwargs)(inputs)
