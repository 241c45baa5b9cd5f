"""Resizing: resizes images to (height, width), in training and at inference.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Resizing(8, 6)(np.zeros((2, 4, 4, 3), "float32")).shape
    (2, 8, 6, 3)
"""
from numkeras.engine import image_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class Resizing(BaseImagePreprocessingLayer):
    """Resizes a batch of images (or one image) to `(height, width)`.

    Resampling uses half-pixel centres without antialiasing, as Keras's
    JAX and TensorFlow backends do. Integer images stay integer (rounded).

    Args:
        height: the output height.
        width: the output width.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3" or
            "lanczos5". Defaults to "bilinear".
        crop_to_aspect_ratio: first take the largest centred crop with the
            target aspect ratio, so nothing is distorted. Defaults to False.
        pad_to_aspect_ratio: first pad the short side evenly to the target
            aspect ratio (with `fill_value`). Defaults to False.
        fill_mode: padding mode; only "constant" is supported.
        fill_value: the padding value. Defaults to 0.0.
        data_format: "channels_last" (default) or "channels_first".
    """

    keeps_integer_dtype = True

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if interpolation not in image_ops.RESIZE_INTERPOLATIONS:
            raise ValueError(f"Resizing: interpolation must be one of {image_ops.RESIZE_INTERPOLATIONS}. "
                             f"Received: interpolation={interpolation!r}.")
        if fill_mode != "constant":
            raise ValueError(f"Resizing: only fill_mode='constant' is supported. Received: fill_mode={fill_mode!r}.")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
        self.height, self.width = int(height), int(width)
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value

    def transform(self, images, training):
        return image_ops.resize(images, (self.height, self.width), self.interpolation, self.crop_to_aspect_ratio,
                                self.pad_to_aspect_ratio, self.fill_value)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self._spatial_axes(len(shape))
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value}
