"""CenterCrop: keeps the central (height, width) window, in training and at inference.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.CenterCrop(2, 2)(np.arange(16, dtype="float32").reshape(1, 4, 4, 1)).numpy().ravel()
    array([ 5.,  6.,  9., 10.], dtype=float32)
"""
from numkeras.engine import image_ops, shape_ops
from numkeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the centre of the images to `(height, width)`.

    An image smaller than the target in either side is instead cropped to the
    target aspect ratio and resized (bilinear), as Keras does.

    Args:
        height: the output height.
        width: the output width.
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = int(height), int(width)

    def transform(self, images, training):
        h_diff, w_diff = images.shape[1] - self.height, images.shape[2] - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = h_diff // 2, w_diff // 2
            return shape_ops.getitem(images, (slice(None), slice(top, top + self.height),
                                              slice(left, left + self.width)))
        return image_ops.resize(images, (self.height, self.width), crop_to_aspect_ratio=True)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self._spatial_axes(len(shape))
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
