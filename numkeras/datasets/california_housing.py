"""California Housing price regression dataset.

20,640 census block groups of California from the 1990 U.S. census, from
the StatLib repository (https://www.dcc.fc.up.pt/~ltorgo/Regression/cal_housing.html).
Each has 8 features: MedInc (median income), HouseAge (median house age),
AveRooms and AveBedrms (average rooms and bedrooms per household),
Population, AveOccup (average household size), Latitude and Longitude. The
target is the median house value in dollars.
"""

from numkeras.datasets import locate, splits

# Where Keras downloads the file from, and its sha256.
ORIGIN_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CALIFORNIA_NPZ_SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"

# Folders searched after the cache: a Keras cache.
SYSTEM_LOCATIONS = ("~/.keras/datasets",)

# Samples in version="small": a stand-in for the size of `boston_housing`.
SMALL_SIZE = 600


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California Housing dataset.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS`, and finally
    downloads `california_housing.npz` from Keras's origin, checks its
    sha256, and caches it. The samples are shuffled with `seed`, then the
    last `test_split` of them form the test set.

    Args:
        version: `"large"` for all 20,640 samples, or `"small"` for the
            first 600. Defaults to `"large"`.
        path: File name of the dataset in the cache. Defaults to
            `"california_housing.npz"`.
        test_split: Fraction of the data used for testing, in [0, 1).
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: arrays of shapes
        (n_train, 8), (n_train,), (n_test, 8) and (n_test,), in the file's
        dtype; n_train is `int(n * (1 - test_split))` (16512 for "large",
        480 for "small").

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.
        ValueError: A bad `version` or `test_split`, or a corrupt file.

    Example:

    ```python
    (x_train, y_train), _ = numkeras.datasets.california_housing.load_data(version="small")
    assert x_train.shape == (480, 8)
    ```
    """
    if version not in ("small", "large"):
        raise ValueError(
            "california_housing.load_data: `version` must be 'small' (600 samples) or "
            f"'large' (20,640 samples). Received: version={version!r}"
        )
    splits.check_test_split("california_housing.load_data", test_split)
    fpath = locate.find_file(
        path, ORIGIN_BASE + "california_housing.npz", file_hash=CALIFORNIA_NPZ_SHA256,
        name="California Housing", locations=SYSTEM_LOCATIONS,
    )
    x, y = splits.load_table(fpath, n_features=8)
    if version == "small":
        x, y = x[:SMALL_SIZE], y[:SMALL_SIZE]
    return splits.shuffle_and_split(x, y, test_split, seed)


__all__ = ["load_data"]  # the surface: keras.datasets.california_housing's names


def __dir__():
    return list(__all__)
