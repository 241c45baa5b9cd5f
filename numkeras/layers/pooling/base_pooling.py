"""BasePooling: the shared body of MaxPooling1D/2D/3D and AveragePooling1D/2D/3D.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import MaxPooling2D
    >>> MaxPooling2D()(np.zeros((1, 28, 28, 3), "float32")).shape
    (1, 14, 14, 3)
"""
from numkeras.engine import pool_ops
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import check_rank, layout, standardize_data_format, standardize_tuple

SPATIAL = {1: ("steps",), 2: ("height", "width"), 3: ("dim1", "dim2", "dim3")}


class BasePooling(Layer):
    """Pools windows of `pool_size`, moved by `strides`, over 1, 2 or 3 spatial axes.

    Args:
        pool_size: int or tuple of ints, the window size per spatial axis.
        strides: int, tuple of ints, or None (then equal to `pool_size`).
        pool_dimensions: 1, 2 or 3.
        pool_mode: "max" or "average".
        padding: "valid" (whole windows only) or "same" (output size
            ceil(size / stride)), case-insensitive. Defaults to "valid".
        data_format: "channels_last" or "channels_first". Defaults to
            "channels_last".
    """

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        cls = type(self).__name__
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size", cls)
        self.strides = standardize_tuple(self.pool_size if strides is None else strides, pool_dimensions,
                                         "strides", cls)
        if pool_mode not in ("max", "average"):
            raise ValueError(f"{cls}: pool_mode must be 'max' or 'average'. Received: pool_mode={pool_mode!r}.")
        self.pool_mode = pool_mode
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(f"{cls}: padding must be 'valid' or 'same'. Received: padding={padding!r}.")
        self.data_format = standardize_data_format(data_format, cls)
        self.pool_dimensions = pool_dimensions
        self.built = True  # no weights: built at construction, as in Keras

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)  # rank and fit checks, with the layer's name in the errors
        pool = pool_ops.max_pool if self.pool_mode == "max" else pool_ops.average_pool
        return pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        check_rank(self, input_shape, self.pool_dimensions + 2, layout(SPATIAL[self.pool_dimensions],
                                                                       self.data_format))
        axes = pool_ops.spatial_axes(len(input_shape), self.data_format)
        spatial = tuple(input_shape[a] for a in axes)
        out = [pool_ops.pool_output_length(n, k, s, self.padding)
               for n, k, s in zip(spatial, self.pool_size, self.strides)]
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}): pool_size={self.pool_size} does not fit the input "
                f"with padding='valid': received input shape {input_shape}, whose spatial dimensions {spatial} "
                f"are smaller than the pool. Use padding='same', a smaller pool_size, or a larger input.")
        shape = list(input_shape)
        for a, o in zip(axes, out):
            shape[a] = o
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}
