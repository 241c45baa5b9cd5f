"""Label and array helpers: to_categorical, normalize."""
import numpy as np

from numkeras.backend import floatx


def to_categorical(x, num_classes=None):
    """Converts integer class labels to a one-hot float32 matrix.

    Args:
        x: array-like of integer labels in [0, num_classes).
        num_classes: number of classes. Defaults to `max(x) + 1`.

    Returns:
        An array of shape `x.shape + (num_classes,)` (a trailing axis of size 1
        in `x` is dropped first, as Keras does).

    Example:
        >>> to_categorical([1, 0], num_classes=2).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
    """
    x = np.asarray(x)
    if x.dtype.kind == "f" and x.size and not np.all(np.mod(x, 1) == 0):
        raise ValueError("to_categorical expects integer class labels. Received float values with fractions, "
                         f"e.g. {x.flat[np.argmax(np.mod(x, 1) != 0)]}.")
    if x.dtype.kind not in "iuf":
        raise ValueError(f"to_categorical expects integer class labels. Received dtype {x.dtype}.")
    x = x.astype("int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if x.size and x.min() < 0:
        raise ValueError(f"to_categorical received a negative class label ({x.min()}). Labels must be in [0, num_classes).")
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    elif x.size and x.max() >= num_classes:
        raise ValueError(f"to_categorical received label {x.max()} but num_classes={num_classes}. "
                         f"Pass num_classes greater than the largest label.")
    out = np.zeros(x.shape + (num_classes,), dtype=floatx())
    np.put_along_axis(out, x[..., None], 1, axis=-1)
    return out


def normalize(x, axis=-1, order=2):
    """Scales `x` to unit `order`-norm along `axis`."""
    x = np.asarray(x)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norm == 0, 1, norm)
