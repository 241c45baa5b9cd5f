"""RandomZoom: zooms each image in or out by a random amount while training.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.RandomZoom(0.2, seed=0)(np.zeros((2, 8, 8, 3), "float32"), training=True).shape
    (2, 8, 8, 3)
"""
import numpy as np

from numkeras.engine import image_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer, parse_factor
from numkeras.layers.preprocessing.random_rotation import _check_modes


class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms images about their centre during training; identity at inference.

    Args:
        height_factor: a number `f` or a pair `(lo, hi)`, each in (-1, 1]:
            the vertical zoom is drawn in [1 + lo, 1 + hi] (a number gives
            [-f, f]). Positive values zoom out, negative values zoom in.
        width_factor: as `height_factor`, for the horizontal zoom; None (the
            default) uses the vertical zoom for both, keeping the aspect ratio.
        fill_mode: "reflect" (default), "wrap", "nearest" or "constant".
        interpolation: "bilinear" (default) or "nearest".
        seed: optional integer seed.
        fill_value: the value outside the input when `fill_mode="constant"`.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_range = parse_factor(height_factor, "height_factor", layer="RandomZoom", low_open=True)
        self.width_range = (None if width_factor is None else
                            parse_factor(width_factor, "width_factor", layer="RandomZoom", low_open=True))
        _check_modes("RandomZoom", fill_mode, interpolation)
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def transform(self, images, training):
        if not training:
            return images
        n, h, w, _ = images.shape
        zy = self.rng.uniform(1.0 + self.height_range[0], 1.0 + self.height_range[1], size=n)
        zx = zy if self.width_range is None else self.rng.uniform(1.0 + self.width_range[0],
                                                                    1.0 + self.width_range[1], size=n)
        zeros = np.zeros(n)
        matrices = np.stack([zx, zeros, (w - 1) / 2.0 * (1.0 - zx), zeros, zy, (h - 1) / 2.0 * (1.0 - zy),
                             zeros, zeros], axis=1)
        return image_ops.affine_transform(images, matrices, self.interpolation, self.fill_mode, self.fill_value)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}
