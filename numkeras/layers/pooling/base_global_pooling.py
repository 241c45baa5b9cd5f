"""BaseGlobalPooling: the shared body of the global max and average pooling layers.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import GlobalMaxPooling2D
    >>> GlobalMaxPooling2D(keepdims=True)(np.zeros((2, 5, 5, 3), "float32")).shape
    (2, 1, 1, 3)
"""
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import check_rank, layout, standardize_data_format
from numkeras.layers.pooling.base_pooling import SPATIAL


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis of (batch, *spatial, channels) inputs (or channels first).

    Args:
        pool_dimensions: 1, 2 or 3.
        data_format: "channels_last" or "channels_first". Defaults to "channels_last".
        keepdims: keep the spatial axes with length 1. Defaults to False.
    """

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format, type(self).__name__)
        self.keepdims = keepdims
        self.pool_dimensions = pool_dimensions
        self.built = True  # no weights: built at construction, as in Keras

    def spatial_axes(self, inputs):
        check_rank(self, inputs.shape, self.pool_dimensions + 2,
                   layout(SPATIAL[self.pool_dimensions], self.data_format))
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.pool_dimensions))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.pool_dimensions + 2,
                   layout(SPATIAL[self.pool_dimensions], self.data_format))
        ones = (1,) * self.pool_dimensions if self.keepdims else ()
        if self.data_format == "channels_last":
            return (input_shape[0],) + ones + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + ones

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
