"""MaxPooling1D/2D/3D: the largest value of each window (aliases MaxPool1D/2D/3D).

In 'same' padding no padded cell is ever the maximum. The gradient of each
window goes to one cell, its first maximum in row-major order (as TF/Keras).

Example:
    >>> import numpy as np
    >>> from numkeras.layers import MaxPooling2D
    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> MaxPooling2D(pool_size=(2, 2))(x).numpy()[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
"""
from numkeras.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Max pooling over the steps of (batch, steps, features) inputs.

    Args:
        pool_size: int, the window length. Defaults to 2.
        strides: int or None. Defaults to None (= pool_size).
        padding: "valid" or "same" (case-insensitive). Defaults to "valid".
        data_format: "channels_last" (inputs (batch, steps, features)) or
            "channels_first" (inputs (batch, features, steps)). Defaults to "channels_last".
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="max", padding=padding,
                         data_format=data_format, name=name, **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling over the height and width of images.

    Args:
        pool_size: int or tuple of 2 ints. Defaults to (2, 2).
        strides: int, tuple of 2 ints, or None. Defaults to None (= pool_size).
        padding: "valid" or "same" (case-insensitive). Defaults to "valid".
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="max", padding=padding,
                         data_format=data_format, name=name, **kwargs)


class MaxPooling3D(BasePooling):
    """Max pooling over the three spatial axes of volumes.

    Args:
        pool_size: int or tuple of 3 ints. Defaults to (2, 2, 2).
        strides: int, tuple of 3 ints, or None. Defaults to None (= pool_size).
        padding: "valid" or "same" (case-insensitive). Defaults to "valid".
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="max", padding=padding,
                         data_format=data_format, name=name, **kwargs)


MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
