"""Small handwritten digits dataset shipped with numkeras: 1,797 8x8 images.

For offline use and fast tests. The data is the test part of the UCI
"Optical Recognition of Handwritten Digits" dataset by E. Alpaydin and
C. Kaynak (UCI Machine Learning Repository, https://doi.org/10.24432/C50P49),
licensed CC BY 4.0; the file is the `digits.csv.gz` scikit-learn ships.
Each image counts the pixels set in a 4x4 block of a 32x32 bitmap, so its
values are 0..16.
"""

import functools
import gzip
import os

import numpy as np

DATA_PATH = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")


def load_data(test_split=0.2, seed=113):
    """Loads the digits dataset with a fixed, stratified train/test split.

    For each digit, a `test_split` fraction of its images (rounded) goes to
    the test set. Which images, and the order of both sets, come from
    `np.random.RandomState(seed)`, whose stream NumPy keeps stable, so the
    default split (1,438 train / 359 test) is the same on every machine.

    Args:
        test_split: Fraction of each class held out for testing, in (0, 1).
            Defaults to 0.2.
        seed: Seed of the split. Defaults to 113.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: x are uint8 arrays of shape
        (n, 8, 8) with values 0..16, y are uint8 labels 0..9 of shape (n,).

    Example:

    >>> (x_train, y_train), (x_test, y_test) = load_data()
    >>> x_train.shape, x_test.shape, x_train.dtype
    ((1438, 8, 8), (359, 8, 8), dtype('uint8'))
    >>> int(x_train.max()), sorted(set(y_test.tolist())) == list(range(10))
    (16, True)
    """
    if not 0 < test_split < 1:
        raise ValueError(
            f"digits.load_data: `test_split` must be a fraction between 0 and 1 "
            f"(exclusive), e.g. 0.2. Received: test_split={test_split}"
        )
    x, y = _read()
    rng = np.random.RandomState(seed)
    test = np.zeros(len(y), bool)
    for label in range(10):
        members = rng.permutation(np.flatnonzero(y == label))
        test[members[: int(round(len(members) * test_split))]] = True
    train_idx = rng.permutation(np.flatnonzero(~test))
    test_idx = rng.permutation(np.flatnonzero(test))
    # Fancy indexing copies, so callers may modify what they get.
    return (x[train_idx], y[train_idx]), (x[test_idx], y[test_idx])


@functools.lru_cache(maxsize=1)
def _read():
    with gzip.open(DATA_PATH, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)
    if table.shape != (1797, 65):
        raise ValueError(f"{DATA_PATH} is corrupt: expected 1797 rows of 65 values, received shape {table.shape}.")
    x = table[:, :64].reshape(-1, 8, 8)
    y = table[:, 64].copy()
    x.flags.writeable = y.flags.writeable = False  # the cached copy stays intact
    return x, y


__all__ = ["load_data"]  # the surface (numkeras's own data set)


def __dir__():
    return list(__all__)
