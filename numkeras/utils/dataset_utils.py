"""What the `*_dataset_from_directory` loaders share, and `split_dataset`.

The loaders find, label, shuffle and split files exactly as Keras does: class
folders in alphanumeric order (hidden ones skipped), files walked in sorted
order, one `RandomState(seed)` shuffle of all files, the validation subset
taken from the end. So the same `seed` puts the same files in the same
subsets as Keras.

Example:
    >>> import numpy as np
    >>> from numkeras.utils import split_dataset
    >>> left, right = split_dataset((np.arange(10), np.arange(10) * 2), left_size=0.8)
    >>> len(left), [y.tolist() for x, y in right]
    (8, [16, 18])
"""
import os
import random

import numpy as np

from numkeras.utils.dataset import Dataset, element_leaves, stack_elements

LABEL_MODES = ("int", "categorical", "binary", None)


def check_label_arguments(labels, label_mode, class_names, what="file"):
    """Raises for bad `labels`/`label_mode`/`class_names`; returns `(labels, label_mode)`, both None without labels."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(f"labels must be 'inferred', None, or a list/tuple of integer labels, one per {what} "
                             f"in the sorted order of the file paths. Received: labels={labels!r}.")
        if class_names:
            raise ValueError("class_names can only be given with labels='inferred' (with a list of labels, the "
                             f"class names are the sorted labels). Received: labels={labels!r}, "
                             f"class_names={class_names!r}.")
    if label_mode not in LABEL_MODES:
        raise ValueError("label_mode must be 'int', 'categorical', 'binary' or None. "
                         f"Received: label_mode={label_mode!r}.")
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def check_format(format):
    """Keras's `format=` picks tf.data or Grain; numkeras accepts both names and returns its own `Dataset`."""
    if format not in ("tf", "grain"):
        raise ValueError(f"format must be 'tf' or 'grain' (numkeras returns its own Dataset for either). "
                         f"Received: format={format!r}.")


def check_validation_split(validation_split, subset, shuffle, seed):
    """Raises unless `validation_split` and `subset` are valid together."""
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


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False,
                    verbose=True):
    """Lists the files under `directory` ending in one of `formats`, with their labels, as Keras does.

    Args:
        directory: the data folder; with `labels="inferred"`, one subfolder
            per class, the files anywhere beneath it.
        labels: "inferred", None, or a list of labels (one per file found).
        formats: the file endings to keep (lower case), e.g. `(".txt",)`.
        class_names: with inferred labels, the subfolders to use, in label order.
        shuffle: shuffle the files (and labels alike) with `seed`.
        seed: the shuffling seed.
        follow_links: walk into symbolic links to folders.
        verbose: print how many files and classes were found.

    Returns:
        `(file_paths, labels, class_names)`: labels an int32 array (or the
        given list, or None).
    """
    if not os.path.isdir(directory):
        raise ValueError(f"directory must be an existing folder. Received: directory={str(directory)!r}, which "
                         f"{'is a file' if os.path.exists(directory) else 'does not exist'}.")
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
        names = _valid_files(os.path.join(directory, subdir), subdir, follow_links, formats)
        filenames += names
        found += [index] * len(names)
    if labels == "inferred":
        class_names = list(subdirs)
        labels = np.asarray(found, dtype="int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(f"labels has {len(labels)} entries but {len(filenames)} files ({', '.join(formats)}) "
                             f"were found in {directory}. Pass one label per file, in sorted path order.")
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


def _valid_files(folder, prefix, follow_links, formats):
    """Files under `folder` ending in `formats`, as paths relative to its parent, walked in sorted order."""
    out = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
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


def check_class_count(label_mode, class_names):
    """Raises when `label_mode='binary'` meets other than two classes."""
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"label_mode='binary' needs exactly 2 classes, but {len(class_names)} were found: "
                         f"class_names={class_names}. Use label_mode='int' or 'categorical' for "
                         f"{len(class_names)} classes, or give the directory two class folders.")


def encode_labels(labels, label_mode, num_classes):
    """Integer labels as Keras's loaders give them: int32, float32 one-hot ('categorical'), float32 (n, 1) ('binary')."""
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32")[..., None]
    if label_mode == "categorical":
        if labels.size and not 0 <= labels.min() <= labels.max() < num_classes:
            raise ValueError(f"label_mode='categorical' needs integer labels from 0 to {num_classes - 1} (one per "
                             f"class). Received labels from {labels.min()} to {labels.max()}.")
        return np.eye(num_classes, dtype="float32")[labels]
    return labels.astype("int32")


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """Splits a dataset (or arrays) into two `Dataset`s of samples, as Keras does.

    With `shuffle`, the samples are shuffled by Python's `random.Random(seed)`
    (the order Keras's `random.seed(seed); random.shuffle(...)` gives); the
    left split takes the first `left_size` samples, the right split the last
    `right_size`. A batched `Dataset` is split by sample and both halves are
    batched again with its batch size. All samples are read into memory.

    Args:
        dataset: an array, a tuple/list of arrays with the same first
            dimension, or a `Dataset`.
        left_size: an int (samples) or a float in (0, 1) (a fraction).
            None: what `right_size` leaves.
        right_size: the same for the right split. None: what `left_size`
            leaves. One of the two must be given.
        shuffle: shuffle the samples before splitting. Defaults to False.
        seed: the shuffling seed.
        preferred_backend: accepted for Keras compatibility; unused.

    Returns:
        A tuple `(left, right)` of `Dataset`s.
    """
    if left_size is None and right_size is None:
        raise ValueError("split_dataset: give left_size or right_size (or both). Received: left_size=None and "
                         "right_size=None.")
    batch_size = None
    if isinstance(dataset, Dataset):
        batch_size = getattr(dataset, "_batch_size", None)
        samples = list(dataset.unbatch() if batch_size else dataset)
        if not samples:
            raise ValueError("split_dataset: the dataset is empty.")
        arrays = stack_elements(samples)
    elif isinstance(dataset, (np.ndarray, tuple, list)):
        arrays = tuple(dataset) if isinstance(dataset, list) else dataset
        for i, a in enumerate(element_leaves(arrays)):
            if not isinstance(a, np.ndarray) or a.ndim == 0:
                raise ValueError("split_dataset: dataset must be a NumPy array, a tuple/list of arrays or a Dataset. "
                                 f"Received a {type(a).__name__} at index {i}.")
        lengths = {len(a) for a in element_leaves(arrays)}
        if len(lengths) != 1:
            raise ValueError("split_dataset: the arrays must have the same first dimension. Received lengths "
                             f"{[len(a) for a in element_leaves(arrays)]}.")
    else:
        raise TypeError("split_dataset: dataset must be a NumPy array, a tuple/list of arrays or a Dataset. "
                        f"Received: {type(dataset).__name__}.")
    total = len(element_leaves(arrays)[0])
    order = list(range(total))
    if shuffle:
        random.Random(random.randint(0, int(1e6)) if seed is None else seed).shuffle(order)
    left, right = _split_sizes(left_size, right_size, total)
    halves = []
    for rows in (np.asarray(order[:left], dtype="int64"), np.asarray(order[total - right:], dtype="int64")):
        half = Dataset.from_tensor_slices(_take_rows(arrays, rows))
        halves.append(half.batch(batch_size) if batch_size else half)
    return tuple(halves)


def _take_rows(structure, rows):
    if isinstance(structure, dict):
        return {k: _take_rows(v, rows) for k, v in structure.items()}
    if isinstance(structure, tuple):
        return tuple(_take_rows(v, rows) for v in structure)
    return np.asarray(structure)[rows]


def _split_sizes(left_size, right_size, total):
    """`(left, right)` sample counts from ints, fractions or None, with Keras's rules."""
    sizes = {}
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, (int, float, np.integer, np.floating)):
            raise TypeError(f"split_dataset: {name} must be an int, a float or None. Received: "
                            f"{name}={size!r} ({type(size).__name__}).")
        if isinstance(size, (int, np.integer)):
            if not 0 < size < total:
                raise ValueError(f"split_dataset: {name} must be a positive integer smaller than the {total} "
                                 f"samples, or a float in (0, 1). Received: {name}={size}.")
            sizes[name] = int(size)
        else:
            if not 0 < size < 1:
                raise ValueError(f"split_dataset: {name} must be a float in (0, 1), or a positive integer smaller "
                                 f"than the {total} samples. Received: {name}={size}.")
            sizes[name] = round(size * total)
    if isinstance(left_size, float) and isinstance(right_size, float) and left_size + right_size > 1:
        raise ValueError(f"split_dataset: left_size + right_size must be at most 1. Received: {left_size} + "
                         f"{right_size}.")
    left = sizes.get("left_size", total - sizes.get("right_size", 0))
    right = sizes.get("right_size", total - left)
    if left + right > total:
        raise ValueError(f"split_dataset: left_size + right_size = {left + right} samples, more than the {total} "
                         "the dataset has.")
    for count, side in ((left, "left"), (right, "right")):
        if count == 0:
            raise ValueError(f"split_dataset: with {total} samples, left_size={left_size} and "
                             f"right_size={right_size}, the {side} split would be empty. Adjust the sizes.")
    return left, right
