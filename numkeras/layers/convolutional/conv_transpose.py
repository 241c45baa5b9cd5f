"""Conv1DTranspose, Conv2DTranspose, Conv3DTranspose: the gradient of a convolution, as a layer.

Often called "deconvolution": it maps each input pixel to a kernel-sized
patch of the output, spaced `strides` apart, so it upsamples. The kernel is
shaped `(*kernel_size, filters, input_channels)`, as in Keras.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import Conv2DTranspose
    >>> Conv2DTranspose(8, 3, strides=2, padding="same")(np.ones((1, 7, 7, 4), "float32")).shape
    (1, 14, 14, 8)
"""
from numkeras.engine import conv_ops
from numkeras.layers import weight_options
from numkeras.layers.convolutional import conv_args
from numkeras.layers.layer import Layer


class BaseConvTranspose(Layer):
    """N-D transposed convolution layer (the shared implementation).

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of `rank` ints, the window size.
        strides: int or tuple, the upsampling step. Defaults to 1.
            `strides > 1` cannot be combined with `dilation_rate > 1`.
        padding: "valid" or "same". With the default `output_padding`,
            "same" gives an output of size `input * strides` and "valid"
            `(input - 1) * strides + max(kernel_size, strides)` (dilated
            kernel size). Defaults to "valid".
        output_padding: int or tuple of ints, each strictly less than its
            stride: the amount added to the output on the high side, to pick
            one of the sizes a strided convolution maps to the input size.
            Defaults to None (inferred as above).
        data_format: "channels_last" or "channels_first". Defaults to None,
            meaning "channels_last".
        dilation_rate: int or tuple, the spacing of the kernel taps. Defaults to 1.
        activation: activation name or function. Defaults to None (linear).
        use_bias: whether to add a bias vector. Defaults to True.
        kernel_initializer: defaults to "glorot_uniform".
        bias_initializer: defaults to "zeros".
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional constraints.
    """

    rank = None  # set by the subclasses

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self.rank
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters` of {type(self).__name__}. Expected a strictly "
                             f"positive integer. Received: filters={filters!r}.")
        self.filters = filters
        conv_args.set_geometry(self, kernel_size, strides, padding, data_format, dilation_rate)
        self.output_padding = None if output_padding is None else conv_args.standardize_tuple(
            output_padding, rank, "output_padding", allow_zero=True)
        if self.output_padding is not None:
            for i, (op, s) in enumerate(zip(self.output_padding, self.strides)):
                if op >= s:
                    raise ValueError(f"`output_padding` must be strictly less than `strides` for all dimensions. "
                                     f"At dimension {i}, `output_padding` is {op} but `strides` is {s}. Received: "
                                     f"output_padding={self.output_padding}, strides={self.strides}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}.")
        weight_options.set_kernel_and_bias_options(self, activation, use_bias, kernel_initializer,
                                                   bias_initializer, kernel_regularizer, bias_regularizer,
                                                   kernel_constraint, bias_constraint)

    def build(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        channels = conv_args.known_channels(self, input_shape)
        self.kernel = self.add_weight(shape=self.kernel_size + (self.filters, channels),
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
        x = conv_ops.conv_transpose(inputs, self.kernel, self.strides, self.padding, self.output_padding,
                                    self.data_format, self.dilation_rate, bias=self.bias)
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        conv_args.check_input_shape(self, input_shape, self.rank)
        spatial = conv_args.spatial_of(self, input_shape)
        known = tuple(1 if n is None else n for n in spatial)
        out, _ = conv_ops.conv_transpose_geometry(known, self.kernel_size, self.strides, self.padding,
                                                  self.output_padding, self.dilation_rate)
        out = tuple(None if n is None else o for n, o in zip(spatial, out))
        return conv_args.with_channels(self, input_shape[0], out, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "output_padding": self.output_padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                **weight_options.kernel_and_bias_config(self)}


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution: inputs `(batch, steps, channels)`; takes `BaseConvTranspose`'s arguments.

    Example:
        >>> import numpy as np
        >>> Conv1DTranspose(4, 3, strides=2)(np.ones((2, 5, 3), "float32")).shape
        (2, 11, 4)
    """

    rank = 1


class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution: inputs `(batch, height, width, channels)`; takes `BaseConvTranspose`'s arguments.

    Example:
        >>> import numpy as np
        >>> Conv2DTranspose(4, 3, strides=2, padding="same")(np.ones((2, 5, 5, 3), "float32")).shape
        (2, 10, 10, 4)
    """

    rank = 2


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution: inputs `(batch, depth, height, width, channels)`.

    Example:
        >>> import numpy as np
        >>> Conv3DTranspose(2, 2, strides=2)(np.ones((1, 2, 2, 2, 3), "float32")).shape
        (1, 4, 4, 4, 2)
    """

    rank = 3
