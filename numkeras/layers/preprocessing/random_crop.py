"""RandomCrop: crops a random (height, width) window while training, the centre at inference.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.RandomCrop(4, 4, seed=0)
    >>> layer(np.zeros((2, 8, 8, 3), "float32"), training=True).shape, layer(np.zeros((2, 8, 8, 3), "float32")).shape
    ((2, 4, 4, 3), (2, 4, 4, 3))
"""
from numkeras.engine import image_ops, shape_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomCrop(BaseImagePreprocessingLayer):
    """Crops images to `(height, width)`: at a random place in training, one for the whole batch.

    At inference (and when an input is not larger than the target in both
    sides) the largest centred window with the target aspect ratio is taken
    and resized to `(height, width)`, so the output shape never depends on
    `training`.

    Args:
        height: the output height.
        width: the output width.
        seed: optional integer seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height, self.width = int(height), int(width)

    def transform(self, images, training):
        h, w = images.shape[1], images.shape[2]
        if training and h > self.height and w > self.width:
            top = int(self.rng.uniform(0, h - self.height + 1))
            left = int(self.rng.uniform(0, w - self.width + 1))
            return shape_ops.getitem(images, (slice(None), slice(top, top + self.height),
                                              slice(left, left + self.width)))
        return image_ops.resize(images, (self.height, self.width), crop_to_aspect_ratio=True)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self._spatial_axes(len(shape))
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width, "seed": self.seed}
