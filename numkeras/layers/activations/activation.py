"""Activation: applies an activation function to its input.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Activation("relu")(np.array([[-1.0, 2.0]], "float32")).numpy()
    array([[0., 2.]], dtype=float32)
"""
from numkeras import activations
from numkeras.layers.layer import Layer


class Activation(Layer):
    """Applies `activation` (a name or a function) elementwise."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
