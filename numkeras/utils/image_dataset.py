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

import numpy as np

from numkeras.engine import image_ops
from numkeras.layers.preprocessing.base_image_layer import standardize_data_format
import numkeras.utils.dataset_utils as dataset_utils
from numkeras.utils.dataset import Dataset
from numkeras.utils.image_utils import pil_image

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, color_mode="rgb",
                                 batch_size=32, image_size=(256, 256), shuffle=True, seed=None, validation_split=None,
                                 subset=None, interpolation="bilinear", follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, format="tf", verbose=True):
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
        format: "tf" (default) or "grain": Keras's choice of pipeline
            library; numkeras accepts either and returns its `Dataset`.
        verbose: print how many files and classes were found. Defaults to True.

    Returns:
        An `ImageDataset` (or a list of two for `subset="both"`).
    """
    labels, label_mode = dataset_utils.check_label_arguments(labels, label_mode, class_names, "image file")
    dataset_utils.check_format(format)
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
    dataset_utils.check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(directory, labels, ALLOWLIST_FORMATS, class_names,
                                                               shuffle, seed, follow_links, verbose)
    dataset_utils.check_class_count(label_mode, class_names)
    options = dict(class_names=class_names, label_mode=label_mode, color_mode=color_mode, batch_size=batch_size,
                   image_size=tuple(int(s) for s in image_size), interpolation=interpolation,
                   crop_to_aspect_ratio=crop_to_aspect_ratio, pad_to_aspect_ratio=pad_to_aspect_ratio,
                   data_format=standardize_data_format(data_format), seed=seed)
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for name in subsets:
        part_paths, part_labels = dataset_utils.training_or_validation_split(paths, labels, validation_split, name)
        if not part_paths:
            what = f"{name} images" if subset == "both" else "images"
            raise ValueError(f"No {what} found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
        # As in Keras, the validation half of subset="both" is never reshuffled.
        datasets.append(ImageDataset(part_paths, part_labels, shuffle=shuffle and not (subset == "both" and
                                                                                      name == "validation"), **options))
    return datasets if subset == "both" else datasets[0]


class ImageDataset(Dataset):
    """Batches of `(images, labels)` (or `images` alone) read from image files; made by `image_dataset_from_directory`.

    A `utils.Dataset` (so `map`, `prefetch`, `take`, ... apply). Iterating it
    is one epoch: images are loaded from disk batch by batch, and with
    `shuffle=True` every new iteration visits the files in a new order (a
    fixed `seed` gives a fixed sequence of orders). `len()` is the number of
    batches. Pass it straight to `fit`, `evaluate` or `predict`.

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
        n = len(self.file_paths)
        super().__init__(self._batches, n if batch_size is None else math.ceil(n / batch_size))
        self._batch_size = batch_size  # split_dataset splits by image and batches the halves alike

    def _batches(self):
        n = len(self.file_paths)
        order = self._rng.permutation(n) if self._shuffle else np.arange(n)
        step = self.batch_size or 1
        for start in range(0, n, step):
            rows = order[start:start + step]
            images = np.stack([self._load(self.file_paths[i]) for i in rows])
            batch = images if self._labels is None else \
                (images, dataset_utils.encode_labels(self._labels[rows], self._label_mode, len(self.class_names)))
            if self.batch_size is None:
                batch = images[0] if self._labels is None else (batch[0][0], batch[1][0])
            yield batch

    def _load(self, path):
        mode = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[self._color_mode]
        with pil_image().open(path) as img:  # a GIF gives its first frame
            x = np.asarray(img if img.mode == mode else img.convert(mode), dtype="float32")
        x = x[:, :, None] if x.ndim == 2 else x
        x = image_ops.resize(x[None], self.image_size, **self._resize).data[0]
        return x.transpose(2, 0, 1) if self._channels_first else x

    def __repr__(self):
        return (f"<ImageDataset files={len(self.file_paths)}, batches={len(self)}, batch_size={self.batch_size}, "
                f"image_size={self.image_size}, classes={self.class_names}>")
