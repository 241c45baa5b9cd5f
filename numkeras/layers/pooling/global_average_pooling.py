"""GlobalAveragePooling1D/2D/3D: the mean of each channel over all positions.

GlobalAveragePooling1D also takes a `mask` of shape (batch, steps): masked
steps are left out of the mean, as in Keras.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import GlobalAveragePooling2D
    >>> GlobalAveragePooling2D()(np.ones((2, 4, 4, 3), "float32")).shape
    (2, 3)
"""
from numkeras.engine import math_ops, reduction_ops
from numkeras.engine.tensor import unwrap
from numkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class _GlobalAveragePooling(BaseGlobalPooling):
    def call(self, inputs):
        return reduction_ops.mean(inputs, axis=self.spatial_axes(inputs), keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalAveragePooling):
    """Global average pooling over the steps of (batch, steps, features) inputs.

    Args:
        data_format: "channels_last" (inputs (batch, steps, features)) or
            "channels_first" (inputs (batch, features, steps)). Defaults to "channels_last".
        keepdims: keep the steps axis with length 1. Defaults to False.

    Call arguments:
        inputs: a 3D tensor.
        mask: optional (batch, steps) booleans; False steps are excluded from the mean.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        axis = self.spatial_axes(inputs)[0]
        weights = unwrap(mask).astype(bool).astype(inputs.dtype)
        weights = weights[:, :, None] if self.data_format == "channels_last" else weights[:, None, :]
        total = reduction_ops.sum(math_ops.multiply(inputs, weights), axis=axis, keepdims=self.keepdims)
        return math_ops.divide(total, weights.sum(axis=axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, mask=None):
        return None


class GlobalAveragePooling2D(_GlobalAveragePooling):
    """Global average pooling over the height and width of images.

    Args:
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
        keepdims: keep the spatial axes with length 1. Defaults to False.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)


class GlobalAveragePooling3D(_GlobalAveragePooling):
    """Global average pooling over the three spatial axes of volumes.

    Args:
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
        keepdims: keep the spatial axes with length 1. Defaults to False.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)


GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (GlobalAveragePooling1D, GlobalAveragePooling2D,
                                                     GlobalAveragePooling3D)
