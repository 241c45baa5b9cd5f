"""Image transforms (primitives with their own VJPs), shared by the preprocessing layers and the image loader.

All functions take a batch of images in channels_last layout, `(batch, height,
width, channels)`, as a Tensor or an array, and return a Tensor that a gradient
flows back through: resampling along an axis and the affine transform are graph
nodes of their own (forward beside VJP); crops and pads come from other ops.

- `resize`: the half-pixel-centre resampling of `jax.image.resize` (and of
  `tf.image.resize` without antialiasing), optionally after a centre crop or a
  pad to the target aspect ratio.
- `affine_transform`: samples each output pixel `(x, y)` at the input point
  `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`,
  one 8-vector `[a0, a1, a2, b0, b1, b2, c0, c1]` per image (Keras's layout).

Example:
    >>> import numpy as np
    >>> from numkeras.engine import image_ops
    >>> image_ops.resize(np.array([0.0, 1.0], "float32").reshape(1, 1, 2, 1), (1, 4)).numpy().ravel()
    array([0.  , 0.25, 0.75, 1.  ], dtype=float32)
"""
import math

import numpy as np

from numkeras.backend import errstate as _errstate
from numkeras.engine import math_ops, shape_ops
from numkeras.engine.tensor import as_tensor, make

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")  # the preprocessing layers' (Keras's) choices
OPS_FILL_MODES = FILL_MODES + ("mirror",)  # ops.image.affine_transform / map_coordinates also take "mirror"


def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x):  # Keys' cubic with a = -0.5
    inner = ((1.5 * x - 2.5) * x) * x + 1.0
    outer = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x < 1.0, inner, np.where(x < 2.0, outer, 0.0))


def _lanczos(radius):
    def kernel(x):
        with _errstate(divide="ignore", invalid="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi * x) ** 2
        return np.where(x > radius, 0.0, np.where(x < 1e-3, 1.0, y))
    return kernel


_KERNELS = {"bilinear": _triangle, "bicubic": _keys_cubic, "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def resize_weights(in_size, out_size, interpolation="bilinear", antialias=False, scale=None, translation=0.0):
    """The `(in_size, out_size)` matrix that resamples one axis: `out = x @ w`.

    Output sample `j` sits at input coordinate `(j + 0.5 - translation) / scale - 0.5`
    (`scale` defaults to `out / in`: a plain resize); each column's kernel weights are
    renormalized to sum to 1, which clamps the edges, and samples outside the input get no
    weight. With `antialias`, a downsampling kernel is widened by `1 / scale` so every input
    sample contributes (a low-pass filter first, as `jax.image.scale_and_translate` does).
    """
    scale = out_size / in_size if scale is None else float(scale)
    centres = (np.arange(out_size) + 0.5 - translation) / scale - 0.5
    width = max(1.0 / scale, 1.0) if antialias else 1.0
    weights = _KERNELS[interpolation](np.abs(centres[None, :] - np.arange(in_size)[:, None]) / width)
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, weights / np.where(total == 0, 1, total), 0)
    inside = (centres >= -0.5) & (centres <= in_size - 0.5)
    return np.where(inside[None, :], weights, 0.0)


def aspect_crop_box(height, width, target_height, target_width):
    """(top, left, crop_height, crop_width): the largest centred window with the target aspect ratio."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    return int((height - crop_height) / 2), int((width - crop_width) / 2), crop_height, crop_width


def resize(images, size, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
           fill_value=0.0, antialias=False):
    """Resizes a batch of channels_last images to `size = (height, width)`.

    Args:
        images: `(batch, height, width, channels)` Tensor or array.
        size: the target `(height, width)`.
        interpolation: one of "bilinear", "nearest", "bicubic", "lanczos3",
            "lanczos5". Defaults to "bilinear".
        crop_to_aspect_ratio: first take the largest centred crop with the
            target aspect ratio. Defaults to False.
        pad_to_aspect_ratio: first pad the short side evenly with `fill_value`
            to the target aspect ratio. Defaults to False.
        fill_value: the padding value. Defaults to 0.0.
        antialias: widen the kernel when downsampling (see `resize_weights`; not for
            "nearest"). Defaults to False.

    Returns:
        A Tensor of shape `(batch, size[0], size[1], channels)`; integer
        images come back rounded and in their own dtype.
    """
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation. Expected one of {RESIZE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
    x = as_tensor(images)
    dtype = x.data.dtype
    if dtype.kind != "f":
        x = math_ops.cast(x, "float32")
    target_h, target_w = (int(s) for s in size)
    if crop_to_aspect_ratio:
        top, left, ch, cw = aspect_crop_box(x.shape[1], x.shape[2], target_h, target_w)
        x = shape_ops.getitem(x, (slice(None), slice(top, top + ch), slice(left, left + cw)))
    elif pad_to_aspect_ratio:
        x = _pad_to_aspect_ratio(x, target_h, target_w, fill_value)
    if interpolation == "nearest":
        x = _resize_nearest(x, target_h, target_w)
    else:
        for axis, target in ((1, target_h), (2, target_w)):
            weights = resize_weights(x.shape[axis], target, interpolation, antialias=True) if antialias else None
            x = _resize_axis(x, axis, target, interpolation, weights)
    if dtype.kind in "iu":  # back to the input's integer type, rounded and saturated
        info = np.iinfo(dtype)
        return as_tensor(np.clip(np.round(x.data), info.min, info.max).astype(dtype))
    return x


def _pad_to_aspect_ratio(x, target_h, target_w, fill_value):
    n, h, w, c = x.shape
    pad_h = max(h, int(float(w * target_h) / target_w))
    pad_w = max(w, int(float(h * target_w) / target_h))
    top, left = int((pad_h - h) / 2), int((pad_w - w) / 2)
    dtype = x.data.dtype
    if top > 0:
        band = np.full((n, top, w, c), fill_value, dtype)
        x = shape_ops.concatenate([band, x, band], axis=1)
    elif left > 0:
        band = np.full((n, h, left, c), fill_value, dtype)
        x = shape_ops.concatenate([band, x, band], axis=2)
    return x


def _resize_nearest(x, target_h, target_w):
    rows = np.floor((np.arange(target_h) + 0.5) * x.shape[1] / target_h).astype(np.intp)
    cols = np.floor((np.arange(target_w) + 0.5) * x.shape[2] / target_w).astype(np.intp)
    return shape_ops.getitem(x, (slice(None), rows[:, None], cols[None, :]))


def _resize_axis(x, axis, out_size, interpolation, weights=None):
    """Resamples `axis` of `x`: each output row blends the few input rows its kernel covers.

    `weights` is the `(in, out)` matrix (by default a plain resize's, see `resize_weights`).
    """
    in_size = x.shape[axis]
    if weights is None:
        if in_size == out_size:
            return x
        weights = resize_weights(in_size, out_size, interpolation)
    nonzero = weights != 0
    first = nonzero.argmax(axis=0)
    last = in_size - 1 - nonzero[::-1].argmax(axis=0)
    taps = int(max((last - first).max(), 0)) + 1
    rows = first[None, :] + np.arange(taps)[:, None]  # (taps, out): the kernel's support, padded with zero weights
    tap_weights = np.where(rows < in_size, np.take_along_axis(weights, np.minimum(rows, in_size - 1), 0), 0.0)
    rows = np.minimum(rows, in_size - 1)
    shape = [1] * x.ndim
    shape[axis] = out_size
    dtype = x.data.dtype
    out = None
    for k in range(taps):
        term = np.take(x.data, rows[k], axis=axis)
        term *= tap_weights[k].reshape(shape).astype(dtype)
        out = term if out is None else out.__iadd__(term)

    def vjp(g):
        back = np.tensordot(g, weights.T.astype(g.dtype), axes=([axis], [0]))  # (.., in) with the axis last
        return (np.moveaxis(back, -1, axis),)
    return make(out, (x,), vjp)


def _fold_index(index, size, fill_mode):
    """Maps integer coordinates outside [0, size) back inside, the way `fill_mode` extends the image."""
    outside = (index < 0) | (index >= size)
    if not outside.any():
        return index
    index = index.copy()
    bad = index[outside]  # only the few points off the image need the arithmetic
    if fill_mode == "reflect":  # d c b a | a b c d | d c b a
        bad = np.mod(bad, 2 * size)
        bad = np.where(bad >= size, 2 * size - 1 - bad, bad)
    elif fill_mode == "mirror":  # d c b | a b c d | c b a
        period = max(2 * size - 2, 1)
        bad = np.mod(bad, period)
        bad = np.where(bad >= size, period - bad, bad)
    elif fill_mode == "wrap":
        bad = np.mod(bad, size)
    else:  # "nearest"; "constant" gives these taps no weight
        bad = np.clip(bad, 0, size - 1)
    index[outside] = bad
    return index


def affine_transform(images, transforms, interpolation="bilinear", fill_mode="constant", fill_value=0.0):
    """Resamples each image of a channels_last batch through its projective transform.

    Args:
        images: `(batch, height, width, channels)` float Tensor or array.
        transforms: `(batch, 8)` array; row `[a0, a1, a2, b0, b1, b2, c0, c1]`
            maps output pixel `(x, y)` to the input point it reads.
        interpolation: "bilinear" or "nearest". Defaults to "bilinear".
        fill_mode: how points outside the input are filled: "reflect"
            (d c b a | a b c d | d c b a), "mirror" (d c b | a b c d | c b a), "wrap",
            "nearest" or "constant".
        fill_value: the value outside the input when `fill_mode="constant"`.

    Returns:
        A Tensor shaped like `images`.
    """
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation. Expected one of {AFFINE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}.")
    if fill_mode not in OPS_FILL_MODES:
        raise ValueError(f"Invalid fill_mode. Expected one of {OPS_FILL_MODES}. Received: fill_mode={fill_mode!r}.")
    x = as_tensor(images)
    n, h, w, c = x.shape
    dtype = x.data.dtype
    t = np.asarray(transforms, dtype=np.float64).reshape(n, 8)[:, :, None, None]
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    src_x = t[:, 0] * xs + t[:, 1] * ys + t[:, 2]
    src_y = t[:, 3] * xs + t[:, 4] * ys + t[:, 5]
    if np.any(t[:, 6:]):  # a projective (not just affine) transform
        k = t[:, 6] * xs + t[:, 7] * ys + 1.0
        src_x, src_y = src_x / k, src_y / k
    # Per axis: the integer taps and their weights (1 - d, d for bilinear; one tap for nearest).
    axes = []
    for src, size in ((src_y, h), (src_x, w)):
        if interpolation == "nearest":
            taps = [(np.floor(src + 0.5).astype(np.intp), None)]
        else:
            low = np.floor(src)
            frac = (src - low).astype(np.float32)
            low = low.astype(np.intp)
            taps = [(low, 1 - frac), (low + 1, frac)]
        axes.append([(_fold_index(i, size, fill_mode), wt, (i < 0) | (i >= size) if fill_mode == "constant" else None)
                     for i, wt in taps])
    pixels = x.data.reshape(n * h * w, c)
    base = (np.arange(n) * h)[:, None, None]
    gathers, missing = [], 0.0  # (flat pixel rows, weight) per tap; the weight that fell outside the input
    for iy, wy, out_y in axes[0]:
        for ix, wx, out_x in axes[1]:
            weight = wy if wx is None else wx if wy is None else wy * wx
            if out_y is not None:
                outside = out_y | out_x
                weight = np.ones((n, h, w), np.float32) if weight is None else weight
                missing = missing + np.where(outside, weight, 0)
                weight = np.where(outside, 0, weight)
            rows = ((base + iy) * w + ix).reshape(-1)
            gathers.append((rows, None if weight is None else weight.reshape(-1, 1).astype(dtype, copy=False)))
    out = None
    for rows, weight in gathers:
        term = np.take(pixels, rows, axis=0)
        if weight is not None:
            term *= weight
        out = term if out is None else out.__iadd__(term)
    if fill_mode == "constant" and fill_value != 0:
        out += (np.reshape(missing, (-1, 1)) * fill_value).astype(dtype)

    def vjp(g):
        g = g.reshape(-1, c)
        grad = np.zeros_like(pixels)
        for rows, weight in gathers:
            np.add.at(grad, rows, g if weight is None else g * weight)  # several outputs may read one pixel
        return (grad.reshape(x.shape),)
    return make(out.reshape(n, h, w, c), (x,), vjp)


def rotation_matrices(angles_deg, height, width):
    """`(batch, 8)` transforms that rotate about the image centre by `angles_deg` (Keras's convention)."""
    angle = np.asarray(angles_deg, np.float64) * (math.pi / 180.0)
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    cos, sin = np.cos(angle), np.sin(angle)
    zeros = np.zeros_like(angle)
    return np.stack([cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, zeros, zeros], axis=1)
