"""Image ops: resizing, affine transforms, patches, colour spaces (Keras's `keras.ops.image`).

Every function takes one image `(height, width, channels)` or a batch `(batch, height, width,
channels)` (channels first with `data_format="channels_first"`; None means
channels_last), and returns the same layout. The
resampling itself is engine/image_ops.py's (the preprocessing layers' too): `resize`,
`scale_and_translate`, `affine_transform` and `perspective_transform` are differentiable in the
images; so are the crops, pads, patches, colour conversions, blurs, `sobel_edges`, `ssim` and
`map_coordinates` (in its input, not its coordinates) and `elastic_transform`. The
transforms and coordinates themselves get no gradient.

Example:
    >>> import numpy as np
    >>> from numkeras.ops import image
    >>> image.resize(np.ones((4, 4, 3), "float32"), (2, 2)).shape
    (2, 2, 3)
"""
import itertools as _itertools

import numpy as _np

from numkeras.engine import conv_ops as _conv_ops
from numkeras.engine import gather_ops as _gather_ops
from numkeras.engine import image_ops as _image_ops
from numkeras.engine import math_ops as _math_ops
from numkeras.engine import pad_ops as _pad_ops
from numkeras.engine import reduction_ops as _reduction_ops
from numkeras.engine import shape_ops as _shape_ops
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_tensor as _tensor

_SCALE_METHODS = {"linear": "bilinear", "bilinear": "bilinear", "trilinear": "bilinear", "triangle": "bilinear",
                  "cubic": "bicubic", "bicubic": "bicubic", "tricubic": "bicubic", "keyscubic": "bicubic",
                  "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def _data_format(data_format):
    if data_format is None:  # keras.config.image_data_format(), where numkeras grows one
        from numkeras import backend
        return getattr(backend, "image_data_format", lambda: "channels_last")()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first'. Received: "
                         f"data_format={data_format!r}.")
    return data_format


def _to_batch_last(images, data_format, name):
    """`images` as a channels_last batch, and the function that puts a result back in the caller's layout."""
    x = _tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"{name}: expected rank 3 (one image) or rank 4 (a batch of images). Received "
                         f"images.shape={x.shape}.")
    channels_first = _data_format(data_format) == "channels_first"
    single = x.ndim == 3
    if single:
        x = _shape_ops.expand_dims(x, 0)
    if channels_first:
        x = _shape_ops.transpose(x, (0, 2, 3, 1))

    def restore(y):
        if channels_first:
            y = _shape_ops.transpose(y, (0, 3, 1, 2))
        return _shape_ops.squeeze(y, 0) if single else y
    return x, restore


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size = (height, width)` (half-pixel centres, as `jax.image.resize`).

    Args:
        images: one image or a batch.
        size: the target `(height, width)`.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3" or "lanczos5". Defaults to
            "bilinear".
        antialias: when downsampling, widen the kernel so that every input pixel counts (not
            for "nearest"). Defaults to False.
        crop_to_aspect_ratio: first take the largest centred crop with the target aspect ratio.
            Defaults to False.
        pad_to_aspect_ratio: first pad the short side evenly with `fill_value` to the target
            aspect ratio. Defaults to False.
        fill_mode: only "constant" (the padding). Defaults to "constant".
        fill_value: the padding value. Defaults to 0.0.
        data_format: "channels_last" or "channels_first". Defaults to None (channels_last).

    Returns:
        The resized images; integer images come back rounded in their dtype.

    Example:
        >>> import numpy as np
        >>> resize(np.array([0.0, 1.0], "float32").reshape(1, 2, 1), (1, 4)).numpy().ravel()
        array([0.  , 0.25, 0.75, 1.  ], dtype=float32)
    """
    if fill_mode != "constant":
        raise ValueError(f"resize: only fill_mode='constant' is supported. Received: fill_mode={fill_mode!r}.")
    if len(size) != 2:
        raise ValueError(f"resize: size must be (height, width). Received: size={size!r}.")
    x, restore = _to_batch_last(images, data_format, "resize")
    return restore(_image_ops.resize(x, size, interpolation, crop_to_aspect_ratio=crop_to_aspect_ratio,
                                     pad_to_aspect_ratio=pad_to_aspect_ratio, fill_value=fill_value,
                                     antialias=antialias and interpolation != "nearest"))


def _batch_of_transforms(transform, batch, name, width=8):
    t = _np.asarray(transform.data if isinstance(transform, _Tensor) else transform, dtype=_np.float64)
    if t.ndim not in (1, 2) or t.shape[-1] != width:
        raise ValueError(f"{name}: expected a transform of shape ({width},) or (batch, {width}). Received shape "
                         f"{t.shape}.")
    return _np.broadcast_to(t.reshape(-1, width), (batch, width))


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    """Resamples images through projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]`.

    Output pixel `(x, y)` reads the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`,
    `k = c0 x + c1 y + 1`.

    Args:
        images: one image or a batch.
        transform: `(8,)` (for every image) or `(batch, 8)`.
        interpolation: "bilinear" or "nearest". Defaults to "bilinear".
        fill_mode: outside the input: "constant", "nearest", "wrap", "reflect" (d c b a | a b c d)
            or "mirror" (d c b | a b c d). Defaults to "constant".
        fill_value: the value for "constant". Defaults to 0.
        data_format: as in `resize`.

    Example:
        >>> import numpy as np
        >>> x = np.arange(4, dtype="float32").reshape(1, 4, 1)
        >>> affine_transform(x, [1, 0, 1, 0, 1, 0, 0, 0]).numpy().ravel()  # read one pixel to the right
        array([1., 2., 3., 0.], dtype=float32)
    """
    x, restore = _to_batch_last(images, data_format, "affine_transform")
    t = _batch_of_transforms(transform, x.shape[0], "affine_transform")
    return restore(_image_ops.affine_transform(x, t, interpolation, fill_mode, float(fill_value)))


def _homographies(start_points, end_points, batch):
    start = _np.asarray(_tensor(start_points).data, _np.float64).reshape(-1, 4, 2)
    end = _np.asarray(_tensor(end_points).data, _np.float64).reshape(-1, 4, 2)
    start, end = _np.broadcast_arrays(start, end)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zeros, ones = _np.zeros_like(ex), _np.ones_like(ex)
    # Each output corner (ex, ey) must read its input corner (sx, sy): two linear equations per corner.
    rows_x = _np.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    rows_y = _np.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    system = _np.concatenate([rows_x, rows_y], axis=1)
    target = _np.concatenate([sx, sy], axis=1)[..., None]
    return _np.broadcast_to(_np.linalg.solve(system, target)[..., 0], (batch, 8))


def perspective_transform(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                          data_format=None):
    """Warps images so that the four `start_points` land on the four `end_points`.

    Args:
        images: one image or a batch.
        start_points, end_points: `(4, 2)` or `(batch, 4, 2)` corners as `(x, y)` pixels.
        interpolation: "bilinear" or "nearest". Defaults to "bilinear".
        fill_value: the value outside the input. Defaults to 0.
        data_format: as in `resize`.

    Example:
        >>> import numpy as np
        >>> corners = [[0, 0], [3, 0], [0, 3], [3, 3]]
        >>> x = np.arange(16, dtype="float32").reshape(4, 4, 1)
        >>> bool(np.allclose(perspective_transform(x, corners, corners).numpy(), x))
        True
    """
    x, restore = _to_batch_last(images, data_format, "perspective_transform")
    t = _homographies(start_points, end_points, x.shape[0])
    return restore(_image_ops.affine_transform(x, t, interpolation, "constant", float(fill_value)))


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    """Resamples the `spatial_dims` of `images` with a scale and a translation per axis.

    Output sample `j` of axis `d` reads the input at `(j + 0.5 - translation[d]) / scale[d] - 0.5`.

    Args:
        images: a float tensor of any rank.
        output_shape: the full output shape (the non-spatial axes unchanged).
        scale, translation: one number per spatial axis.
        spatial_dims: the axes to resample.
        method: "linear" (or "bilinear", "trilinear", "triangle"), "cubic" (or "bicubic",
            "tricubic", "keyscubic"), "lanczos3" or "lanczos5".
        antialias: widen the kernel when downsampling. Defaults to True.

    Example:
        >>> import numpy as np
        >>> x = np.arange(4, dtype="float32").reshape(4, 1)
        >>> scale_and_translate(x, (4, 1), [1.0], [1.0], [0], "linear").numpy().ravel()
        array([0., 0., 1., 2.], dtype=float32)
    """
    if method not in _SCALE_METHODS:
        raise ValueError(f"scale_and_translate: method must be one of {sorted(_SCALE_METHODS)}. Received: "
                         f"method={method!r}.")
    x = _tensor(images)
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, "float32")
    scale = _np.asarray(_tensor(scale).data, _np.float64).reshape(-1)
    translation = _np.asarray(_tensor(translation).data, _np.float64).reshape(-1)
    for k, axis in enumerate(spatial_dims):
        axis = axis % x.ndim
        weights = _image_ops.resize_weights(x.shape[axis], int(output_shape[axis]), _SCALE_METHODS[method],
                                            antialias=antialias, scale=scale[k], translation=translation[k])
        x = _image_ops._resize_axis(x, axis, int(output_shape[axis]), _SCALE_METHODS[method], weights)
    return x


def _fold(index, size, fill_mode):
    return _image_ops._fold_index(index, size, "nearest" if fill_mode == "constant" else fill_mode)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at fractional `coordinates` (one row per input axis), nearest or linear.

    Args:
        inputs: a tensor of rank N.
        coordinates: `(N, ...)`: entry `[:, p]` is the point read for output position `p`.
        order: 0 (nearest, halves rounded away from zero) or 1 (linear).
        fill_mode: outside the input: "constant", "nearest", "wrap", "mirror" or "reflect".
            Defaults to "constant".
        fill_value: the value for "constant". Defaults to 0.

    Returns:
        A tensor of shape `coordinates.shape[1:]`, differentiable in `inputs`.

    Example:
        >>> map_coordinates([[0.0, 10.0], [20.0, 30.0]], [[0.5, 1.0], [0.5, 3.0]], order=1).numpy()
        array([15.,  0.], dtype=float32)
    """
    x = _tensor(inputs)
    coords = _np.asarray(_tensor(coordinates).data, _np.float64)
    if coords.ndim < 2 or coords.shape[0] != x.ndim:
        raise ValueError(f"map_coordinates: coordinates must have shape (inputs.ndim, ...) with rank >= 2. Received "
                         f"coordinates.shape={coords.shape} for inputs of rank {x.ndim}.")
    if fill_mode not in _image_ops.OPS_FILL_MODES:
        raise ValueError(f"map_coordinates: fill_mode must be one of {_image_ops.OPS_FILL_MODES}. Received: "
                         f"fill_mode={fill_mode!r}.")
    if order not in (0, 1):
        raise ValueError(f"map_coordinates: order must be 0 or 1. Received: order={order!r}.")
    return _sample(x, list(coords), order, fill_mode, fill_value)


def _sample(x, coords, order, fill_mode, fill_value):
    """`x` read at one coordinate array per axis (broadcast together); integer arrays are exact (one tap)."""
    shape = _np.broadcast_shapes(*(c.shape for c in coords))
    per_axis = []  # for each axis: [(index, weight or None, inside)]
    for c, size in zip(coords, x.shape):
        if c.dtype.kind in "iu":
            taps = [(c, None)]
        elif order == 0:
            taps = [(_np.sign(c) * _np.floor(_np.abs(c) + 0.5), None)]
        else:
            low = _np.floor(c)
            taps = [(low, 1.0 - (c - low)), (low + 1.0, c - low)]
        per_axis.append([(_fold(_np.broadcast_to(i, shape).astype(_np.int64), size, fill_mode), w,
                          (i >= 0) & (i < size)) for i, w in taps])
    flat = _shape_ops.reshape(x, (-1,))
    strides = _np.cumprod((x.shape[1:] + (1,))[::-1])[::-1]
    out, missing = None, _np.zeros(shape)
    for combo in _itertools.product(*per_axis):
        index = sum(i * s for (i, _, _), s in zip(combo, strides))
        weight = _np.ones(shape)
        inside = _np.ones(shape, bool)
        for _, w, ok in combo:
            if w is not None:
                weight = weight * w
            inside &= ok
        if fill_mode == "constant":
            missing = missing + _np.where(inside, 0.0, weight)
            weight = _np.where(inside, weight, 0.0)
        term = _math_ops.multiply(_gather_ops.take(flat, index), weight.astype(x.data.dtype))
        out = term if out is None else _math_ops.add(out, term)
    if fill_mode == "constant" and fill_value != 0:
        out = _math_ops.add(out, (missing * fill_value).astype(x.data.dtype))
    return out


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                      seed=None, data_format=None):
    """Distorts images by a smooth random displacement field (Simard et al., 2003).

    Each pixel `(y, x)` reads the input at `(y + alpha * dy, x + alpha * dx)`, where `dx` and `dy`
    are standard-normal noise times `sigma`, blurred by a Gaussian of deviation `sigma` (kernel
    size `int(6 sigma) | 1`). Differentiable in the images.

    Unlike Keras 3.15's JAX backend (which draws `dx` and `dy` from one seed, so they are equal
    and every pixel moves along the diagonal), the two fields are drawn independently. The
    draws come from NumPy, so they differ from Keras's for the same seed.

    Args:
        images: one image or a batch.
        alpha: the displacement scale. Defaults to 20.0.
        sigma: the smoothness (and the noise scale). Defaults to 5.0.
        interpolation: "bilinear" or "nearest". Defaults to "bilinear".
        fill_mode: as in `affine_transform`. Defaults to "reflect".
        fill_value: the value for "constant". Defaults to 0.0.
        seed: an int for repeatable fields, or None for the global generator. Defaults to None.
        data_format: as in `resize`.

    Example:
        >>> import numpy as np
        >>> x = np.random.default_rng(0).random((8, 8, 1)).astype("float32")
        >>> bool(np.allclose(elastic_transform(x, alpha=0.0, seed=1).numpy(), x))
        True
    """
    if interpolation not in _image_ops.AFFINE_INTERPOLATIONS:
        raise ValueError(f"elastic_transform: interpolation must be one of {_image_ops.AFFINE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}.")
    if fill_mode not in _image_ops.OPS_FILL_MODES:
        raise ValueError(f"elastic_transform: fill_mode must be one of {_image_ops.OPS_FILL_MODES}. Received: "
                         f"fill_mode={fill_mode!r}.")
    x, restore = _to_batch_last(images, data_format, "elastic_transform")
    n, h, w, c = x.shape
    if seed is None:
        from numkeras.backend import random_generator
        rng = random_generator()
    elif isinstance(seed, int):
        rng = _np.random.default_rng(seed)
    else:
        raise TypeError(f"elastic_transform: seed must be an int or None. Received: seed of type "
                        f"{type(seed).__name__}.")
    size = int(6 * sigma) | 1
    kernel = _np.outer(_gaussian(size, sigma), _gaussian(size, sigma))
    noise = rng.standard_normal((n, h, w, 2)) * sigma
    fields = _depthwise_same(_Tensor(noise), kernel).data * alpha  # (n, h, w, 2): dx, dy
    rows = _np.arange(h)[None, :, None, None] + fields[..., 1:2]
    cols = _np.arange(w)[None, None, :, None] + fields[..., 0:1]
    batch = _np.arange(n)[:, None, None, None]
    channel = _np.arange(c)[None, None, None, :]
    order = 0 if interpolation == "nearest" else 1
    return restore(_sample(x, [batch, rows, cols, channel], order, fill_mode, float(fill_value)))


def _patch_size(size, rank, name):
    size = (size,) * rank if isinstance(size, int) else tuple(size)
    if len(size) != rank:
        raise ValueError(f"{name}: size must be an int or a tuple of {rank} ints. Received: size={size!r}.")
    return size


def _identity_conv(x, size, strides, dilation_rate, padding, data_format):
    channels = x.shape[-1] if _data_format(data_format) == "channels_last" else x.shape[1]
    depth = int(_np.prod(size)) * channels
    kernel = _np.eye(depth, dtype=x.data.dtype if x.data.dtype.kind == "f" else "float32")
    kernel = kernel.reshape(tuple(size) + (channels, depth))
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, "float32")
    return _conv_ops.conv(x, kernel, strides=strides or size, padding=padding, data_format=_data_format(data_format),
                          dilation_rate=dilation_rate)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Square or rectangular patches of images, each flattened into the channel axis.

    Args:
        images: one image or a batch.
        size: the patch size, an int or `(height, width)`; a 3-tuple calls `extract_patches_3d`.
        strides: the step between patches. Defaults to `size` (no overlap).
        dilation_rate: the spacing of the pixels inside a patch. Defaults to 1.
        padding: "valid" or "same". Defaults to "valid".
        data_format: as in `resize`.

    Returns:
        `(batch, rows, cols, size_h * size_w * channels)` (pixels in row-major order, channels
        innermost), channels first if asked. Differentiable.

    Example:
        >>> import numpy as np
        >>> x = np.arange(16, dtype="float32").reshape(4, 4, 1)
        >>> extract_patches(x, 2)[0, 0].numpy()
        array([0., 1., 4., 5.], dtype=float32)
    """
    if not isinstance(size, int) and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    size = _patch_size(size, 2, "extract_patches")
    x = _tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"extract_patches: expected rank 3 or 4 images. Received images.shape={x.shape}.")
    single = x.ndim == 3
    out = _identity_conv(_shape_ops.expand_dims(x, 0) if single else x, size, strides, dilation_rate, padding,
                         data_format)
    return _shape_ops.squeeze(out, 0) if single else out


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of volumes `(batch, depth, height, width, channels)`, each flattened into the channel axis.

    Args:
        volumes: one volume (rank 4) or a batch (rank 5).
        size: an int or `(depth, height, width)`.
        strides, dilation_rate, padding, data_format: as in `extract_patches`.

    Example:
        >>> import numpy as np
        >>> extract_patches_3d(np.ones((4, 4, 4, 2), "float32"), 2).shape
        (2, 2, 2, 16)
    """
    size = _patch_size(size, 3, "extract_patches_3d")
    x = _tensor(volumes)
    if x.ndim not in (4, 5):
        raise ValueError(f"extract_patches_3d: expected rank 4 or 5 volumes. Received volumes.shape={x.shape}.")
    single = x.ndim == 4
    out = _identity_conv(_shape_ops.expand_dims(x, 0) if single else x, size, strides, dilation_rate, padding,
                         data_format)
    return _shape_ops.squeeze(out, 0) if single else out


def _two_of_three(first, second, total, names, what):
    if [first, second, total].count(None) != 1:
        raise ValueError(f"{what}: give exactly two of {', '.join(names)}. Received: {names[0]}={first}, "
                         f"{names[1]}={second}, {names[2]}={total}.")
    for value, name in zip((first, second, total), names):
        if value is not None and value < 0:
            raise ValueError(f"{what}: {name} must be >= 0. Received: {name}={value}.")


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    """Pads images with zeros; per axis give two of (before, after, target size).

    Example:
        >>> import numpy as np
        >>> pad_images(np.ones((2, 2, 1), "float32"), 1, 0, target_height=4, target_width=3).numpy()[..., 0]
        array([[0., 0., 0.],
               [1., 1., 0.],
               [1., 1., 0.],
               [0., 0., 0.]], dtype=float32)
    """
    _two_of_three(top_padding, bottom_padding, target_height, ("top_padding", "bottom_padding", "target_height"),
                  "pad_images")
    _two_of_three(left_padding, right_padding, target_width, ("left_padding", "right_padding", "target_width"),
                  "pad_images")
    x, restore = _to_batch_last(images, data_format, "pad_images")
    height, width = x.shape[1:3]
    top = target_height - bottom_padding - height if top_padding is None else top_padding
    bottom = target_height - top - height if bottom_padding is None else bottom_padding
    left = target_width - right_padding - width if left_padding is None else left_padding
    right = target_width - left - width if right_padding is None else right_padding
    for value, name in ((top, "top_padding"), (bottom, "bottom_padding"), (left, "left_padding"),
                        (right, "right_padding")):
        if value < 0:
            raise ValueError(f"pad_images: {name} must be >= 0. Received: {name}={value} (the target is smaller "
                             f"than the image).")
    return restore(_pad_ops.pad(x, [(0, 0), (top, bottom), (left, right), (0, 0)]))


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                target_height=None, target_width=None, data_format=None):
    """Crops images; per axis give two of (before, after, target size).

    Example:
        >>> import numpy as np
        >>> x = np.arange(16, dtype="float32").reshape(4, 4, 1)
        >>> crop_images(x, 1, 1, target_height=2, target_width=2).numpy()[..., 0]
        array([[ 5.,  6.],
               [ 9., 10.]], dtype=float32)
    """
    _two_of_three(top_cropping, bottom_cropping, target_height,
                  ("top_cropping", "bottom_cropping", "target_height"), "crop_images")
    _two_of_three(left_cropping, right_cropping, target_width,
                  ("left_cropping", "right_cropping", "target_width"), "crop_images")
    x, restore = _to_batch_last(images, data_format, "crop_images")
    height, width = x.shape[1:3]
    top = height - target_height - bottom_cropping if top_cropping is None else top_cropping
    rows = height - bottom_cropping - top if target_height is None else target_height
    left = width - target_width - right_cropping if left_cropping is None else left_cropping
    cols = width - right_cropping - left if target_width is None else target_width
    for value, name in ((top, "top_cropping"), (rows, "target_height"), (left, "left_cropping"),
                        (cols, "target_width")):
        if value < 0:
            raise ValueError(f"crop_images: {name} must be >= 0. Received: {name}={value}.")
    if top + rows > height or left + cols > width:
        raise ValueError(f"crop_images: the crop ({top}:{top + rows}, {left}:{left + cols}) falls outside images "
                         f"of height {height} and width {width}.")
    return restore(_shape_ops.getitem(x, (slice(None), slice(top, top + rows), slice(left, left + cols))))


def _channels(x, name, want):
    if x.shape[-1] not in want:
        raise ValueError(f"{name}: expected {' or '.join(map(str, want))} channels. Received images with shape "
                         f"{x.shape} (channels_last).")


def rgb_to_grayscale(images, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B`, one channel kept (grayscale input is returned as is).

    Example:
        >>> import numpy as np
        >>> rgb_to_grayscale(np.array([[[1.0, 0.0, 0.0]]], "float32")).numpy()
        array([[[0.2989]]], dtype=float32)
    """
    x, restore = _to_batch_last(images, data_format, "rgb_to_grayscale")
    _channels(x, "rgb_to_grayscale", (1, 3))
    if x.shape[-1] == 1:
        return _tensor(images)
    dtype = x.data.dtype
    if dtype.kind != "f":
        x = _math_ops.cast(x, "float32")
    weights = _np.array([0.2989, 0.5870, 0.1140], x.data.dtype)
    gray = _reduction_ops.sum(_math_ops.multiply(x, weights), axis=-1, keepdims=True)
    return restore(_math_ops.cast(gray, dtype))


def _float_images(x, name):
    if x.data.dtype.kind != "f":
        raise ValueError(f"{name}: expected float images. Received: images.dtype={x.dtype}.")


def _split_channels(x):
    return [_shape_ops.getitem(x, (Ellipsis, k)) for k in range(3)]


def rgb_to_hsv(images, data_format=None):
    """RGB in [0, 1] to hue, saturation, value in [0, 1] (float images), differentiable.

    Example:
        >>> import numpy as np
        >>> rgb_to_hsv(np.array([[[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]]], "float32")).numpy()
        array([[[0. , 1. , 1. ],
                [0.5, 1. , 0.5]]], dtype=float32)
    """
    x, restore = _to_batch_last(images, data_format, "rgb_to_hsv")
    _float_images(x, "rgb_to_hsv")
    _channels(x, "rgb_to_hsv", (3,))
    eps = _np.finfo(x.data.dtype).eps
    x = _math_ops.where(_np.abs(x.data) < eps, 0.0, x)
    r, g, b = _split_channels(x)
    value = _math_ops.maximum(_math_ops.maximum(r, g), b)
    low = _math_ops.minimum(_math_ops.minimum(r, g), b)
    spread = _math_ops.subtract(value, low)
    positive_value, positive_spread = value.data > 0, spread.data > 0
    saturation = _math_ops.where(positive_value, _math_ops.divide(spread, _math_ops.where(positive_value, value, 1.0)),
                                 0.0)
    norm = _math_ops.divide(1.0, _math_ops.multiply(6.0, _math_ops.where(positive_spread, spread, 1.0)))
    hue = _math_ops.where(value.data == g.data,
                          _math_ops.add(_math_ops.multiply(norm, _math_ops.subtract(b, r)), 2.0 / 6.0),
                          _math_ops.add(_math_ops.multiply(norm, _math_ops.subtract(r, g)), 4.0 / 6.0))
    hue = _math_ops.where(value.data == r.data, _math_ops.multiply(norm, _math_ops.subtract(g, b)), hue)
    hue = _math_ops.add(_math_ops.where(positive_spread, hue, 0.0), (hue.data < 0).astype(hue.data.dtype))
    return restore(_shape_ops.stack([hue, saturation, value], axis=-1))


def hsv_to_rgb(images, data_format=None):
    """Hue, saturation, value in [0, 1] to RGB (float images), differentiable.

    Example:
        >>> import numpy as np
        >>> hsv_to_rgb(np.array([[[0.5, 1.0, 0.5]]], "float32")).numpy()
        array([[[0. , 0.5, 0.5]]], dtype=float32)
    """
    x, restore = _to_batch_last(images, data_format, "hsv_to_rgb")
    _float_images(x, "hsv_to_rgb")
    _channels(x, "hsv_to_rgb", (3,))
    hue, saturation, value = _split_channels(x)
    turns = _math_ops.subtract(hue, _np.floor(hue.data))  # hue mod 1
    dh = _math_ops.multiply(turns, 6.0)
    dr = _math_ops.clip(_math_ops.subtract(_math_ops.abs(_math_ops.subtract(dh, 3.0)), 1.0), 0.0, 1.0)
    dg = _math_ops.clip(_math_ops.subtract(2.0, _math_ops.abs(_math_ops.subtract(dh, 2.0))), 0.0, 1.0)
    db = _math_ops.clip(_math_ops.subtract(2.0, _math_ops.abs(_math_ops.subtract(dh, 4.0))), 0.0, 1.0)
    base = _math_ops.subtract(1.0, saturation)
    planes = [_math_ops.multiply(value, _math_ops.add(base, _math_ops.multiply(saturation, d))) for d in (dr, dg, db)]
    return restore(_shape_ops.stack(planes, axis=-1))


def _gaussian(size, sigma):
    t = _np.arange(size) - (size - 1) / 2.0
    k = _np.exp(-0.5 * (t / sigma) ** 2)
    return k / k.sum()


def _depthwise_same(x, kernel2d):
    channels = x.shape[-1]
    kernel = _np.broadcast_to(kernel2d.astype(x.data.dtype)[:, :, None, None], kernel2d.shape + (channels, 1))
    return _conv_ops.depthwise_conv(x, _np.ascontiguousarray(kernel), padding="same")


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs each channel with a normalized Gaussian kernel (zero padding, same size out).

    Args:
        images: one image or a batch (float).
        kernel_size: two kernel sizes. As in Keras, the kernel's rows follow `kernel_size[1]`,
            `sigma[1]` and its columns `kernel_size[0]`, `sigma[0]`. Defaults to (3, 3).
        sigma: the two standard deviations. Defaults to (1.0, 1.0).
        data_format: as in `resize`.

    Example:
        >>> import numpy as np
        >>> x = np.zeros((3, 3, 1), "float32"); x[1, 1] = 1.0
        >>> float(gaussian_blur(x).numpy().sum().round(5))
        1.0
    """
    x, restore = _to_batch_last(images, data_format, "gaussian_blur")
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, "float32")
    kernel = _np.outer(_gaussian(int(kernel_size[1]), float(sigma[1])), _gaussian(int(kernel_size[0]),
                                                                                   float(sigma[0])))
    return restore(_depthwise_same(x, kernel))


def sobel_edges(images, data_format=None):
    """Sobel gradients of each channel, stacked last as `[dy, dx]`: shape `images.shape + (2,)`.

    Example:
        >>> import numpy as np
        >>> ramp = np.tile(np.arange(4, dtype="float32"), (1, 4, 1))[..., None]  # (1, 4, 4, 1)
        >>> sobel_edges(ramp)[0, 1:3, 1:3, 0, 1].numpy()
        array([[8., 8.],
               [8., 8.]], dtype=float32)
    """
    x = _tensor(images)
    if x.ndim != 4:
        raise ValueError(f"sobel_edges: expected a batch of images (rank 4). Received images.shape={x.shape}.")
    channels_first = _data_format(data_format) == "channels_first"
    if channels_first:
        x = _shape_ops.transpose(x, (0, 2, 3, 1))
    sobel_x = _np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    edges = [_depthwise_same(x, k) for k in (sobel_x.T, sobel_x)]  # dy, dx
    if channels_first:
        edges = [_shape_ops.transpose(e, (0, 3, 1, 2)) for e in edges]
    return _shape_ops.stack(edges, axis=-1)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, data_format=None):
    """The structural similarity of two images (Gaussian-weighted, valid windows), averaged per image.

    Args:
        image1, image2: two images or batches of one shape.
        max_val: the dynamic range of the pixels. Defaults to 1.0.
        filter_size, filter_sigma: the Gaussian window. Defaults to 11 and 1.5.
        k1, k2: the stabilizing constants. Defaults to 0.01 and 0.03.
        data_format: as in `resize`.

    Returns:
        One value per image (a scalar for unbatched input), in the images' dtype.

    Example:
        >>> import numpy as np
        >>> x = np.random.default_rng(0).random((16, 16, 1)).astype("float32")
        >>> float(ssim(x, x).numpy().round(5))
        1.0
    """
    a, _ = _to_batch_last(image1, data_format, "ssim")
    b, _ = _to_batch_last(image2, data_format, "ssim")
    single = _tensor(image1).ndim == 3
    dtype = a.data.dtype
    if dtype.kind != "f":
        a, b = _math_ops.cast(a, "float32"), _math_ops.cast(b, "float32")
    n, h, w, c = a.shape
    kernel = _np.outer(_gaussian(filter_size, filter_sigma), _gaussian(filter_size, filter_sigma))
    kernel = kernel.astype(a.data.dtype).reshape(filter_size, filter_size, 1, 1)

    def window_mean(t):  # each channel as its own image, valid windows
        planes = _shape_ops.reshape(_shape_ops.transpose(t, (0, 3, 1, 2)), (n * c, h, w, 1))
        return _conv_ops.conv(planes, kernel, padding="valid")
    mu1, mu2 = window_mean(a), window_mean(b)
    mu11, mu22, mu12 = _math_ops.multiply(mu1, mu1), _math_ops.multiply(mu2, mu2), _math_ops.multiply(mu1, mu2)
    s11 = _math_ops.subtract(window_mean(_math_ops.multiply(a, a)), mu11)
    s22 = _math_ops.subtract(window_mean(_math_ops.multiply(b, b)), mu22)
    s12 = _math_ops.subtract(window_mean(_math_ops.multiply(a, b)), mu12)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    top = _math_ops.multiply(_math_ops.add(_math_ops.multiply(2.0, mu12), c1),
                             _math_ops.add(_math_ops.multiply(2.0, s12), c2))
    bottom = _math_ops.multiply(_math_ops.add(_math_ops.add(mu11, mu22), c1),
                                _math_ops.add(_math_ops.add(s11, s22), c2))
    per_plane = _reduction_ops.mean(_math_ops.divide(top, bottom), axis=(1, 2, 3))
    out = _reduction_ops.mean(_shape_ops.reshape(per_plane, (n, c)), axis=-1)
    out = _shape_ops.squeeze(out, 0) if single else out
    return _math_ops.cast(out, dtype)


__all__ = [name for name in dir() if not name.startswith("_")]
