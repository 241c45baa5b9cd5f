"""Reshape: gives each sample a new shape (one axis may be -1).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Reshape((3, 4))(np.zeros((2, 12), "float32")).shape
    (2, 3, 4)
"""
import math

from numkeras.engine import shape_ops
from numkeras.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (a tuple, batch axis excluded)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(f"Reshape: at most one axis of target_shape may be -1. "
                             f"Received: target_shape={self.target_shape}.")

    def call(self, inputs):
        return shape_ops.reshape(inputs, (inputs.shape[0],) + self.compute_output_shape(inputs.shape)[1:])

    def compute_output_shape(self, input_shape):
        size = None if None in input_shape[1:] else math.prod(input_shape[1:])
        known = math.prod(d for d in self.target_shape if d != -1)
        if size is not None and (size % known if -1 in self.target_shape else size != known):
            raise ValueError(f"Reshape layer {self.name!r}: cannot reshape a sample of shape "
                             f"{tuple(input_shape[1:])} ({size} values) into target_shape={self.target_shape}. "
                             f"Pick a target_shape with {size} values in all (one axis may be -1).")
        shape = tuple((size // known if size is not None else None) if d == -1 else d for d in self.target_shape)
        return (input_shape[0],) + shape

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
