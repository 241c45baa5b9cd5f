"""Conv1D, Conv2D, Conv3D: `activation(conv(inputs, kernel) + bias)`.

The kernel is shaped `(*kernel_size, input_channels // groups, filters)`,
as in Keras; the math lives in `numkeras.engine.conv_ops`.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import Conv2D
    >>> Conv2D(32, 3, activation="relu")(np.ones((2, 28, 28, 1), "float32")).shape
    (2, 26, 26, 32)
"""
from numkeras import activations
from numkeras.engine import conv_ops
from numkeras.layers import weight_options
from numkeras.layers.convolutional import conv_args
from numkeras.layers.layer import Layer


class BaseConv(Layer):
    """N-D convolution layer (the shared implementation of Conv1D/2D/3D).

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of `rank` ints, the window size.
        strides: int or tuple, the window step. Defaults to 1. `strides > 1`
            cannot be combined with `dilation_rate > 1`.
        padding: "valid" (no padding) or "same" (output size
            `ceil(input / strides)`); Conv1D also takes "causal" (all padding
            on the left, so output `t` sees inputs up to `t` only).
            Defaults to "valid".
        data_format: "channels_last" (`(batch, *spatial, channels)`) or
            "channels_first". Defaults to None, meaning "channels_last".
        dilation_rate: int or tuple, the spacing of the kernel taps. Defaults to 1.
        groups: positive int: the input channels are split into `groups`
            groups, each convolved with `filters // groups` filters. Input
            channels and `filters` must both be divisible by it. Defaults to 1.
        activation: activation name or function. Defaults to None (linear).
        use_bias: whether to add a bias vector. Defaults to True.
        kernel_initializer: defaults to "glorot_uniform".
        bias_initializer: defaults to "zeros".
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional constraints.
    """

    rank = None  # set by the subclasses

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters` of {type(self).__name__}. Expected a strictly "
                             f"positive integer. Received: filters={filters!r}.")
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: groups={groups!r}.")
        if filters % groups:
            raise ValueError(f"The number of filters must be evenly divisible by the number of groups. "
                             f"Received: groups={groups}, filters={filters}.")
        self.filters = filters
        self.groups = groups
        conv_args.set_geometry(self, kernel_size, strides, padding, data_format, dilation_rate,
                               allow_causal=self.rank == 1)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}.")
        weight_options.set_kernel_and_bias_options(self, activation, use_bias, kernel_initializer,
                                                   bias_initializer, kernel_regularizer, bias_regularizer,
                                                   kernel_constraint, bias_constraint)

    def build(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        channels = conv_args.known_channels(self, input_shape)
        if channels % self.groups:
            raise ValueError(f"The number of input channels must be evenly divisible by the number of groups. "
                             f"Received groups={self.groups}, but the input has {channels} channels (full input "
                             f"shape is {tuple(input_shape)}).")
        self.compute_output_shape(input_shape)  # validates that the kernel fits
        self.kernel = self.add_weight(shape=self.kernel_size + (channels // self.groups, self.filters),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
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
        fuse_relu = self.activation is activations.relu
        x = conv_ops.conv(inputs, self.kernel, self.strides, self.padding, self.data_format, self.dilation_rate,
                          bias=self.bias, relu=fuse_relu)
        return self.activation(x) if self.activation is not None and not fuse_relu else x

    def compute_output_shape(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        spatial = conv_args.conv_output_spatial(self, input_shape, self.kernel_size, self.strides, self.padding,
                                                self.dilation_rate)
        return conv_args.with_channels(self, input_shape[0], spatial, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                **weight_options.kernel_and_bias_config(self)}


class Conv1D(BaseConv):
    """1D convolution (e.g. over time): inputs `(batch, steps, channels)`.

    Takes the arguments of `BaseConv`; `padding` may also be "causal".

    Example:
        >>> import numpy as np
        >>> Conv1D(8, 3, padding="causal")(np.ones((4, 10, 2), "float32")).shape
        (4, 10, 8)
    """

    rank = 1


class Conv2D(BaseConv):
    """2D convolution over images: inputs `(batch, height, width, channels)`.

    Takes the arguments of `BaseConv`; the kernel is `(kh, kw, channels // groups, filters)`.

    Example:
        >>> import numpy as np
        >>> Conv2D(4, (3, 3), strides=2, padding="same")(np.ones((1, 7, 7, 3), "float32")).shape
        (1, 4, 4, 4)
    """

    rank = 2


class Conv3D(BaseConv):
    """3D convolution over volumes: inputs `(batch, depth, height, width, channels)`.

    Takes the arguments of `BaseConv`.

    Example:
        >>> import numpy as np
        >>> Conv3D(2, 3)(np.ones((1, 5, 5, 5, 1), "float32")).shape
        (1, 3, 3, 3, 2)
    """

    rank = 3
