"""SeparableConv1D, SeparableConv2D: a depthwise convolution, then a 1x1 convolution mixing channels.

Fewer weights than a full convolution of the same size: the depthwise
kernel `(*kernel_size, channels, depth_multiplier)` filters space, the
pointwise kernel `(1, ..., 1, channels * depth_multiplier, filters)` mixes
channels.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import SeparableConv2D
    >>> SeparableConv2D(8, 3)(np.ones((1, 6, 6, 3), "float32")).shape
    (1, 4, 4, 8)
"""
from numkeras.engine import conv_ops
from numkeras.layers import weight_options
from numkeras.layers.convolutional import conv_args
from numkeras.layers.layer import Layer


class BaseSeparableConv(Layer):
    """N-D separable convolution layer (the shared implementation).

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of `rank` ints, the depthwise window size.
        strides: int or tuple, the depthwise window step. Defaults to 1.
        padding: "valid" or "same". Defaults to "valid".
        data_format: "channels_last" or "channels_first". Defaults to None,
            meaning "channels_last".
        dilation_rate: int or tuple, the spacing of the depthwise taps. Defaults to 1.
        depth_multiplier: positive int, depthwise filters per input channel. Defaults to 1.
        activation: activation name or function. Defaults to None (linear).
        use_bias: whether to add a bias vector. Defaults to True.
        depthwise_initializer, pointwise_initializer: default "glorot_uniform".
        bias_initializer: defaults to "zeros".
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer: optional penalties.
        depthwise_constraint, pointwise_constraint, bias_constraint: optional constraints.
    """

    rank = None  # set by the subclasses

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(depth_multiplier, int) or isinstance(depth_multiplier, bool) or depth_multiplier <= 0:
            raise ValueError(f"Invalid value for argument `depth_multiplier`. Expected a strictly positive value. "
                             f"Received depth_multiplier={depth_multiplier!r}.")
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters` of {type(self).__name__}. Expected a strictly "
                             f"positive integer. Received: filters={filters!r}.")
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        conv_args.set_geometry(self, kernel_size, strides, padding, data_format, dilation_rate)
        weight_options.set_activation_and_weight_options(
            self, activation, use_bias, depthwise=(depthwise_initializer, depthwise_regularizer, depthwise_constraint),
            pointwise=(pointwise_initializer, pointwise_regularizer, pointwise_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint))

    def build(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        channels = conv_args.known_channels(self, input_shape)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier), initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint, name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, name="pointwise_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self._channels = channels
        self.built = True

    def call(self, inputs):
        conv_args.check_input_shape(self, inputs.shape, self.rank, self._channels)
        self.compute_output_shape(inputs.shape)
        x = conv_ops.separable_conv(inputs, self.depthwise_kernel, self.pointwise_kernel, self.strides,
                                    self.padding, self.data_format, self.dilation_rate, bias=self.bias)
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        spatial = conv_args.conv_output_spatial(self, input_shape, self.kernel_size, self.strides, self.padding,
                                                self.dilation_rate)
        return conv_args.with_channels(self, input_shape[0], spatial, self.filters)

    def get_config(self):
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier, "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                **weight_options.activation_and_weight_options_config(self, ("depthwise", "pointwise", "bias"))}


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution: inputs `(batch, steps, channels)`; takes `BaseSeparableConv`'s arguments.

    Example:
        >>> import numpy as np
        >>> SeparableConv1D(4, 3, padding="same")(np.ones((2, 8, 3), "float32")).shape
        (2, 8, 4)
    """

    rank = 1


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution: inputs `(batch, height, width, channels)`; takes `BaseSeparableConv`'s arguments.

    Example:
        >>> import numpy as np
        >>> SeparableConv2D(4, 3, strides=2)(np.ones((2, 9, 9, 3), "float32")).shape
        (2, 4, 4, 4)
    """

    rank = 2
