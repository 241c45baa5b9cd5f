"""The iterators `ImageDataGenerator.flow` and `flow_from_directory` return (Keras 2's legacy classes).

An `Iterator` is both Keras 3's `PyDataset` (`len()` batches per epoch,
`it[i]` is batch i, `fit(it)` runs one pass per epoch) and Keras 2's endless
generator (`next(it)` never stops, so `fit(it, steps_per_epoch=100)` may take
more batches than an epoch holds, as the 1st edition of *Deep Learning with
Python* does). The samples are visited in a new order each epoch when
`shuffle`; with a `seed`, NumPy's global random state is re-seeded with
`seed + batches seen` before each batch, as Keras does, so the order and the
augmentation repeat from run to run.

Example:
    >>> import warnings
    >>> import numpy as np
    >>> from numkeras.preprocessing.image import ImageDataGenerator
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the once-per-process note on Keras 3's way
    ...     gen = ImageDataGenerator()
    >>> it = gen.flow(np.zeros((5, 2, 2, 1)), np.arange(5), batch_size=2, shuffle=False)
    >>> len(it), [next(it)[1].tolist() for _ in range(4)]
    (3, [[0, 1], [2, 3], [4], [0, 1]])
"""
import os
import threading

import numpy as np

from numkeras.utils.py_dataset import PyDataset

WHITE_LIST_FORMATS = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")


class Iterator(PyDataset):
    """Batches of `n` samples: `len()` per epoch, endless under `next()`; subclasses make a batch from indices.

    Args:
        n: the number of samples.
        batch_size: samples per batch.
        shuffle: visit the samples in a new order each epoch.
        seed: re-seeds NumPy's random state before each batch (seed + batches seen).
    """

    white_list_formats = WHITE_LIST_FORMATS
    endless = True  # fit(..., steps_per_epoch=N) may take more batches than one epoch holds

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer. Received: batch_size={batch_size!r}.")
        self.n, self.batch_size, self.seed, self.shuffle = n, int(batch_size), seed, shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self._epoch_of_index = 0  # the epoch `index_array` was drawn for, for it[i] past len()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def __getitem__(self, idx):
        """Batch `idx` of this epoch; `idx` past `len()` reads the following epochs (a new order each)."""
        if idx < 0:
            raise ValueError(f"Asked to retrieve batch {idx}; batches are numbered from 0.")
        length = max(len(self), 1)
        epoch, idx = divmod(idx, length)
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None or epoch != self._epoch_of_index:
            self._set_index_array()
            self._epoch_of_index = epoch
        return self._get_batches_of_transformed_samples(self.index_array[self.batch_size * idx:
                                                                         self.batch_size * (idx + 1)])

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        """Starts the next `next()` at the beginning of an epoch."""
        self.batch_index = 0

    def _next_indices(self):
        with self.lock:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            start = (self.batch_index * self.batch_size) % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > start + self.batch_size else 0
            self.total_batches_seen += 1
            return self.index_array[start:start + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        return self._get_batches_of_transformed_samples(self._next_indices())

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError

    def _save_batch(self, batch_x, index_array):
        if not self.save_to_dir:
            return
        from numkeras.utils.image_utils import save_img
        for image, j in zip(batch_x, index_array):
            name = f"{self.save_prefix}_{j}_{np.random.randint(10**7)}.{self.save_format}"
            save_img(os.path.join(self.save_to_dir, name), image, data_format=self.data_format, scale=True)


class NumpyArrayIterator(Iterator):
    """Batches of images (and labels, weights) from arrays, transformed by an `ImageDataGenerator`.

    Args: as `ImageDataGenerator.flow`, plus the generator and `data_format`/`dtype`.
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
                 subset=None, dtype=None):
        from numkeras.backend import floatx
        self.dtype = dtype or floatx()
        if isinstance(x, tuple) or isinstance(x, list) and len(x) == 2 and np.ndim(x[0]) == 4:
            raise ValueError("numkeras's flow() takes the images as one array (Keras 2's (images, [extra "
                             "arrays]) form is not supported).")
        n = len(x)
        if y is not None and len(y) != n:
            raise ValueError(f"`x` (images tensor) and `y` (labels) should have the same length. Found: "
                             f"x.shape = {np.shape(x)}, y.shape = {np.shape(y)}")
        if sample_weight is not None and len(sample_weight) != n:
            raise ValueError(f"`x` (images tensor) and `sample_weight` should have the same length. Found: "
                             f"x.shape = {np.shape(x)}, sample_weight.shape = {np.shape(sample_weight)}")
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f'Invalid subset name: {subset!r}; expected "training" or "validation".')
            split = int(n * image_data_generator._validation_split)
            if y is not None and not ignore_class_split and \
                    not np.array_equal(np.unique(np.asarray(y)[:split]), np.unique(np.asarray(y)[split:])):
                raise ValueError("Training and validation subsets have different number of classes after the split. "
                                 "If your numpy arrays are sorted by the label, you might want to shuffle them "
                                 "(or pass ignore_class_split=True).")
            part = slice(None, split) if subset == "validation" else slice(split, None)
            x = x[part]
            y = None if y is None else y[part]
            sample_weight = None if sample_weight is None else sample_weight[part]
        self.x = np.asarray(x, dtype=self.dtype)
        if self.x.ndim != 4:
            raise ValueError(f"Input data in `NumpyArrayIterator` should have rank 4. You passed an array with "
                             f"shape {self.x.shape}")
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator, self.data_format = image_data_generator, data_format
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        gen = self.image_data_generator
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        for i, j in enumerate(index_array):
            image = gen.apply_transform(self.x[j], gen.get_random_transform(self.x[j].shape))
            batch_x[i] = gen.standardize(image.astype(self.dtype, copy=True))
        self._save_batch(batch_x, index_array)
        if self.y is None:
            return batch_x
        output = (batch_x, self.y[index_array])
        return output + (self.sample_weight[index_array],) if self.sample_weight is not None else output


class DirectoryIterator(Iterator):
    """Batches of the images in a folder of class subfolders, transformed by an `ImageDataGenerator`.

    Args: as `ImageDataGenerator.flow_from_directory`, plus the generator and `data_format`/`dtype`.
    """

    allowed_class_modes = ("categorical", "binary", "sparse", "input", None)

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True, seed=None, data_format=None,
                 save_to_dir=None, save_prefix="", save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, dtype=None):
        from numkeras.backend import floatx
        from numkeras.layers.preprocessing.base_image_layer import standardize_data_format
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode: {class_mode!r}; expected one of: {self.allowed_class_modes}")
        if color_mode not in ("rgb", "rgba", "grayscale"):
            raise ValueError(f"Invalid color mode: {color_mode!r}; expected 'rgb', 'rgba' or 'grayscale'.")
        if not os.path.isdir(directory):
            raise ValueError(f"flow_from_directory: {directory!r} is not a directory. Give the folder that holds "
                             "one subfolder of images per class.")
        self.directory, self.image_data_generator = directory, image_data_generator
        self.target_size, self.color_mode = tuple(target_size), color_mode
        self.data_format = standardize_data_format(data_format)
        self.dtype = dtype or floatx()
        self.class_mode, self.interpolation, self.keep_aspect_ratio = class_mode, interpolation, keep_aspect_ratio
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}[color_mode]
        self.image_shape = (self.target_size + (channels,) if self.data_format == "channels_last"
                            else (channels,) + self.target_size)
        split = image_data_generator._validation_split if image_data_generator is not None else 0
        if subset is not None and split:
            if subset not in ("training", "validation"):
                raise ValueError(f'Invalid subset name: {subset!r}; expected "training" or "validation".')
            self.split = (0, split) if subset == "validation" else (split, 1)
        else:
            self.split = None
        self.subset = subset
        if not classes:
            classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        self.num_classes = len(classes)
        self.class_indices = {name: i for i, name in enumerate(classes)}
        self.filenames, labels = [], []
        for name in classes:
            found = _class_files(os.path.join(directory, name), name, self.split, follow_links)
            self.filenames += found
            labels += [self.class_indices[name]] * len(found)
        self.classes = np.array(labels, dtype="int32")
        self.samples = len(self.filenames)
        self._filepaths = [os.path.join(directory, name) for name in self.filenames]
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        """The absolute-or-given paths of the images, in label order."""
        return self._filepaths

    @property
    def labels(self):
        """The integer label of each image."""
        return self.classes

    @property
    def sample_weight(self):
        return None

    def _get_batches_of_transformed_samples(self, index_array):
        from numkeras.utils.image_utils import img_to_array, load_img
        gen = self.image_data_generator
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = load_img(self._filepaths[j], color_mode=self.color_mode, target_size=self.target_size,
                           interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
            x = img_to_array(img, data_format=self.data_format, dtype=self.dtype)
            if gen is not None:
                x = gen.standardize(gen.apply_transform(x, gen.get_random_transform(x.shape)).astype(self.dtype))
            batch_x[i] = x
        self._save_batch(batch_x, index_array)
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in ("sparse", "binary"):
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), self.num_classes), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x


def _class_files(folder, class_name, split, follow_links):
    """`class_name/relative/path` of the images under `folder`, walked in sorted order, maybe split."""
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda item: item[0]):
        for name in sorted(files):
            if name.lower().endswith(WHITE_LIST_FORMATS):
                found.append(os.path.join(class_name, os.path.relpath(os.path.join(root, name), folder)))
    if split:
        found = found[int(split[0] * len(found)):int(split[1] * len(found))]
    return found
