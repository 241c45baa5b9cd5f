"""Image files and arrays: load_img, img_to_array, array_to_img, save_img, smart_resize.

Decoding and encoding (PNG, JPEG, BMP, GIF) use Pillow, an optional
dependency imported only when one of these functions runs:
`pip install pillow` (or `pip install numkeras[image]`).

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from numkeras.utils import img_to_array, load_img, save_img
    >>> path = os.path.join(tempfile.mkdtemp(), "gradient.png")
    >>> save_img(path, np.tile(np.arange(4, dtype="uint8")[None, :, None] * 80, (2, 1, 3)), scale=False)
    >>> img_to_array(load_img(path, color_mode="grayscale"))[..., 0]
    array([[  0.,  80., 160., 240.],
           [  0.,  80., 160., 240.]], dtype=float32)
"""
import io
import os
import pathlib
import warnings

import numpy as np

from numkeras.backend import floatx
from numkeras.saving.atomic_write import atomic_write

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def pil_image():
    """Returns Pillow's `PIL.Image` module, or raises an ImportError that says how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("Reading and writing image files needs Pillow, which is not installed. "
                          "Install it with `pip install pillow` (or `pip install numkeras[image]`).") from None
    return Image


def _data_format(data_format):
    from numkeras.layers.preprocessing.base_image_layer import standardize_data_format
    return standardize_data_format(data_format)


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """Loads an image file into a PIL Image.

    Args:
        path: a path (str or `pathlib.Path`) or an `io.BytesIO`.
        color_mode: "rgb", "rgba" or "grayscale". Defaults to "rgb".
        target_size: None (the file's size) or `(height, width)`.
        interpolation: Pillow resampling used to reach `target_size`: "nearest"
            (default), "bilinear", "bicubic", "hamming", "box" or "lanczos".
        keep_aspect_ratio: first crop the largest centred window with the
            target aspect ratio, so the image is not distorted. Defaults to False.

    Returns:
        A `PIL.Image.Image`.
    """
    image = pil_image()
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (str, bytes, pathlib.Path)):
        with open(path, "rb") as f:  # read it all now so the file is not held open
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"load_img: path must be a path or an io.BytesIO. Received: {type(path).__name__}.")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode in ("rgb", "rgba"):
        if img.mode != color_mode.upper():
            img = img.convert(color_mode.upper())
    else:
        raise ValueError(f"load_img: color_mode must be 'grayscale', 'rgb' or 'rgba'. Received: "
                         f"color_mode={color_mode!r}.")
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))  # Pillow speaks (width, height)
        if img.size != size:
            if interpolation not in _INTERPOLATIONS:
                raise ValueError(f"load_img: interpolation must be one of {_INTERPOLATIONS}. Received: "
                                 f"interpolation={interpolation!r}.")
            resample = getattr(image.Resampling, interpolation.upper())
            box = None
            if keep_aspect_ratio:
                width, height = img.size
                crop_h = min(height, (width * size[1]) // size[0])
                crop_w = min(width, (height * size[0]) // size[1])
                top, left = (height - crop_h) // 2, (width - crop_w) // 2
                box = (left, top, left + crop_w, top + crop_h)
            img = img.resize(size, resample, box=box)
    return img


def img_to_array(img, data_format=None, dtype=None):
    """Converts a PIL Image to a 3D NumPy array `(height, width, channels)`.

    Args:
        img: a PIL Image.
        data_format: "channels_last" (default) or "channels_first".
        dtype: the array dtype. Defaults to floatx ("float32").
    """
    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"img_to_array: unsupported image shape {x.shape}; expected (height, width[, channels]).")
    return x.transpose(2, 0, 1) if _data_format(data_format) == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a 3D array (1, 3 or 4 channels) to a PIL Image.

    Args:
        x: array-like `(height, width, channels)` (or channels first).
        data_format: "channels_last" (default) or "channels_first".
        scale: stretch the values so the minimum maps to 0 and the maximum
            to 255. Defaults to True.
        dtype: the dtype used for the arithmetic. Defaults to floatx.
    """
    image = pil_image()
    x = np.array(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(f"array_to_img expects a rank-3 array (one image). Received: shape {x.shape}.")
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - x.min()
        if x.max() != 0:
            x = x / x.max()
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if x.max() > 255:  # 32-bit integer grayscale
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img: unsupported number of channels {channels}; expected 1, 3 or 4.")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file (written atomically) or a file object.

    Args:
        path: a path, or a file object (then give `file_format`).
        x: the image array.
        data_format: "channels_last" (default) or "channels_first".
        file_format: e.g. "png" or "jpeg"; by default taken from the path's extension.
        scale: stretch the values to [0, 255] first. Defaults to True.
        **kwargs: passed to `PIL.Image.Image.save` (e.g. `quality=95`).
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    if isinstance(path, (str, pathlib.Path)):
        with atomic_write(os.fspath(path)) as tmp:
            img.save(tmp, format=file_format, **kwargs)
    else:
        img.save(path, format=file_format, **kwargs)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resizes an image (or a batch) to `size` without distorting it: the largest centred crop with the
    target aspect ratio, then a resize, as `keras.preprocessing.image.smart_resize` does.

    Args:
        x: an image `(height, width, channels)` or a batch `(batch, height, width, channels)`
            (channels first with `data_format="channels_first"`).
        size: the target `(height, width)`.
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5".
        data_format: "channels_last" (default) or "channels_first".

    Returns:
        A NumPy array of the resized image(s); integer images stay in their dtype, rounded.

    Example:
        >>> import numpy as np
        >>> smart_resize(np.ones((10, 20, 3), "float32"), (4, 4)).shape
        (4, 4, 3)
    """
    from numkeras.engine import image_ops  # tensors only when resizing
    kwargs.pop("backend_module", None)  # Keras's switch between backends: numkeras has one
    if kwargs:
        raise TypeError(f"smart_resize() got unexpected keyword arguments: {sorted(kwargs)}.")
    if len(size) != 2:
        raise ValueError(f"smart_resize: size must be a (height, width) tuple of 2 integers. Received: size={size!r}.")
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError("smart_resize: expected an image (height, width, channels) or a batch (batch, height, "
                         f"width, channels). Received an array of shape {x.shape}.")
    channels_first = _data_format(data_format) == "channels_first"
    batch = x if x.ndim == 4 else x[None]
    if channels_first:
        batch = batch.transpose(0, 2, 3, 1)
    out = image_ops.resize(batch, size, interpolation, crop_to_aspect_ratio=True).data
    if channels_first:
        out = out.transpose(0, 3, 1, 2)
    return out if x.ndim == 4 else out[0]
