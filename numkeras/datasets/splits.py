"""Seeded shuffling and train/test splitting, the way Keras's loaders do it.

Also reads the `x`/`y` tables of the regression datasets.
"""

import numbers

import numpy as np

from numkeras.datasets import safe_pickle


def shuffle(rng, *arrays):
    """Reorders `arrays` alike by `rng.shuffle` of their indices, as Keras does.

    Args:
        rng: A `np.random.RandomState`; loaders make it from their `seed`
            so that the order matches Keras's for the same seed.
        *arrays: Arrays of equal length.

    Returns:
        A tuple of the reordered arrays.

    Example:

    >>> shuffle(np.random.RandomState(113), np.arange(5))[0].tolist()
    [1, 0, 3, 2, 4]
    """
    indices = np.arange(len(arrays[0]))
    rng.shuffle(indices)
    return tuple(a[indices] for a in arrays)


def shuffle_and_split(x, y, test_split, seed):
    """Shuffles `x` and `y` with `seed`, then keeps the last `test_split` of them for testing.

    Returns:
        `(x_train, y_train), (x_test, y_test)`; the train part has
        `int(len(x) * (1 - test_split))` samples.
    """
    x, y = shuffle(np.random.RandomState(seed), x, y)
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def check_test_split(loader, test_split):
    """Raises a ValueError naming `loader` unless 0 <= test_split < 1."""
    if isinstance(test_split, bool) or not isinstance(test_split, numbers.Real) or not 0 <= test_split < 1:
        raise ValueError(
            f"{loader}: `test_split` must be a fraction in [0, 1), e.g. 0.2 for 20% "
            f"test data. Received: test_split={test_split!r}"
        )


def load_table(path, n_features):
    """Reads the `x` (samples, n_features) and `y` (samples,) arrays of a regression `.npz`."""
    f = safe_pickle.load_npz(path, ("x", "y"))
    x, y = f["x"], f["y"]
    if x.ndim != 2 or x.shape[1] != n_features or y.shape != (len(x),) or x.dtype.hasobject or y.dtype.hasobject:
        raise ValueError(
            f"{path}: expected numeric arrays x of shape (n, {n_features}) and y of shape (n,), "
            f"received {x.dtype} {x.shape} and {y.dtype} {y.shape}; the file is corrupt: "
            "delete it and load the data again."
        )
    return x, y
