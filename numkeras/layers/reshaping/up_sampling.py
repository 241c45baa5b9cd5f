"""UpSampling1D/2D/3D: each cell repeated `size` times along the spatial axes.

UpSampling2D also offers interpolation="bilinear": half-pixel centres, edges
clamped (TF2's `tf.image.resize` and `jax.image.resize` agree for upscaling),
applied as one (new_size, size) weight matrix per axis, so its gradient is
the transposed matrix.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import UpSampling1D
    >>> UpSampling1D(size=2)(np.array([[[1.0], [2.0]]], "float32")).numpy().ravel()
    array([1., 1., 2., 2.], dtype=float32)
"""
import math

import numpy as np

from numkeras.engine import linalg_ops, pad_ops, shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import check_rank, layout, standardize_data_format, standardize_tuple
from numkeras.layers.pooling.base_pooling import SPATIAL

INTERPOLATIONS = ("nearest", "bilinear")


class _UpSampling(Layer):
    """Repeats cells along each spatial axis; subclasses fix the rank."""

    rank = None

    def __init__(self, size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.data_format = standardize_data_format(data_format, cls)
        self.size = self._factors = standardize_tuple(size, self.rank, "size", cls)
        self.built = True

    def _axes(self):
        first = 2 if self.data_format == "channels_first" else 1
        return range(first, first + self.rank)

    def call(self, inputs):
        check_rank(self, inputs.shape, self.rank + 2, layout(SPATIAL[self.rank], self.data_format))
        for axis, factor in zip(self._axes(), self._factors):
            if factor > 1:
                inputs = self._upsample(inputs, axis, factor)
        return inputs

    def _upsample(self, x, axis, factor):
        return pad_ops.repeat(x, factor, axis)

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, self.rank + 2, layout(SPATIAL[self.rank], self.data_format))
        shape = list(input_shape)
        for axis, factor in zip(self._axes(), self._factors):
            shape[axis] = None if shape[axis] is None else shape[axis] * factor
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}


class UpSampling1D(_UpSampling):
    """Repeats each step of (batch, steps, features) inputs `size` times.

    Args:
        size: positive int, the upsampling factor. Defaults to 2.
    """

    rank = 1

    def __init__(self, size=2, **kwargs):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"UpSampling1D: size must be an integer. Received: size={size!r} "
                            f"of type {type(size).__name__}.")
        if size <= 0:
            raise ValueError(f"UpSampling1D: size must be a positive integer. Received: size={size}.")
        super().__init__(size, "channels_last", **kwargs)
        self.size = size  # Keras keeps the int

    def get_config(self):
        config = super().get_config()
        del config["data_format"]  # Keras's UpSampling1D has no data_format
        return config


class UpSampling2D(_UpSampling):
    """Upsamples images by (rows, columns) factors.

    Args:
        size: int or tuple of 2 ints, the factors for height and width. Defaults to (2, 2).
        data_format: "channels_last" (inputs (batch, height, width, channels)) or
            "channels_first" (inputs (batch, channels, height, width)). Defaults to "channels_last".
        interpolation: "nearest" (repeat cells) or "bilinear". Defaults to "nearest".
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, **kwargs)
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(f"UpSampling2D: interpolation must be one of {INTERPOLATIONS} (numkeras does not "
                             f"implement the others yet). Received: interpolation={interpolation!r}.")

    def _upsample(self, x, axis, factor):
        if self.interpolation == "nearest":
            return pad_ops.repeat(x, factor, axis)
        # y = W @ x along `axis`: fold the axes before it into a batch, those after it into columns.
        shape = x.shape
        weights = bilinear_weights(shape[axis], factor).astype(x.dtype)
        x3 = shape_ops.reshape(x, (math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1:])))
        y = linalg_ops.matmul(weights, x3)
        return shape_ops.reshape(y, shape[:axis] + (weights.shape[0],) + shape[axis + 1:])

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    """Upsamples volumes by repeating cells along the three spatial axes.

    Args:
        size: int or tuple of 3 ints, the factors per axis. Defaults to (2, 2, 2).
        data_format: "channels_last" (inputs (batch, dim1, dim2, dim3, channels)) or
            "channels_first" (inputs (batch, channels, dim1, dim2, dim3)). Defaults to "channels_last".
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)


def bilinear_weights(n, factor):
    """The (n * factor, n) matrix of linear interpolation with half-pixel centres and clamped edges."""
    rows = np.arange(n * factor)
    source = np.clip((rows + 0.5) / factor - 0.5, 0, n - 1)  # where output cell i samples the input
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, n - 1)
    frac = source - low
    weights = np.zeros((n * factor, n))
    weights[rows, low] = 1 - frac
    weights[rows, high] += frac
    return weights
