"""RandomRotation: rotates each image by a random angle while training.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.RandomRotation(0.1, seed=0)
    >>> x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    >>> bool((layer(x).numpy() == x).all()), bool((layer(x, training=True).numpy() == x).all())
    (True, False)
"""
from numkeras.engine import image_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer, parse_factor


class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates images about their centre by a random fraction of a full turn during training.

    Args:
        factor: a fraction of 2π: a number `f` draws angles in
            [-f * 360, f * 360] degrees, a pair `(lo, hi)` in
            [lo * 360, hi * 360]. Positive angles turn counter-clockwise.
        fill_mode: how points outside the input are filled: "reflect"
            (d c b a | a b c d | d c b a), "wrap" (a b c d | a b c d),
            "nearest" (a a | a b c d | d d) or "constant" (`fill_value`).
            Defaults to "reflect".
        interpolation: "bilinear" or "nearest". Defaults to "bilinear".
        seed: optional integer seed.
        fill_value: the value outside the input when `fill_mode="constant"`. Defaults to 0.0.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor(factor, "factor", layer="RandomRotation")
        _check_modes("RandomRotation", fill_mode, interpolation)
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def transform(self, images, training):
        if not training:
            return images
        n, h, w, _ = images.shape
        angles = self.rng.uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, size=n)
        return image_ops.affine_transform(images, image_ops.rotation_matrices(angles, h, w), self.interpolation,
                                          self.fill_mode, self.fill_value)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "interpolation": self.interpolation, "seed": self.seed}


def _check_modes(layer, fill_mode, interpolation):
    if fill_mode not in image_ops.FILL_MODES:
        raise ValueError(f"{layer}: fill_mode must be one of {image_ops.FILL_MODES}. "
                         f"Received: fill_mode={fill_mode!r}.")
    if interpolation not in image_ops.AFFINE_INTERPOLATIONS:
        raise ValueError(f"{layer}: interpolation must be one of {image_ops.AFFINE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}.")
