"""RandomContrast: scales each image's deviation from its channel means by a random factor while training.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> x = np.full((1, 2, 2, 1), 100.0, "float32")
    >>> layers.RandomContrast(0.5, seed=0)(x, training=True).numpy().ravel()  # a flat image stays flat
    array([100., 100., 100., 100.], dtype=float32)
"""
from numkeras.engine import math_ops, reduction_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer, parse_factor


class RandomContrast(BaseImagePreprocessingLayer):
    """Adjusts contrast by a random factor per image during training; identity at inference.

    Each pixel `x` of a channel becomes `(x - mean) * c + mean`, `mean` being
    the channel's mean over the image, then is clipped to `value_range`.

    Args:
        factor: a number `f` in [0, 1] draws `c` in [1 - f, 1 + f]; a pair
            `(lo, hi)` draws it in [1 - lo, 1 + hi].
        value_range: the `(low, high)` range of the input values, used for
            clipping. Defaults to (0, 255).
        seed: optional integer seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(factor, (tuple, list)):
            self.factor = parse_factor(factor, "factor", low=0.0, layer="RandomContrast")
        else:
            self.factor = (-parse_factor(factor, "factor", low=0.0, layer="RandomContrast")[0],) * 2
        self.value_range = tuple(value_range)

    def transform(self, images, training):
        if not training:
            return images
        c = self.rng.uniform(1.0 - self.factor[0], 1.0 + self.factor[1], size=(images.shape[0], 1, 1, 1))
        mean = reduction_ops.mean(images, axis=(1, 2), keepdims=True)
        out = math_ops.add(math_ops.multiply(math_ops.subtract(images, mean), c.astype(images.dtype)), mean)
        return math_ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range, "seed": self.seed}
