"""ZeroPadding1D/2D/3D: zeros added at both ends of each spatial axis.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import ZeroPadding2D
    >>> ZeroPadding2D(padding=((1, 0), (2, 2)))(np.ones((1, 3, 3, 1), "float32")).shape
    (1, 4, 7, 1)
"""
from numkeras.engine import pad_ops
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import (check_rank, full_widths, layout, spatial_pairs,
                                               standardize_data_format)
from numkeras.layers.pooling.base_pooling import SPATIAL


class _ZeroPadding(Layer):
    """Pads each spatial axis with (before, after) zeros; subclasses fix the rank."""

    rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.data_format = standardize_data_format(data_format, cls)
        self.padding, self._pairs = spatial_pairs(padding, self.rank, "padding", cls)
        self.built = True

    def _widths(self):
        return full_widths(self._pairs, self.data_format)

    def call(self, inputs):
        check_rank(self, inputs.shape, self.rank + 2, layout(SPATIAL[self.rank], self.data_format))
        return pad_ops.pad(inputs, self._widths())

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, self.rank + 2, layout(SPATIAL[self.rank], self.data_format))
        return tuple(None if n is None else n + b + e for n, (b, e) in zip(input_shape, self._widths()))

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    """Zero-padding for (batch, steps, features) inputs.

    Args:
        padding: int (both ends) or tuple of 2 ints (left, right). Defaults to 1.
        data_format: "channels_last" (inputs (batch, steps, features)) or
            "channels_first" (inputs (batch, features, steps)). Defaults to "channels_last".
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    """Zero-padding for images: rows at the top and bottom, columns left and right.

    Args:
        padding: int (all four sides), tuple of 2 ints (symmetric height and
            width padding) or tuple of 2 pairs ((top, bottom), (left, right)).
            Defaults to (1, 1).
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    """Zero-padding for volumes.

    Args:
        padding: int, tuple of 3 ints (symmetric per axis) or tuple of 3 pairs
            ((before, after) per axis). Defaults to ((1, 1), (1, 1), (1, 1)).
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
