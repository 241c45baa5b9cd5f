"""Boston Housing price regression dataset.

506 districts of the Boston area in the 1970s, 13 attributes each, from the
StatLib library of Carnegie Mellon University
(http://lib.stat.cmu.edu/datasets/boston); the targets are median home
values in thousands of dollars. One attribute, "B", encodes an assumption
about racial self-segregation and house prices: use the data to illustrate
such ethical problems, or prefer `california_housing`.
"""

from numkeras.datasets import locate, splits

# Where Keras downloads the file from, and its sha256.
ORIGIN_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
BOSTON_NPZ_SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"

# Folders searched after the cache: a Keras cache.
SYSTEM_LOCATIONS = ("~/.keras/datasets",)


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston Housing dataset.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS`, and finally
    downloads `boston_housing.npz` from Keras's origin, checks its sha256,
    and caches it. The samples are shuffled with `seed`, then the last
    `test_split` of them form the test set.

    Args:
        path: File name of the dataset in the cache. Defaults to
            `"boston_housing.npz"`.
        test_split: Fraction of the data used for testing, in [0, 1).
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float64 arrays of shapes
        (404, 13), (404,), (102, 13) and (102,) with the defaults.

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.
        ValueError: A bad `test_split`, or a corrupt file.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = numkeras.datasets.boston_housing.load_data()
    assert x_train.shape == (404, 13) and y_test.shape == (102,)
    ```
    """
    splits.check_test_split("boston_housing.load_data", test_split)
    fpath = locate.find_file(
        path, ORIGIN_BASE + "boston_housing.npz", file_hash=BOSTON_NPZ_SHA256,
        name="Boston Housing", locations=SYSTEM_LOCATIONS,
    )
    x, y = splits.load_table(fpath, n_features=13)
    return splits.shuffle_and_split(x, y, test_split, seed)


__all__ = ["load_data"]  # the surface: keras.datasets.boston_housing's names


def __dir__():
    return list(__all__)
