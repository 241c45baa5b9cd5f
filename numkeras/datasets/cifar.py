"""Reader for the CIFAR-10 and CIFAR-100 "python version" batches.

Each batch is a pickled dict (written by Python 2, so its keys load as bytes)
holding `data`, a uint8 array of shape (n, 3072) with the red, green and blue
32x32 planes of each image in turn, and the labels as a list of ints. The
batches ship in a `.tar.gz`; they are read straight from it, or from a folder
where it was extracted (as a Keras cache has it).

Unpickling a downloaded file with `pickle.load` would run whatever code it
names, so batches go through `safe_pickle.RestrictedUnpickler`, which can
only rebuild NumPy arrays and plain data and refuses anything else.
"""

import pickle
import tarfile
import zlib

import numpy as np

from numkeras.datasets import locate, safe_pickle

# Where Keras downloads the archives from: the CIFAR authors' site.
ORIGIN_BASE = "https://www.cs.toronto.edu/~kriz/"


def load_split(spec, label_key, num_classes, locations, origin_base):
    """Finds a CIFAR dataset and reads its training and test batches.

    Args:
        spec: Dict with `archive` (the file name to download), `sha256`,
            `keras_archive` (the name a Keras cache gives the archive),
            `folder` (the archive's top folder), `train` and `test` (tuples of
            batch names in that folder) and `name` (for messages).
        label_key: Which labels to read, e.g. `"labels"` or `"fine_labels"`.
        num_classes: Labels must be below this.
        locations: Folders searched after the cache.
        origin_base: URL prefix of `spec["archive"]`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        (n, 32, 32, 3) (channels last) and int64 labels of shape (n,).
    """
    names = spec["train"] + spec["test"]
    paths = locate.find_files(
        [(spec["archive"],), (spec["keras_archive"],), tuple(f"{spec['folder']}/{n}" for n in names)],
        name=spec["name"],
        cache_subdir="datasets",
        locations=locations,
        origin_base=origin_base,
        file_hashes={spec["archive"]: spec["sha256"], spec["keras_archive"]: spec["sha256"]},
        hint="",
    )
    if len(paths) == 1:
        batches = _read_archive(paths[0], spec["folder"], names, label_key, num_classes)
    else:
        batches = []
        for path in paths:
            with open(path, "rb") as f:
                batches.append(load_batch(f, label_key, num_classes, path))
    n_train = len(spec["train"])
    return _join(batches[:n_train]), _join(batches[n_train:])


def _read_archive(path, folder, names, label_key, num_classes):
    # One pass over the (gzipped) tar, keeping only the wanted members;
    # nothing is extracted to disk.
    wanted = {f"{folder}/{n}": n for n in names}
    found = {}
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if member.isfile() and member.name in wanted:
                    source = f"{path}:{member.name}"
                    found[wanted[member.name]] = load_batch(
                        archive.extractfile(member), label_key, num_classes, source
                    )
    except (tarfile.TarError, EOFError, zlib.error, OSError) as e:
        raise ValueError(f"{path} is not a valid CIFAR archive ({e}); delete it and load the data again.") from e
    missing = [member for member, n in wanted.items() if n not in found]
    if missing:
        raise ValueError(
            f"{path} is not a complete CIFAR archive: it lacks {', '.join(missing)}; "
            "delete it and load the data again."
        )
    return [found[n] for n in names]


def load_batch(f, label_key="labels", num_classes=10, source="<batch>"):
    """Reads one pickled CIFAR batch from the binary file `f`.

    Args:
        f: A binary file object.
        label_key: The labels to return: `"labels"` (CIFAR-10),
            `"fine_labels"` or `"coarse_labels"` (CIFAR-100).
        num_classes: Labels must be below this.
        source: Name of the file, for messages.

    Returns:
        `(images, labels)`: uint8 images of shape (n, 3, 32, 32) and int64
        labels of shape (n,).

    Raises:
        ValueError: The batch is malformed, or its pickle names anything but
            NumPy arrays (a tampered file).

    Example:

    >>> import io, pickle
    >>> batch = {b"data": np.zeros((2, 3072), np.uint8), b"labels": [3, 7]}
    >>> images, labels = load_batch(io.BytesIO(pickle.dumps(batch)))
    >>> images.shape, labels.tolist()
    ((2, 3, 32, 32), [3, 7])
    """
    try:
        batch = safe_pickle.RestrictedUnpickler(f, encoding="bytes").load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError) as e:
        raise ValueError(f"{source} is not a valid CIFAR batch ({e}); delete it and load the data again.") from e
    if not isinstance(batch, dict):
        raise ValueError(f"{source} is not a CIFAR batch: it holds a {type(batch).__name__}, not a dict.")
    batch = {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    data, labels = batch.get("data"), batch.get(label_key)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        found = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise ValueError(f"{source}: expected `data` to be uint8 of shape (n, 3072), received {found}.")
    try:
        labels = np.asarray(labels, dtype=np.int64)
    except (TypeError, ValueError):
        labels = None
    in_range = labels is not None and (labels.size == 0 or 0 <= labels.min() <= labels.max() < num_classes)
    if not in_range or labels.shape != (len(data),):
        raise ValueError(
            f"{source}: expected `{label_key}` to be {len(data)} ints in [0, {num_classes}); "
            f"the batch has keys {sorted(batch)}."
        )
    return data.reshape(-1, 3, 32, 32), labels


def _join(batches):
    images = np.concatenate([b[0] for b in batches])
    labels = np.concatenate([b[1] for b in batches])
    # Channels last, as Keras returns them; a copy keeps it C-contiguous.
    return np.ascontiguousarray(images.transpose(0, 2, 3, 1)), labels
