"""Flatten: collapses every axis but the batch axis.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Flatten()(np.zeros((2, 28, 28), "float32")).shape
    (2, 784)
"""
import math

from numkeras.engine import shape_ops
from numkeras.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to (batch, features).

    Args:
        data_format: "channels_last" (default) or "channels_first"; with
            channels_first, channels are moved last before flattening, as Keras does.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = shape_ops.transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return shape_ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
