"""CIFAR-100 small color images dataset.

50,000 training and 10,000 test 32x32 color images in 100 fine classes,
grouped into 20 coarse superclasses. From Alex Krizhevsky, "Learning
Multiple Layers of Features from Tiny Images" (2009),
https://www.cs.toronto.edu/~kriz/cifar.html.
"""

from numkeras.datasets import cifar

ORIGIN_BASE = cifar.ORIGIN_BASE
# The archive Keras downloads, and its sha256.
ARCHIVE = "cifar-100-python.tar.gz"
ARCHIVE_SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"

# Folders searched after the cache, for the archive or its extracted batches:
# where Keras 3 and older Keras versions keep them.
SYSTEM_LOCATIONS = ("~/.keras/datasets", "~/.keras/datasets/cifar-100-python-target")

_SPEC = {
    "name": "CIFAR-100",
    "archive": ARCHIVE,
    "keras_archive": "cifar-100-python-target_archive",
    "folder": "cifar-100-python",
    "train": ("train",),
    "test": ("test",),
}
_NUM_CLASSES = {"fine": 100, "coarse": 20}


def load_data(label_mode="fine"):
    """Loads the CIFAR-100 dataset.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS`, and finally
    downloads `cifar-100-python.tar.gz` from Keras's origin, checks its
    sha256, and caches it. The batches are read from the archive with an
    unpickler that cannot run code.

    Args:
        label_mode: `"fine"` for the 100 classes or `"coarse"` for the 20
            superclasses. Defaults to `"fine"`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shapes
        (50000, 32, 32, 3) and (10000, 32, 32, 3) (channels last), and int64
        labels of shapes (50000, 1) and (10000, 1), as Keras returns them.

    Raises:
        ValueError: A bad `label_mode`, or a file that is corrupt or
            tampered with.
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.

    Example:

    ```python
    (x_train, y_train), _ = numkeras.datasets.cifar100.load_data(label_mode="coarse")
    assert x_train.shape == (50000, 32, 32, 3) and y_train.max() == 19
    ```
    """
    if label_mode not in _NUM_CLASSES:
        raise ValueError(
            "cifar100.load_data: `label_mode` must be 'fine' (100 classes) or 'coarse' "
            f"(20 superclasses). Received: label_mode={label_mode!r}"
        )
    (x_train, y_train), (x_test, y_test) = cifar.load_split(
        dict(_SPEC, sha256=ARCHIVE_SHA256), f"{label_mode}_labels", _NUM_CLASSES[label_mode],
        SYSTEM_LOCATIONS, ORIGIN_BASE,
    )
    return (x_train, y_train.reshape(-1, 1)), (x_test, y_test.reshape(-1, 1))


__all__ = ["load_data"]  # the surface: keras.datasets.cifar100's names


def __dir__():
    return list(__all__)
