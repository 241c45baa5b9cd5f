"""RandomFlip: flips images left-right and/or top-bottom while training.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> x = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
    >>> layers.RandomFlip("horizontal")(x).numpy().ravel()  # inference: unchanged
    array([0., 1., 2., 3.], dtype=float32)
"""
from numkeras.engine import math_ops, shape_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer

MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 during training; identity at inference.

    With "horizontal_and_vertical", one draw per image decides both flips
    (the image is turned by 180 degrees or left alone), as in Keras 3.

    Args:
        mode: "horizontal" (left-right), "vertical" (top-bottom) or
            "horizontal_and_vertical". Defaults to "horizontal_and_vertical".
        seed: optional integer seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in MODES:
            raise ValueError(f"RandomFlip: mode must be one of {MODES}. Received: mode={mode!r}.")
        self.mode = mode

    def transform(self, images, training):
        if not training:
            return images
        flips = (self.rng.uniform(size=(images.shape[0], 1, 1, 1)) <= 0.5)
        flipped = images
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            flipped = shape_ops.getitem(flipped, (slice(None), slice(None), slice(None, None, -1)))
        if self.mode in ("vertical", "horizontal_and_vertical"):
            flipped = shape_ops.getitem(flipped, (slice(None), slice(None, None, -1)))
        return math_ops.where(flips, flipped, images)

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "seed": self.seed}
