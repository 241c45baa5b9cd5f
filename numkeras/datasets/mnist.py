"""MNIST handwritten digits dataset.

60,000 training and 10,000 test 28x28 grayscale images of the digits 0-9.
Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative of
the NIST datasets; it is available under CC BY-SA 3.0.
"""

import zipfile

import numpy as np

from numkeras.datasets import idx, locate

# Where Keras downloads `mnist.npz` from, and that file's sha256.
ORIGIN_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
MNIST_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

# Folders searched after the cache, for `mnist.npz` or the four IDX .gz files:
# a system-wide copy, then a Keras cache.
SYSTEM_LOCATIONS = ("/usr/share/datasets/mnist", "~/.keras/datasets")


def load_data(path="mnist.npz"):
    """Loads the MNIST dataset.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS` (for `mnist.npz` or
    the four IDX `.gz` files), and finally downloads `mnist.npz` from
    Keras's origin, checks its sha256, and caches it.

    Args:
        path: File name of the dataset in the cache. Defaults to `"mnist.npz"`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,); pixels are
        0-255 and labels 0-9.

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.
        ValueError: A file was found but is corrupt.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = numkeras.datasets.mnist.load_data()
    assert x_train.shape == (60000, 28, 28)
    assert y_test.shape == (10000,)
    ```
    """
    paths = locate.find_files(
        [(path,), idx.IDX_FILES],
        name="MNIST",
        cache_subdir="datasets",
        locations=SYSTEM_LOCATIONS,
        origin_base=ORIGIN_BASE,
        file_hashes={path: MNIST_NPZ_SHA256},
        hint="",
        origins={path: ORIGIN_BASE + "mnist.npz"},  # `path` only names the cached copy
    )
    if len(paths) == 4:
        return idx.load_image_split(paths)
    return _load_npz(paths[0])


def _load_npz(path):
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise ValueError(
            f"{path} is not a valid MNIST .npz file with arrays x_train, y_train, "
            f"x_test and y_test ({e}); delete it and load the data again."
        ) from e
    idx.check_image_split(arrays["x_train"], arrays["y_train"], path, path)
    idx.check_image_split(arrays["x_test"], arrays["y_test"], path, path)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


__all__ = ["load_data"]  # the surface: keras.datasets.mnist's names


def __dir__():
    return list(__all__)
