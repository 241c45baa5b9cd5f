"""Fashion-MNIST dataset: 28x28 grayscale images of 10 kinds of clothing.

60,000 training and 10,000 test images, a drop-in replacement for MNIST.
Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot. Copyright Zalando SE, MIT license
(https://github.com/zalandoresearch/fashion-mnist).
"""

import os

from numkeras.datasets import idx, locate

# Where Keras downloads the four IDX files from.
ORIGIN_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# md5 digests Zalando publishes for the files (Keras's copies have the same
# sizes). Debian's package recompresses them, so system copies are checked by
# parsing instead.
FILE_HASHES = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}

# Folders searched after the cache: Debian's `dataset-fashion-mnist`, then a
# Keras cache.
DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist"
SYSTEM_LOCATIONS = (DEBIAN_FOLDER, "~/.keras/datasets/fashion-mnist")


def load_data():
    """Loads the Fashion-MNIST dataset.

    Looks first in the cache (`$NUMKERAS_HOME/datasets/fashion-mnist`,
    default `~/.numkeras/datasets/fashion-mnist`), then in
    `SYSTEM_LOCATIONS` (Debian's `dataset-fashion-mnist` package installs the
    files in `/usr/share/datasets/fashion-mnist`), and finally downloads the
    four IDX files from Keras's origin, checks their md5, and caches them.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,); pixels are
        0-255 and labels 0-9.

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the files.
        ValueError: A file was found but is corrupt.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = numkeras.datasets.fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28)
    assert y_test.shape == (10000,)
    ```
    """
    paths = locate.find_files(
        [idx.IDX_FILES],
        name="Fashion-MNIST",
        cache_subdir=os.path.join("datasets", "fashion-mnist"),
        locations=SYSTEM_LOCATIONS,
        origin_base=ORIGIN_BASE,
        file_hashes=FILE_HASHES,
        hint=f"on Debian or Ubuntu, `apt-get install dataset-fashion-mnist` (it installs them in {DEBIAN_FOLDER}); or, ",
    )
    return idx.load_image_split(paths)


__all__ = ["load_data"]  # the surface: keras.datasets.fashion_mnist's names


def __dir__():
    return list(__all__)
