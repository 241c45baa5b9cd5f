"""Cropping1D/2D/3D: cells removed from both ends of each spatial axis.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import Cropping2D
    >>> Cropping2D(cropping=((2, 2), (4, 4)))(np.ones((2, 28, 28, 3), "float32")).shape
    (2, 24, 20, 3)
"""
from numkeras.engine import pad_ops
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import (check_rank, full_widths, layout, spatial_pairs,
                                               standardize_data_format)
from numkeras.layers.pooling.base_pooling import SPATIAL


class _Cropping(Layer):
    """Crops (before, after) cells off each spatial axis; subclasses fix the rank."""

    rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.data_format = standardize_data_format(data_format, cls)
        self.cropping, self._pairs = spatial_pairs(cropping, self.rank, "cropping", cls)
        self.built = True

    def _widths(self):
        return full_widths(self._pairs, self.data_format)

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)
        return pad_ops.crop(inputs, self._widths())

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.rank + 2, layout(SPATIAL[self.rank], self.data_format))
        out = tuple(None if n is None else n - b - e for n, (b, e) in zip(input_shape, self._widths()))
        if any(n is not None and n <= 0 for n in out[1:]):
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}): cropping={self.cropping} must leave at least one "
                f"cell on each spatial axis, but the input has shape {input_shape}. Crop less or pass a larger input.")
        return out

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}


class Cropping1D(_Cropping):
    """Crops the steps axis of (batch, steps, features) inputs.

    Args:
        cropping: int (both ends) or tuple of 2 ints (start, end). Defaults to (1, 1).
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]  # Keras's Cropping1D has no data_format
        return config


class Cropping2D(_Cropping):
    """Crops the height and width of images.

    Args:
        cropping: int (all four sides), tuple of 2 ints (symmetric height and
            width cropping) or tuple of 2 pairs ((top, bottom), (left, right)).
            Defaults to ((0, 0), (0, 0)).
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    """Crops the three spatial axes of volumes.

    Args:
        cropping: int, tuple of 3 ints (symmetric per axis) or tuple of 3 pairs
            ((before, after) per axis). Defaults to ((1, 1), (1, 1), (1, 1)).
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
