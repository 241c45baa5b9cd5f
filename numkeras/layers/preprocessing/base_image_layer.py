"""The base of the image preprocessing layers: batching, layout, dtype, seeds and factors.

A subclass writes `transform(images, training)` for a channels_last float
batch `(batch, height, width, channels)`; the base takes care of single
images (rank 3), channels_first inputs and the cast to the layer's float
dtype, and hands out random numbers from the layer's own seeded generator
(or the global one when `seed` is None).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.RandomFlip(seed=1)(np.zeros((2, 4, 4, 3), "uint8")).dtype  # inference: identity, as floats
    'float32'
"""
import numpy as np

from numkeras.backend import random_generator
from numkeras.engine import math_ops, shape_ops
from numkeras.layers.layer import Layer


def standardize_data_format(data_format):
    """`data_format`, or the global image data format ("channels_last" unless set) when None."""
    if data_format is None:
        from numkeras import backend
        data_format = getattr(backend, "image_data_format", lambda: "channels_last")()
    data_format = str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}.")
    return data_format


class BaseImagePreprocessingLayer(Layer):
    """Runs `transform` on channels_last float batches, whatever the input layout.

    Args:
        seed: optional integer seed of the layer's own random generator.
        data_format: "channels_last" or "channels_first". Defaults to the
            global image data format ("channels_last").
    """

    keeps_integer_dtype = False  # Resizing returns integer images in their own dtype

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = standardize_data_format(data_format)
        self._generator = np.random.default_rng(seed) if seed is not None else None

    @property
    def rng(self):
        """The layer's generator: seeded by `seed`, else the global one (set by `utils.set_random_seed`)."""
        return self._generator or random_generator()

    def transform(self, images, training):
        """Returns the transformed channels_last batch. Override it."""
        return images

    def call(self, inputs, training=None):
        x = inputs
        if not (self.keeps_integer_dtype and x.data.dtype.kind in "iu") and x.dtype != self.dtype:
            x = math_ops.cast(x, self.dtype)
        if x.ndim not in (3, 4):
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}) expects images of rank 3 "
                             f"(height, width, channels) or rank 4 (batch, height, width, channels). "
                             f"Received: inputs.shape={tuple(inputs.shape)}.")
        single = x.ndim == 3
        if single:
            x = shape_ops.expand_dims(x, 0)
        if self.data_format == "channels_first":
            x = shape_ops.transpose(x, (0, 2, 3, 1))
        x = self.transform(x, bool(training))
        if self.data_format == "channels_first":
            x = shape_ops.transpose(x, (0, 3, 1, 2))
        return shape_ops.squeeze(x, 0) if single else x

    def _spatial_axes(self, rank):
        """Indices of (height, width) in an input shape of `rank` 3 or 4."""
        first = rank - 3
        return (first + 1, first + 2) if self.data_format == "channels_first" else (first, first + 1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


def parse_factor(factor, name, low=-1.0, high=1.0, layer=None, low_open=False):
    """(lower, upper) from a number `f` (giving [-f, f]) or a pair, each checked to lie in [low, high]."""
    where = f"{layer}: " if layer else ""
    message = (f"{where}{name} must be a number or a pair of numbers in the range "
               f"{'(' if low_open else '['}{low}, {high}]. Received: {name}={factor!r}.")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message)
        values = [factor[0], factor[1]]
    elif isinstance(factor, (int, float, np.number)) and not isinstance(factor, bool):
        values = [-abs(factor), abs(factor)]
    else:
        raise ValueError(message)
    for v in (factor if isinstance(factor, (tuple, list)) else [factor]):
        if not isinstance(v, (int, float, np.number)) or v > high or v < low or (low_open and v == low):
            raise ValueError(message)
    lower, upper = sorted(float(v) for v in values)
    return lower, upper
