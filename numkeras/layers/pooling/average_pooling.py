"""AveragePooling1D/2D/3D: the mean of each window (aliases AvgPool1D/2D/3D).

With padding='same' each window is averaged over its cells inside the
input only (padded cells are not counted), as Keras does.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import AveragePooling1D
    >>> x = np.array([1.0, 2.0, 3.0], "float32").reshape(1, 3, 1)
    >>> AveragePooling1D(pool_size=2, strides=1, padding="same")(x).numpy().ravel()
    array([1.5, 2.5, 3. ], dtype=float32)
"""
from numkeras.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over the steps of (batch, steps, features) inputs.

    Args:
        pool_size: int, the window length.
        strides: int or None. Defaults to None (= pool_size).
        padding: "valid" or "same" (case-insensitive). Defaults to "valid".
        data_format: "channels_last" (inputs (batch, steps, features)) or
            "channels_first" (inputs (batch, features, steps)). Defaults to "channels_last".
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling over the height and width of images.

    Args:
        pool_size: int or tuple of 2 ints.
        strides: int, tuple of 2 ints, or None. Defaults to None (= pool_size).
        padding: "valid" or "same" (case-insensitive). Defaults to "valid".
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)


class AveragePooling3D(BasePooling):
    """Average pooling over the three spatial axes of volumes.

    Args:
        pool_size: int or tuple of 3 ints.
        strides: int, tuple of 3 ints, or None. Defaults to None (= pool_size).
        padding: "valid" or "same" (case-insensitive). Defaults to "valid".
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)


AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
