"""GlobalMaxPooling1D/2D/3D: the largest value of each channel over all positions.

Like Keras's `ops.max`, tied maxima share the gradient equally.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import GlobalMaxPooling1D
    >>> GlobalMaxPooling1D()(np.array([[[1.0], [3.0], [2.0]]], "float32")).numpy()
    array([[3.]], dtype=float32)
"""
from numkeras.engine import reduction_ops
from numkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class _GlobalMaxPooling(BaseGlobalPooling):
    def call(self, inputs):
        return reduction_ops.max(inputs, axis=self.spatial_axes(inputs), keepdims=self.keepdims)


class GlobalMaxPooling1D(_GlobalMaxPooling):
    """Global max pooling over the steps of (batch, steps, features) inputs.

    Args:
        data_format: "channels_last" (inputs (batch, steps, features)) or
            "channels_first" (inputs (batch, features, steps)). Defaults to "channels_last".
        keepdims: keep the steps axis with length 1. Defaults to False.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling2D(_GlobalMaxPooling):
    """Global max pooling over the height and width of images.

    Args:
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
        keepdims: keep the spatial axes with length 1. Defaults to False.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalMaxPooling3D(_GlobalMaxPooling):
    """Global max pooling over the three spatial axes of volumes.

    Args:
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
        keepdims: keep the spatial axes with length 1. Defaults to False.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)


GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
