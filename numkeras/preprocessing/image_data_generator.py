"""Keras 2's `ImageDataGenerator`: random augmentation and normalization of images, batch by batch.

The 1st edition of *Deep Learning with Python* trains its convnets on
`ImageDataGenerator(rescale=1./255, rotation_range=40, ...)` and its
`flow_from_directory`. numkeras runs it as Keras's legacy class does: per
image, `get_random_transform` draws the parameters (from NumPy's global
random state, re-seeded per batch when the iterator has a seed), then
`apply_transform` applies them and `standardize` normalizes the result.
The geometry follows Keras's exactly, quirks included: the transform
matrix is built with its first coordinate along the width, so
`height_shift_range` moves the image sideways and `rotation_range` turns
it the other way from what the matrix suggests; the offset to the centre
takes `(height, width)` in that order. Pixels are resampled by
`numkeras.engine.image_ops.affine_transform` (bilinear, or nearest for
`interpolation_order=0`), where Keras calls SciPy.

Keras 3 writes `keras.utils.image_dataset_from_directory` and the
augmentation layers (`RandomFlip`, `RandomRotation`, `RandomZoom`,
`Rescaling`, ...) instead; each Keras 2 class or function notes that once
per process.

Example:
    >>> import warnings
    >>> import numpy as np
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the once-per-process note on Keras 3's way
    ...     gen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True)
    >>> x = np.arange(12, dtype="float32").reshape(1, 2, 2, 3) * 20
    >>> flipped = gen.apply_transform(x[0], {"flip_horizontal": True})
    >>> flipped[0, 0].tolist(), x[0, 0, 1].tolist()
    ([60.0, 80.0, 100.0], [60.0, 80.0, 100.0])
    >>> batch = next(gen.flow(x, batch_size=1, seed=0))
    >>> float(batch.max()) <= 1.0
    True
"""
import math
import warnings

import numpy as np

from numkeras.utils.keras2_idioms import note

_KERAS3 = ("Keras 3 loads images with keras.utils.image_dataset_from_directory and augments them with preprocessing "
           "layers (layers.Rescaling, RandomFlip, RandomRotation, RandomZoom, RandomTranslation) in the model.")
FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def note_keras2(name):
    """Notes once per process that `name` is Keras 2's image API, with Keras 3's way."""
    note(f"preprocessing.image.{name}", f"keras.preprocessing.image.{name} is Keras 2's image pipeline. {_KERAS3}",
         stacklevel=4)


def _range(value, name):
    if np.isscalar(value):
        return value
    value = np.asarray(value)
    if value.ndim != 1:
        raise ValueError(f"ImageDataGenerator: {name} must be a float, an int or a 1-D list of ints. "
                         f"Received: {name}={value!r}.")
    return value


class ImageDataGenerator:
    """Generates batches of images with random augmentation, as Keras 2 did.

    Args:
        featurewise_center: subtract the data set's mean per channel (from `fit`).
        samplewise_center: subtract each image's mean.
        featurewise_std_normalization: divide by the data set's std per channel (from `fit`).
        samplewise_std_normalization: divide each image by its std.
        zca_whitening: apply ZCA whitening (from `fit`).
        zca_epsilon: epsilon of ZCA whitening. Defaults to 1e-6.
        rotation_range: degrees; a random rotation in [-r, r].
        width_shift_range, height_shift_range: a float `r` shifts by a
            uniform draw from [-r, r), times the image size if `r < 1`; an
            int `r` by one of 0 .. r-1 pixels with a random sign; a list by
            one of its values with a random sign (times the size if all are < 1).
        brightness_range: two floats: a random brightness factor between them.
        shear_range: degrees; a random shear in [-r, r].
        zoom_range: a float `z` for [1 - z, 1 + z], or `[lower, upper]`.
        channel_shift_range: a random shift in [-r, r] added to every channel.
        fill_mode: "constant", "nearest" (default), "reflect" or "wrap".
        cval: the value outside the image for `fill_mode="constant"`.
        horizontal_flip, vertical_flip: flip half the images.
        rescale: a factor applied to every image (after the transforms).
        preprocessing_function: called on each image (rank 3) first in `standardize`.
        data_format: "channels_last" or "channels_first"; None for the global setting.
        validation_split: the fraction of images set aside for `subset="validation"`.
        interpolation_order: 1 (bilinear, the default) or 0 (nearest).
        dtype: the dtype of the batches; None for floatx.
    """

    def __init__(self, featurewise_center=False, samplewise_center=False, featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None, shear_range=0.0,
                 zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        from numkeras.backend import floatx
        from numkeras.layers.preprocessing.base_image_layer import standardize_data_format
        note_keras2("ImageDataGenerator")
        self.featurewise_center, self.samplewise_center = featurewise_center, samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening, self.zca_epsilon = zca_whitening, zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = _range(width_shift_range, "width_shift_range")
        self.height_shift_range = _range(height_shift_range, "height_shift_range")
        self.shear_range, self.channel_shift_range = shear_range, channel_shift_range
        self.cval, self.horizontal_flip, self.vertical_flip = cval, horizontal_flip, vertical_flip
        self.rescale, self.preprocessing_function = rescale, preprocessing_function
        self.dtype = dtype or floatx()
        self.interpolation_order = interpolation_order
        if fill_mode not in FILL_MODES:
            raise ValueError(f"ImageDataGenerator: fill_mode must be one of {FILL_MODES}. Received: "
                             f"fill_mode={fill_mode!r}.")
        self.fill_mode = fill_mode
        if interpolation_order not in (0, 1):
            raise ValueError("ImageDataGenerator: numkeras resamples with interpolation_order=1 (bilinear, the "
                             f"default) or 0 (nearest). Received: interpolation_order={interpolation_order!r}.")
        self.data_format = data_format = standardize_data_format(data_format)
        self.channel_axis, self.row_axis, self.col_axis = (3, 1, 2) if data_format == "channels_last" else (1, 2, 3)
        if not 0 <= validation_split < 1:
            raise ValueError("ImageDataGenerator: validation_split must be in [0, 1). Received: "
                             f"validation_split={validation_split!r}.")
        self._validation_split = validation_split
        if np.isscalar(zoom_range):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2 and all(np.isscalar(z) for z in zoom_range):
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError("ImageDataGenerator: zoom_range must be a float or a list of two floats. Received: "
                             f"zoom_range={zoom_range!r}.")
        if brightness_range is not None and (not isinstance(brightness_range, (tuple, list))
                                             or len(brightness_range) != 2):
            raise ValueError("ImageDataGenerator: brightness_range must be a tuple or list of two floats. "
                             f"Received: brightness_range={brightness_range!r}.")
        self.brightness_range = brightness_range
        self.mean = self.std = self.zca_whitening_matrix = None
        if zca_whitening and not featurewise_center:
            self.featurewise_center = True
            warnings.warn("This ImageDataGenerator specifies `zca_whitening`, which overrides setting of "
                          "`featurewise_center`.", stacklevel=2)
        if zca_whitening and featurewise_std_normalization:
            self.featurewise_std_normalization = False
            warnings.warn("This ImageDataGenerator specifies `zca_whitening`, which overrides setting of "
                          "`featurewise_std_normalization`.", stacklevel=2)
        if self.featurewise_std_normalization and not self.featurewise_center:
            self.featurewise_center = True
            warnings.warn("This ImageDataGenerator specifies `featurewise_std_normalization`, which overrides "
                          "setting of `featurewise_center`.", stacklevel=2)
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn("This ImageDataGenerator specifies `samplewise_std_normalization`, which overrides "
                          "setting of `samplewise_center`.", stacklevel=2)

    # -- iterators --------------------------------------------------------------
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, save_to_dir=None,
             save_prefix="", save_format="png", ignore_class_split=False, subset=None):
        """An endless iterator of `(x, y)` batches (`x` alone without `y`; `(x, y, w)` with `sample_weight`).

        Args:
            x: images, rank 4.
            y: labels, as many as images.
            batch_size: images per batch. Defaults to 32.
            shuffle: a new order every epoch. Defaults to True.
            sample_weight: per-image weights.
            seed: makes shuffling and augmentation repeatable.
            save_to_dir: a folder to write each augmented batch into, as images.
            save_prefix, save_format: their file names' prefix and format.
            ignore_class_split: allow a validation split whose classes differ from training's.
            subset: "training" or "validation" (with `validation_split`): the
                validation images are the first `validation_split` of `x`.

        Returns:
            A `NumpyArrayIterator`: `len()` is the batches per epoch.
        """
        from numkeras.preprocessing.image_iterators import NumpyArrayIterator
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
                                  seed=seed, data_format=self.data_format, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format,
                                  ignore_class_split=ignore_class_split, subset=subset, dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None, save_to_dir=None,
                            save_prefix="", save_format="png", follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """An endless iterator of batches of the images in `directory`'s class folders.

        Args:
            directory: a folder with one subfolder of images per class.
            target_size: `(height, width)` every image is resized to. Defaults to (256, 256).
            color_mode: "grayscale", "rgb" (default) or "rgba".
            classes: the class folders to use, in label order; None for every
                subfolder, sorted.
            class_mode: "categorical" (one-hot labels, the default),
                "binary" (0/1), "sparse" (integer labels), "input" (the
                images themselves, for autoencoders) or None (images only).
            batch_size: images per batch. Defaults to 32.
            shuffle: a new order every epoch. Defaults to True.
            seed: makes shuffling and augmentation repeatable.
            save_to_dir, save_prefix, save_format: write augmented batches as images.
            follow_links: follow symbolic links into subfolders.
            subset: "training" or "validation" (with `validation_split`): the
                first `validation_split` of each class's files (in name order)
                are the validation ones.
            interpolation: how images are resized: "nearest" (default),
                "bilinear", "bicubic", "lanczos", "box" or "hamming".
            keep_aspect_ratio: crop to the target's aspect ratio before resizing.

        Returns:
            A `DirectoryIterator` with `class_indices`, `classes`,
            `filenames`, `filepaths` and `samples`; `len()` is the batches per epoch.
        """
        from numkeras.preprocessing.image_iterators import DirectoryIterator
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
                                 class_mode=class_mode, data_format=self.data_format, batch_size=batch_size,
                                 shuffle=shuffle, seed=seed, save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links, subset=subset,
                                 interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio, dtype=self.dtype)

    def flow_from_dataframe(self, *args, **kwargs):
        raise NotImplementedError("numkeras has no pandas dependency, so flow_from_dataframe is not provided. Put "
                                  "the images in one folder per class and use flow_from_directory, or load them "
                                  "into an array and use flow.")

    # -- per image ----------------------------------------------------------------
    def standardize(self, x):
        """Normalizes one image (or a batch) in place, as configured; returns it."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        for enabled, value, apply, what in (
                (self.featurewise_center, self.mean, np.subtract, "featurewise_center"),
                (self.featurewise_std_normalization, self.std, lambda a, s, out: np.divide(a, s + 1e-6, out=out),
                 "featurewise_std_normalization")):
            if not enabled:
                continue
            if value is None:
                warnings.warn(f"This ImageDataGenerator specifies `{what}`, but it hasn't been fit on any training "
                              "data. Fit it first by calling `.fit(numpy_data)`.", stacklevel=2)
            else:
                apply(x, value.astype(x.dtype, copy=False), out=x)
        if self.zca_whitening:
            if self.zca_whitening_matrix is None:
                warnings.warn("This ImageDataGenerator specifies `zca_whitening`, but it hasn't been fit on any "
                              "training data. Fit it first by calling `.fit(numpy_data)`.", stacklevel=2)
            else:
                flat = x.reshape(-1, math.prod(x.shape[-3:]))
                x = (flat @ self.zca_whitening_matrix.astype(x.dtype, copy=False)).reshape(x.shape)
        return x

    def get_random_transform(self, img_shape, seed=None):
        """Draws the parameters of one random transform for an image of `img_shape` (rank 3).

        Returns:
            A dict with "theta", "tx", "ty", "shear", "zx", "zy",
            "flip_horizontal", "flip_vertical", "channel_shift_intensity" and
            "brightness", as `apply_transform` takes it.
        """
        rows, cols = img_shape[self.row_axis - 1], img_shape[self.col_axis - 1]
        if seed is not None:
            np.random.seed(seed)
        theta = np.random.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = _shift(self.height_shift_range, rows)
        ty = _shift(self.width_shift_range, cols)
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies the transform described by `transform_parameters` to one image (rank 3); returns a new array.

        Keys not given take their neutral value (no rotation, no shift, zoom 1, no flip, ...).
        """
        x = np.asarray(x)
        if x.ndim != 3:
            raise ValueError(f"apply_transform: expected one image of rank 3. Received shape {x.shape}.")
        p = transform_parameters
        channels_first = self.data_format == "channels_first"
        image = np.moveaxis(x, 0, -1) if channels_first else x
        matrix = transform_matrix(p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0),
                                  p.get("zx", 1), p.get("zy", 1), image.shape[0], image.shape[1])
        if matrix is not None:
            image = _resample(image, matrix, self.fill_mode, self.cval, self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            low, high = np.min(image), np.max(image)
            image = np.clip(image + p["channel_shift_intensity"], low, high).astype(image.dtype, copy=False)
        if p.get("flip_horizontal", False):
            image = image[:, ::-1]
        if p.get("flip_vertical", False):
            image = image[::-1]
        if p.get("brightness") is not None:
            image = _brightness(image, p["brightness"])
        image = np.moveaxis(image, -1, 0) if channels_first else image
        return np.ascontiguousarray(image)

    def random_transform(self, x, seed=None):
        """Applies a random transform (drawn by `get_random_transform`) to one image."""
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the data set statistics that featurewise normalization and ZCA whitening need.

        Args:
            x: images, rank 4.
            augment: also fit on `rounds` randomly augmented copies. Defaults to False.
            rounds: how many augmented copies with `augment`. Defaults to 1.
            seed: for the augmentation.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.fit: expected images of rank 4. Received shape {x.shape}.")
        if x.shape[self.channel_axis] not in (1, 3, 4):
            warnings.warn(f"Expected 1, 3 or 4 channels on axis {self.channel_axis} ({self.data_format}); "
                          f"received images of shape {x.shape}.", stacklevel=2)
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            x = np.concatenate([np.stack([self.random_transform(image) for image in x]) for _ in range(rounds)])
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.mean(x, axis=axes).reshape(shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=axes).reshape(shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            flat = x.reshape(x.shape[0], -1)
            sigma = flat.T @ flat / flat.shape[0]
            u, s, _ = np.linalg.svd(sigma)
            self.zca_whitening_matrix = (u * (1.0 / np.sqrt(s + self.zca_epsilon))) @ u.T


def _shift(value, size):
    """A shift in pixels, drawn as Keras draws it from a `*_shift_range` (in the same order from NumPy's RNG)."""
    if not np.any(value):
        return 0
    if isinstance(value, (float, np.floating)):
        shift = np.random.uniform(-value, value)
    else:  # an int r: one of 0..r-1; a list: one of its values; either with a random sign
        shift = np.random.choice(value) * np.random.choice([-1, 1])
    return shift * size if np.max(value) < 1 else shift


def transform_matrix(theta, tx, ty, shear, zx, zy, height, width):
    """The 3x3 matrix Keras's legacy `apply_affine_transform` builds, or None for the identity.

    It maps an output pixel `(x, y, 1)`, x along the width and y along the
    height, to the input point it reads: rotation, then shift, shear and
    zoom, about the point `(height / 2 - 0.5, width / 2 - 0.5)` (Keras's order).
    """
    parts = []
    if theta != 0:
        angle = np.deg2rad(theta)
        parts.append(np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        parts.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], dtype=np.float64))
    if shear != 0:
        angle = np.deg2rad(shear)
        parts.append(np.array([[1, -np.sin(angle), 0], [0, np.cos(angle), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        parts.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]], dtype=np.float64))
    if not parts:
        return None
    matrix = np.eye(3)
    for part in parts:
        matrix = matrix @ part
    ox, oy = height / 2 - 0.5, width / 2 - 0.5
    to_centre = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]])
    back = np.array([[1, 0, -ox], [0, 1, -oy], [0, 0, 1]])
    return to_centre @ matrix @ back


def _resample(image, matrix, fill_mode, cval, order):
    """`image` (height, width, channels) read through `matrix` (see `transform_matrix`), as SciPy's
    `ndimage.affine_transform` reads it for Keras.

    "nearest" and "reflect" extend the image as `engine.image_ops.affine_transform` does, which
    resamples them. SciPy's "constant" gives `cval` to every point outside the image (no blending at
    the border) and its "wrap" repeats the image with period `size - 1`; those are sampled here.
    """
    dtype = image.dtype if image.dtype.kind == "f" else np.dtype("float32")
    if fill_mode in ("nearest", "reflect"):
        from numkeras.engine.image_ops import affine_transform
        row = np.array([[matrix[0, 0], matrix[0, 1], matrix[0, 2], matrix[1, 0], matrix[1, 1], matrix[1, 2], 0, 0]])
        out = affine_transform(image[None].astype(dtype, copy=False), row,
                               interpolation="nearest" if order == 0 else "bilinear", fill_mode=fill_mode)
        return np.asarray(out.data)[0].astype(image.dtype, copy=False)
    h, w = image.shape[:2]
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    src_x = matrix[0, 0] * xs + matrix[0, 1] * ys + matrix[0, 2]
    src_y = matrix[1, 0] * xs + matrix[1, 1] * ys + matrix[1, 2]
    outside = (src_x < 0) | (src_x > w - 1) | (src_y < 0) | (src_y > h - 1)
    if fill_mode == "wrap":
        src_x = np.where((src_x < 0) | (src_x > w - 1), np.mod(src_x, max(w - 1, 1)), src_x)
        src_y = np.where((src_y < 0) | (src_y > h - 1), np.mod(src_y, max(h - 1, 1)), src_y)
    out = _bilinear(image.astype(dtype, copy=False), src_y, src_x, order)
    if fill_mode == "constant":
        out[outside] = cval
    return out.astype(image.dtype, copy=False)


def _bilinear(image, src_y, src_x, order):
    """Samples `image` at the points (src_y, src_x), taps clamped to the image; order 0 takes the nearest pixel."""
    h, w = image.shape[:2]
    if order == 0:
        iy = np.clip(np.floor(src_y + 0.5).astype(np.intp), 0, h - 1)
        ix = np.clip(np.floor(src_x + 0.5).astype(np.intp), 0, w - 1)
        return image[iy, ix]
    y0, x0 = np.floor(src_y), np.floor(src_x)
    fy, fx = (src_y - y0)[..., None], (src_x - x0)[..., None]
    y0, x0 = y0.astype(np.intp), x0.astype(np.intp)
    y1, x1 = np.clip(y0 + 1, 0, h - 1), np.clip(x0 + 1, 0, w - 1)
    y0, x0 = np.clip(y0, 0, h - 1), np.clip(x0, 0, w - 1)
    top = image[y0, x0] * (1 - fx) + image[y0, x1] * fx
    bottom = image[y1, x0] * (1 - fx) + image[y1, x1] * fx
    return (top * (1 - fy) + bottom * fy).astype(image.dtype, copy=False)


def _brightness(image, factor):
    """Keras's brightness shift: Pillow's ImageEnhance.Brightness on the image as 8-bit pixels."""
    from PIL import ImageEnhance

    from numkeras.utils.image_utils import array_to_img, img_to_array
    img = array_to_img(image, data_format="channels_last", scale=False)
    return img_to_array(ImageEnhance.Brightness(img).enhance(factor), data_format="channels_last").astype(
        image.dtype, copy=False)
