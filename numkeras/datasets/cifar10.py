"""CIFAR-10 small color images dataset.

50,000 training and 10,000 test 32x32 color images in 10 classes: 0
airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8
ship, 9 truck. From Alex Krizhevsky, "Learning Multiple Layers of Features
from Tiny Images" (2009), https://www.cs.toronto.edu/~kriz/cifar.html. A small
share of its labels is known to be wrong.
"""

import numpy as np

from numkeras.datasets import cifar

ORIGIN_BASE = cifar.ORIGIN_BASE
# The archive Keras downloads, and its sha256.
ARCHIVE = "cifar-10-python.tar.gz"
ARCHIVE_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"

# Folders searched after the cache, for the archive or its extracted batches:
# where Keras 3 and older Keras versions keep them.
SYSTEM_LOCATIONS = ("~/.keras/datasets", "~/.keras/datasets/cifar-10-batches-py-target")

_SPEC = {
    "name": "CIFAR-10",
    "archive": ARCHIVE,
    "keras_archive": "cifar-10-batches-py-target_archive",
    "folder": "cifar-10-batches-py",
    "train": tuple(f"data_batch_{i}" for i in range(1, 6)),
    "test": ("test_batch",),
}


def load_data():
    """Loads the CIFAR-10 dataset.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS`, and finally
    downloads `cifar-10-python.tar.gz` from Keras's origin, checks its
    sha256, and caches it. The batches are read from the archive with an
    unpickler that cannot run code.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes
        (50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3) and (10000, 1);
        pixels are 0-255 (channels last) and labels 0-9.

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.
        ValueError: A file was found but is corrupt or tampered with.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = numkeras.datasets.cifar10.load_data()
    assert x_train.shape == (50000, 32, 32, 3)
    assert y_test.shape == (10000, 1)
    ```
    """
    (x_train, y_train), (x_test, y_test) = cifar.load_split(
        dict(_SPEC, sha256=ARCHIVE_SHA256), "labels", 10, SYSTEM_LOCATIONS, ORIGIN_BASE
    )
    # Labels as a uint8 column, as Keras returns them for CIFAR-10.
    return (x_train, y_train.astype(np.uint8).reshape(-1, 1)), (x_test, y_test.astype(np.uint8).reshape(-1, 1))


__all__ = ["load_data"]  # the surface: keras.datasets.cifar10's names


def __dir__():
    return list(__all__)
