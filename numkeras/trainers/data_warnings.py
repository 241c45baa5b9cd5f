"""Soft warnings about training data that is legal but probably not what the learner meant.

`fit` raises on data it cannot use (data_checks.py). These are the other kind: images
cast to float32 but never scaled, "one-hot" labels with several or no ones, labels of a
single class, validation data that is the training data. Each is said once per `fit`, as a
`DataWarning`; silence them with
`warnings.simplefilter("ignore", numkeras.utils.DataWarning)`.

Only a sample of the data is looked at (the first 1,024 rows), so the checks cost
microseconds, not a pass over the data set.

Example:
    >>> import warnings
    >>> import numpy as np
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_about_inputs(np.full((4, 28, 28), 255.0, "float32"), "fit")
    >>> caught[0].category.__name__, "astype('float32') / 255" in str(caught[0].message)
    ('DataWarning', True)
"""
import warnings

import numpy as np

_SAMPLE = 1024


class DataWarning(UserWarning):
    """numkeras's warning for data that trains, but probably not as the user meant."""


def warn_about_inputs(x, method):
    """Image-like float inputs whose values are whole numbers far outside [-1, 1]: pixels never scaled."""
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f" or x.ndim < 2:
        return
    sample = x[:_SAMPLE]
    looks_like_images = x.ndim >= 3 or x.shape[1] in (784, 3072, 1024)
    if not looks_like_images or sample.size == 0:
        return
    high, low = float(sample.max()), float(sample.min())
    if high > 2.0 and low >= 0.0 and np.array_equal(sample, np.round(sample)):
        warnings.warn(
            f"{method}() received image-like input x (shape {x.shape}, dtype {x.dtype}) with whole-number values "
            f"from {low:g} to {high:g}: pixels that were cast but never scaled. Networks train far better on "
            "inputs in [0, 1]: use x.astype('float32') / 255.", DataWarning, stacklevel=4)


def warn_about_labels(y, loss, method):
    """One-hot labels that are not one-hot; labels of a single class for a classification loss."""
    if not isinstance(y, np.ndarray) or y.size == 0:
        return
    kind = _loss_kind(loss)
    sample = y[:_SAMPLE]
    classes = None
    if kind == "categorical" and sample.ndim == 2 and sample.shape[1] > 1:
        binary = np.isin(sample, (0, 1)).all()
        sums = sample.sum(axis=1)
        if binary and not np.all(sums == 1):
            several, none = int(np.sum(sums > 1)), int(np.sum(sums == 0))
            warnings.warn(
                f"{method}(): categorical_crossentropy expects one-hot labels (a single 1 per row), but of the first "
                f"{len(sample)} rows of y, {several} have several 1s and {none} have none. For several labels per "
                "sample use a sigmoid output with binary_crossentropy; else build y with to_categorical(labels).",
                DataWarning, stacklevel=4)
        classes = np.unique(np.argmax(sample, axis=1)) if binary else None
    elif kind in ("sparse", "binary"):
        classes = np.unique(sample)
    else:
        return
    if classes is not None and len(classes) == 1 and len(sample) > 1:
        warnings.warn(
            f"{method}(): every label in the first {len(sample)} rows of y is the same class ({classes[0]!r}). A "
            "classifier learns nothing from one class: check that the labels were loaded and shuffled as meant.",
            DataWarning, stacklevel=4)


def warn_if_validation_is_training(x, validation_x, method):
    """Validation data that is the training data (the same array, or equal values)."""
    if not isinstance(x, np.ndarray) or not isinstance(validation_x, np.ndarray):
        return
    same = x is validation_x or (x.shape == validation_x.shape and x.dtype == validation_x.dtype and (
        np.shares_memory(x, validation_x) or (np.array_equal(x[:64], validation_x[:64])
                                             and np.array_equal(x, validation_x))))
    if same:
        warnings.warn(
            f"{method}(): validation_data holds the same inputs as the training data (shape {x.shape}), so the "
            "validation scores measure memory, not generalization. Hold out separate samples, e.g. "
            "validation_split=0.2 or x[:-10000] / x[-10000:].", DataWarning, stacklevel=4)


def _loss_kind(loss):
    name = type(loss).__name__
    fn = getattr(loss, "fn", None)
    name = f"{name} {getattr(fn, '__name__', '')}".lower()
    if "sparse_categorical" in name or "sparsecategorical" in name:
        return "sparse"
    if "categorical_crossentropy" in name or "categoricalcrossentropy" in name:
        return "categorical"
    if "binary_crossentropy" in name or "binarycrossentropy" in name:
        return "binary"
    return None
