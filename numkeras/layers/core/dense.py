"""Dense: `activation(inputs @ kernel + bias)`, the kernel shaped (input_dim, units).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Dense(4, activation="relu")(np.ones((2, 3), "float32")).shape
    (2, 4)
"""
from numkeras import activations
from numkeras.engine import linalg_ops, shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.weight_options import kernel_and_bias_config, set_kernel_and_bias_options


class Dense(Layer):
    """A densely-connected layer.

    Args:
        units: positive integer, the output size.
        activation: activation name or function. Defaults to None (linear).
        use_bias: whether to add a bias. Defaults to True.
        kernel_initializer: defaults to "glorot_uniform".
        bias_initializer: defaults to "zeros".
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional constraints.
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Dense: units must be a positive integer. Received: units={units!r}.")
        self.units = units
        set_kernel_and_bias_options(self, activation, use_bias, kernel_initializer, bias_initializer,
                                    kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Dense layer {self.name!r} needs a known last input dimension. "
                             f"Received input_shape={tuple(input_shape)}.")
        self.kernel = self.add_weight(shape=(input_dim, self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self.built = True

    def call(self, inputs):
        expected = self.kernel.shape[0]
        if inputs.shape[-1] != expected:
            raise ValueError(
                f"Input 0 of layer {self.name!r} is incompatible with the layer: expected axis -1 of input "
                f"shape to have value {expected}, but received input with shape {_batchless(inputs.shape)}.")
        lead = inputs.shape[:-1]
        if len(lead) > 1:  # fold extra axes into the batch: one 2-D matmul, one 2-D gradient
            inputs = shape_ops.reshape(inputs, (-1, expected))
        fuse_relu = self.activation is activations.relu and self.bias is not None
        if self.bias is not None:
            x = linalg_ops.affine(inputs, self.kernel, self.bias, relu=fuse_relu)
        else:
            x = linalg_ops.matmul(inputs, self.kernel)
        if len(lead) > 1:
            x = shape_ops.reshape(x, lead + (self.units,))
        if fuse_relu or self.activation is None:
            return x
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                **kernel_and_bias_config(self, with_activity_regularizer=False)}


def _batchless(shape):
    return (None,) + tuple(shape[1:])
