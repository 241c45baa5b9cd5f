"""text_dataset_from_directory: batches of (texts, labels) read from a folder per class.

Files are found, labelled, shuffled and split as Keras does (utils/dataset_utils.py):
the same `seed` puts the same files in the same training and validation
subsets. Texts are read lazily, a batch at a time, and decoded to `str`
(Keras on TensorFlow gives `bytes`; `encoding=None` gives them too).

Example:
    >>> import os, tempfile
    >>> from numkeras.utils import text_dataset_from_directory
    >>> root = tempfile.mkdtemp()
    >>> for label, words in (("neg", ["dull", "slow"]), ("pos", ["great", "fun"])):
    ...     os.mkdir(os.path.join(root, label))
    ...     for i, word in enumerate(words):
    ...         with open(os.path.join(root, label, f"{i}.txt"), "w") as f:
    ...             _ = f.write(f"A {word} film.")
    >>> ds = text_dataset_from_directory(root, batch_size=4, shuffle=False)
    Found 4 files belonging to 2 classes.
    >>> texts, labels = next(iter(ds))
    >>> ds.class_names, texts.tolist(), labels.tolist()
    (['neg', 'pos'], ['A dull film.', 'A slow film.', 'A great film.', 'A fun film.'], [0, 0, 1, 1])
"""
import codecs

import numpy as np

import numkeras.utils.dataset_utils as dataset_utils
from numkeras.utils.dataset import Dataset

ALLOWLIST_FORMATS = (".txt",)


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                max_length=None, shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, format="tf", verbose=True, encoding="utf-8"):
    """Returns a `Dataset` of text batches (and labels) from the `.txt` files under `directory`.

    With `labels="inferred"`, each subdirectory of `directory` is a class
    (in alphanumeric order unless `class_names` gives it), and the `.txt`
    files anywhere beneath it belong to it.

    Args:
        directory: the data folder.
        labels: "inferred" (from the subdirectories), None (no labels), or a
            list of integer labels, one per file in the sorted order of the
            file paths under `directory`.
        label_mode: "int" (int32 of shape `(batch,)`), "categorical" (float32
            one-hot `(batch, num_classes)`), "binary" (float32 `(batch, 1)`,
            exactly 2 classes) or None (texts only). Defaults to "int".
        class_names: with inferred labels, the subdirectories to use, in label order.
        batch_size: texts per batch; None yields single texts. Defaults to 32.
        max_length: keep at most this many bytes of each file (as Keras
            does; a character cut in two is left out). Defaults to None (all).
        shuffle: shuffle the files (with `seed`), and reshuffle through a
            buffer of `batch_size * 8` every epoch, as Keras does. False
            keeps alphanumeric order. Defaults to True.
        seed: the shuffling seed; needed with `validation_split` and `shuffle`.
        validation_split: fraction (0, 1) of the files held out for validation.
        subset: with `validation_split`: "training", "validation" or "both"
            (then a list `[training, validation]` is returned).
        follow_links: walk into symbolic links to folders. Defaults to False.
        format: "tf" (default) or "grain": Keras's choice of pipeline
            library; numkeras accepts either and returns its `Dataset`.
        verbose: print how many files and classes were found. Defaults to True.
        encoding: how the files are decoded into `str` (a numkeras extra);
            bytes that do not decode become U+FFFD. None yields the raw
            `bytes`, as Keras does. Defaults to "utf-8".

    Returns:
        A `Dataset` of `(texts, labels)` batches (texts alone without labels)
        with the attributes `class_names` and `file_paths`, or a list of two
        for `subset="both"`. Texts are a NumPy `str` array of shape
        `(batch,)` (an object array of `bytes` with `encoding=None`).
    """
    labels, label_mode = dataset_utils.check_label_arguments(labels, label_mode, class_names, "text file")
    dataset_utils.check_format(format)
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size <= 0):
        raise ValueError(f"batch_size must be a positive integer or None. Received: batch_size={batch_size!r}.")
    if max_length is not None and (not isinstance(max_length, (int, np.integer)) or max_length <= 0):
        raise ValueError(f"max_length must be a positive integer or None. Received: max_length={max_length!r}.")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"encoding must be a Python codec name (such as 'utf-8' or 'latin-1') or None for raw "
                             f"bytes. Received: encoding={encoding!r}.") from None
    dataset_utils.check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(directory, labels, ALLOWLIST_FORMATS, class_names,
                                                               shuffle, seed, follow_links, verbose)
    dataset_utils.check_class_count(label_mode, class_names)
    datasets = []
    for name in (["training", "validation"] if subset == "both" else [subset]):
        part_paths, part_labels = dataset_utils.training_or_validation_split(paths, labels, validation_split, name)
        if not part_paths:
            what = f"{name} text files" if subset == "both" else "text files"
            raise ValueError(f"No {what} found in directory {directory}. Allowed format: .txt")
        # As in Keras, the validation half of subset="both" is not shuffled again.
        reshuffle = shuffle and not (subset == "both" and name == "validation")
        dataset = _texts_dataset(part_paths, part_labels, label_mode, len(class_names or ()), batch_size, max_length,
                                 reshuffle, seed, encoding)
        dataset.class_names, dataset.file_paths = class_names, list(part_paths)
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]


def _texts_dataset(paths, labels, label_mode, num_classes, batch_size, max_length, shuffle, seed, encoding):
    """Keras's pipeline: (path, label) pairs, shuffled through a buffer, read, batched."""
    def read(path, *label):
        text = read_text(str(path), max_length, encoding)
        return (text, *label) if label else text

    paths = np.array(paths, dtype=object)
    slices = (paths,) if label_mode is None else (paths, dataset_utils.encode_labels(labels, label_mode, num_classes))
    dataset = Dataset.from_tensor_slices(slices)
    if shuffle:
        dataset = dataset.shuffle(8 * batch_size if batch_size else 1024, seed=seed)
    dataset = dataset.map(read)
    return dataset if batch_size is None else dataset.batch(batch_size)


def read_text(path, max_length=None, encoding="utf-8"):
    """The text of a file: its first `max_length` bytes (all for None), decoded with `encoding`.

    Undecodable bytes become U+FFFD; a multi-byte character cut by
    `max_length` is left out. `encoding=None` returns the bytes (as a 0-d
    object array, which batches into an object array of bytes).
    """
    with open(path, "rb") as f:
        data = f.read() if max_length is None else f.read(max_length)
    if encoding is None:
        out = np.empty((), dtype=object)
        out[()] = data
        return out
    ended = max_length is None or len(data) < max_length
    return np.str_(codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=ended))
