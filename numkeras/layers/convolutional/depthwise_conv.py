"""DepthwiseConv1D, DepthwiseConv2D: each input channel convolved with its own filters.

The kernel is `(*kernel_size, input_channels, depth_multiplier)`; output
channel `c * depth_multiplier + m` comes from input channel `c` alone.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import DepthwiseConv2D
    >>> DepthwiseConv2D(3, depth_multiplier=2)(np.ones((1, 6, 6, 3), "float32")).shape
    (1, 4, 4, 6)
"""
from numkeras.engine import conv_ops
from numkeras.layers import weight_options
from numkeras.layers.convolutional import conv_args
from numkeras.layers.layer import Layer


class BaseDepthwiseConv(Layer):
    """N-D depthwise convolution layer (the shared implementation).

    Args:
        kernel_size: int or tuple of `rank` ints, the window size.
        strides: int or tuple, the window step. Defaults to 1.
        padding: "valid" or "same". Defaults to "valid".
        depth_multiplier: positive int, the filters per input channel. Defaults to 1.
        data_format: "channels_last" or "channels_first". Defaults to None,
            meaning "channels_last".
        dilation_rate: int or tuple, the spacing of the kernel taps. Defaults to 1.
        activation: activation name or function. Defaults to None (linear).
        use_bias: whether to add a bias vector. Defaults to True.
        depthwise_initializer: defaults to "glorot_uniform".
        bias_initializer: defaults to "zeros".
        depthwise_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        depthwise_constraint, bias_constraint: optional constraints.
    """

    rank = None  # set by the subclasses

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(depth_multiplier, int) or isinstance(depth_multiplier, bool) or depth_multiplier <= 0:
            raise ValueError(f"Invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
                             f"Received depth_multiplier={depth_multiplier!r}.")
        self.depth_multiplier = depth_multiplier
        conv_args.set_geometry(self, kernel_size, strides, padding, data_format, dilation_rate)
        weight_options.set_activation_and_weight_options(
            self, activation, use_bias, depthwise=(depthwise_initializer, depthwise_regularizer, depthwise_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint))

    def build(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        channels = conv_args.known_channels(self, input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(shape=self.kernel_size + (channels, self.depth_multiplier),
                                      initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
                                      constraint=self.depthwise_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(channels * self.depth_multiplier,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self._channels = channels
        self.built = True

    def call(self, inputs):
        conv_args.check_input_shape(self, inputs.shape, self.rank, self._channels)
        self.compute_output_shape(inputs.shape)
        x = conv_ops.depthwise_conv(inputs, self.kernel, self.strides, self.padding, self.data_format,
                                    self.dilation_rate, bias=self.bias)
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        spatial = conv_args.conv_output_spatial(self, input_shape, self.kernel_size, self.strides, self.padding,
                                                self.dilation_rate)
        channels = conv_args.channels_of(self, input_shape)
        return conv_args.with_channels(self, input_shape[0], spatial,
                                       None if channels is None else channels * self.depth_multiplier)

    def get_config(self):
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                **weight_options.activation_and_weight_options_config(self, ("depthwise", "bias"))}


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution: inputs `(batch, steps, channels)`; takes `BaseDepthwiseConv`'s arguments.

    Example:
        >>> import numpy as np
        >>> DepthwiseConv1D(3)(np.ones((2, 8, 4), "float32")).shape
        (2, 6, 4)
    """

    rank = 1


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution: inputs `(batch, height, width, channels)`; takes `BaseDepthwiseConv`'s arguments.

    Example:
        >>> import numpy as np
        >>> DepthwiseConv2D(3, padding="same")(np.ones((2, 8, 8, 4), "float32")).shape
        (2, 8, 8, 4)
    """

    rank = 2
