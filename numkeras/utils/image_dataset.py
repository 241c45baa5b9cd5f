"""image_dataset_from_directory: batches of (images, labels) read from a folder per class.

Files are found, labelled, shuffled and split exactly as Keras does (the
same `seed` puts the same files in the same training and validation
subsets); images are decoded with Pillow (`pip install pillow`) and resized
with half-pixel-centre resampling, as `tf.image.resize` does.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from numkeras.utils import image_dataset_from_directory, save_img
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cat", "dog"):
    ...     os.mkdir(os.path.join(root, name))
    ...     for i in range(3):
    ...         save_img(os.path.join(root, name, f"{i}.png"), np.full((8, 6, 3), 40 * i, "uint8"), scale=False)
    >>> ds = image_dataset_from_directory(root, image_size=(4, 4), batch_size=4, seed=1)
    Found 6 files belonging to 2 classes.
    >>> ds.class_names, len(ds)
    (['cat', 'dog'], 2)
    >>> images, labels = next(iter(ds))
    >>> images.shape, images.dtype, labels.dtype
    ((4, 4, 4, 3), dtype('float32'), dtype('int32'))
"""
import math
import os

import numpy as np

from numkeras.engine import image_ops
from numkeras.layers.preprocessing.base_image_layer import standardize_data_format
from numkeras.utils.image_utils import pil_image

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, color_mode="rgb",
                                 batch_size=32, image_size=(256, 256), shuffle=True, seed=None, validation_split=None,
                                 subset=None, interpolation="bilinear", follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True):
    """Returns an `ImageDataset` of image batches (and labels) from the files under `directory`.

    With `labels="inferred"`, each subdirectory of `directory` is a class
    (in alphanumeric order unless `class_names` gives it), and the images
    anywhere beneath it (.bmp, .gif, .jpeg, .jpg, .png) belong to it.

    Args:
        directory: the data folder.
        labels: "inferred" (from the subdirectories), None (no labels), or a
            list of integer labels, one per file in the sorted order of the
            file paths under `directory`.
        label_mode: "int" (int32 of shape `(batch,)`), "categorical" (float32
            one-hot `(batch, num_classes)`), "binary" (float32 `(batch, 1)`,
            exactly 2 classes) or None (images only). Defaults to "int".
        class_names: with inferred labels, the subdirectories to use, in label order.
        color_mode: "rgb" (3 channels, default), "rgba" (4) or "grayscale" (1).
        batch_size: images per batch; None yields single images. Defaults to 32.
        image_size: `(height, width)` every image is resized to. Defaults to (256, 256).
        shuffle: shuffle the files (with `seed`), and reshuffle every time the
            dataset is iterated (every epoch). False keeps alphanumeric order.
            Defaults to True.
        seed: the shuffling seed; needed with `validation_split` and `shuffle`,
            so that the two subsets do not overlap.
        validation_split: fraction (0, 1) of the files held out for validation.
        subset: with `validation_split`: "training", "validation" or "both"
            (then a list `[training, validation]` is returned).
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5".
        follow_links: walk into symbolic links to folders. Defaults to False.
        crop_to_aspect_ratio: crop the largest centred window with the target
            aspect ratio before resizing. Defaults to False.
        pad_to_aspect_ratio: pad (with zeros) to the target aspect ratio
            before resizing. Defaults to False.
        data_format: "channels_last" (default) or "channels_first".
        verbose: print how many files and classes were found. Defaults to True.

    Returns:
        An `ImageDataset` (or a list of two for `subset="both"`).
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("labels must be 'inferred', None, or a list/tuple of integer labels (one per image "
                             f"file in the directory, in sorted path order). Received: labels={labels!r}.")
        if class_names:
            raise ValueError(f"class_names can only be given with labels='inferred'. Received: labels={labels!r}, "
                             f"class_names={class_names!r}.")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError("label_mode must be 'int', 'categorical', 'binary' or None. "
                         f"Received: label_mode={label_mode!r}.")
    if labels is None or label_mode is None:
        labels = label_mode = None
    if color_mode not in _CHANNELS:
        raise ValueError(f"color_mode must be one of {tuple(_CHANNELS)}. Received: color_mode={color_mode!r}.")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"image_size must be a (height, width) tuple of 2 integers. "
                         f"Received: image_size={image_size!r}.")
    interpolation = interpolation.lower()
    if interpolation not in image_ops.RESIZE_INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {image_ops.RESIZE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
    _check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(directory, labels, class_names, shuffle, seed, follow_links, verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"label_mode='binary' needs exactly 2 classes. Received: class_names={class_names}.")
    options = dict(class_names=class_names, label_mode=label_mode, color_mode=color_mode, batch_size=batch_size,
                   image_size=tuple(int(s) for s in image_size), interpolation=interpolation,
                   crop_to_aspect_ratio=crop_to_aspect_ratio, pad_to_aspect_ratio=pad_to_aspect_ratio,
                   data_format=standardize_data_format(data_format), seed=seed)
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for name in subsets:
        part_paths, part_labels = training_or_validation_split(paths, labels, validation_split, name)
        if not part_paths:
            what = f"{name} images" if subset == "both" else "images"
            raise ValueError(f"No {what} found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
        # As in Keras, the validation half of subset="both" is never reshuffled.
        datasets.append(ImageDataset(part_paths, part_labels, shuffle=shuffle and not (subset == "both" and
                                                                                      name == "validation"), **options))
    return datasets if subset == "both" else datasets[0]


def _check_validation_split(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be between 0 and 1. Received: validation_split={validation_split!r}.")
    if bool(validation_split) != bool(subset):
        raise ValueError("validation_split and subset go together: set both or neither. Received: "
                         f"validation_split={validation_split!r}, subset={subset!r}.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f"subset must be 'training', 'validation' or 'both'. Received: subset={subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError("With validation_split and shuffle=True, pass a seed so that the training and validation "
                         "subsets do not overlap, e.g. seed=1337.")


def index_directory(directory, labels, class_names=None, shuffle=True, seed=None, follow_links=False, verbose=True):
    """Lists the image files under `directory` with their labels, as Keras does.

    Returns:
        `(file_paths, labels, class_names)`: labels an int32 array (or the
        given list, or None), all shuffled together with `seed` when `shuffle`.
    """
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(f"class_names must name subdirectories of {directory}: expected some of {subdirs}, "
                                 f"but received class_names={class_names}.")
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError("class_names can only be given with labels='inferred'.")
        subdirs = [""]
    filenames, found = [], []
    for index, subdir in enumerate(subdirs):
        names = _valid_files(os.path.join(directory, subdir), subdir, follow_links)
        filenames += names
        found += [index] * len(names)
    if labels == "inferred":
        class_names = list(subdirs)
        labels = np.asarray(found, dtype="int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(f"labels has {len(labels)} entries but {len(filenames)} image files were found in "
                             f"{directory}. Pass one label per file, in sorted path order.")
        class_names = [str(label) for label in sorted(set(labels))]
        labels = list(labels)
    if verbose:
        print(f"Found {len(filenames)} files." if labels is None else
              f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:  # one global shuffle erases the per-class order; the same seed shuffles labels alike
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def _valid_files(folder, prefix, follow_links):
    """Image files under `folder`, as paths relative to its parent, walked in sorted order."""
    out = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(ALLOWLIST_FORMATS):
                out.append(os.path.join(prefix, os.path.relpath(os.path.join(root, name), folder)))
    return out


def training_or_validation_split(samples, labels, validation_split, subset):
    """The first `1 - validation_split` of the samples for training, the rest for validation."""
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    num_train = len(samples) - num_val
    if subset == "training":
        print(f"Using {num_train} files for training.")
        part = slice(0, num_train)
    else:
        print(f"Using {num_val} files for validation.")
        part = slice(num_train, None)
    return samples[part], None if labels is None else labels[part]


class ImageDataset:
    """Batches of `(images, labels)` (or `images` alone) read from image files; made by `image_dataset_from_directory`.

    Iterating it is one epoch: images are loaded from disk batch by batch,
    and with `shuffle=True` every new iteration visits the files in a new
    order (a fixed `seed` gives a fixed sequence of orders). `len()` is the
    number of batches. Pass it straight to `fit`, `evaluate` or `predict`.

    Attributes:
        class_names: the class names, in label order (None without labels).
        file_paths: the image files, in the order the seed put them.
    """

    def __init__(self, file_paths, labels, class_names, label_mode, color_mode, batch_size, image_size,
                 interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, data_format, shuffle, seed):
        self.file_paths = list(file_paths)
        self.class_names = class_names
        self.batch_size = batch_size
        self.image_size = image_size
        self._labels = None if labels is None else np.asarray(labels)
        self._label_mode, self._color_mode = label_mode, color_mode
        self._resize = dict(interpolation=interpolation, crop_to_aspect_ratio=crop_to_aspect_ratio,
                            pad_to_aspect_ratio=pad_to_aspect_ratio)
        self._channels_first = data_format == "channels_first"
        self._shuffle = shuffle
        self._rng = np.random.default_rng(seed)

    def __len__(self):
        n = len(self.file_paths)
        return n if self.batch_size is None else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.file_paths)
        order = self._rng.permutation(n) if self._shuffle else np.arange(n)
        step = self.batch_size or 1
        for start in range(0, n, step):
            rows = order[start:start + step]
            images = np.stack([self._load(self.file_paths[i]) for i in rows])
            batch = images if self._labels is None else (images, self._encode(self._labels[rows]))
            if self.batch_size is None:
                batch = images[0] if self._labels is None else (batch[0][0], batch[1][0])
            yield batch

    def take(self, count):
        """The first `count` batches of a new epoch (an iterator)."""
        import itertools
        return itertools.islice(iter(self), count)

    def _load(self, path):
        mode = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[self._color_mode]
        with pil_image().open(path) as img:  # a GIF gives its first frame
            x = np.asarray(img if img.mode == mode else img.convert(mode), dtype="float32")
        x = x[:, :, None] if x.ndim == 2 else x
        x = image_ops.resize(x[None], self.image_size, **self._resize).data[0]
        return x.transpose(2, 0, 1) if self._channels_first else x

    def _encode(self, labels):
        if self._label_mode == "binary":
            return labels.astype("float32")[:, None]
        if self._label_mode == "categorical":
            return np.eye(len(self.class_names), dtype="float32")[labels]
        return labels.astype("int32")

    def __repr__(self):
        return (f"<ImageDataset files={len(self.file_paths)}, batches={len(self)}, batch_size={self.batch_size}, "
                f"image_size={self.image_size}, classes={self.class_names}>")
