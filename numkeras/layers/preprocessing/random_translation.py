"""RandomTranslation: shifts each image by a random offset while training.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.RandomTranslation(0.1, 0.1, seed=0)(np.zeros((2, 8, 8, 3), "float32"), training=True).shape
    (2, 8, 8, 3)
"""
import numpy as np

from numkeras.engine import image_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer, parse_factor
from numkeras.layers.preprocessing.random_rotation import _check_modes


class RandomTranslation(BaseImagePreprocessingLayer):
    """Translates images by a random fraction of their size during training; identity at inference.

    Args:
        height_factor: a number `f` or a pair `(lo, hi)` in [-1, 1]: the
            vertical shift is drawn in [lo * height, hi * height] pixels (a
            number gives [-f, f]). Positive values shift down.
        width_factor: as `height_factor`, horizontally; positive values shift right.
        fill_mode: "reflect" (default), "wrap", "nearest" or "constant".
        interpolation: "bilinear" (default) or "nearest".
        seed: optional integer seed.
        fill_value: the value outside the input when `fill_mode="constant"`.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_range = parse_factor(height_factor, "height_factor", layer="RandomTranslation")
        self.width_range = parse_factor(width_factor, "width_factor", layer="RandomTranslation")
        _check_modes("RandomTranslation", fill_mode, interpolation)
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def transform(self, images, training):
        if not training:
            return images
        n, h, w, _ = images.shape
        dy = self.rng.uniform(*self.height_range, size=n) * h
        dx = self.rng.uniform(*self.width_range, size=n) * w
        ones, zeros = np.ones(n), np.zeros(n)
        matrices = np.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)
        return image_ops.affine_transform(images, matrices, self.interpolation, self.fill_mode, self.fill_value)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}
