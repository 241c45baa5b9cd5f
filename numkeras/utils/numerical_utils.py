"""Label and array helpers: to_categorical, normalize.

Example:
    >>> from numkeras.utils import normalize, to_categorical
    >>> to_categorical([[1], [0]]).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    >>> normalize([[3.0, 4.0]]).tolist()
    [[0.6, 0.8]]
"""
import numpy as np

from numkeras.backend import epsilon, floatx
from numkeras.engine.tensor import Tensor, unwrap


def to_categorical(x, num_classes=None):
    """Converts integer class labels to a one-hot float32 array.

    Shapes follow Keras: labels shaped `(n,)` or `(n, 1)` give `(n, num_classes)`,
    `(n, m)` gives `(n, m, num_classes)`, a scalar gives `(num_classes,)`; a
    trailing axis of size 1 is dropped whenever the input has two or more axes.
    Float labels with whole values (`[0., 2.]`) are accepted.

    Args:
        x: array-like (or Tensor) of integer labels in `[0, num_classes)`.
        num_classes: number of classes. Defaults to None: `max(x) + 1`.

    Returns:
        A float32 NumPy array, the class axis last.

    Example:
        >>> to_categorical([1, 0], num_classes=3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    x = np.asarray(unwrap(x))
    if x.dtype.kind not in "iufb":
        raise ValueError(f"to_categorical expects integer class labels. Received an array of dtype {x.dtype}.")
    if x.dtype.kind == "f":
        fractional = np.mod(x, 1) != 0
        if fractional.any():
            raise ValueError("to_categorical expects integer class labels. Received float labels with a "
                             f"fractional part, e.g. {x[fractional].flat[0]}. Round or cast the labels first.")
    x = x.astype("int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if x.size and x.min() < 0:
        raise ValueError(f"to_categorical received a negative class label ({x.min()}). "
                         "Labels must be in [0, num_classes).")
    if not num_classes:  # None or 0: inferred, as Keras does
        num_classes = int(x.max()) + 1 if x.size else 0
    elif isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 0:
        raise ValueError(f"to_categorical: num_classes must be a positive integer or None. "
                         f"Received: num_classes={num_classes!r}.")
    elif x.size and x.max() >= num_classes:
        raise ValueError(f"to_categorical received label {x.max()} but num_classes={num_classes}. "
                         "Pass num_classes greater than the largest label.")
    out = np.zeros(x.shape + (int(num_classes),), dtype=floatx())
    np.put_along_axis(out, x[..., None], 1, axis=-1)
    return out


def normalize(x, axis=-1, order=2):
    """Scales `x` to unit `order`-norm along `axis`.

    A NumPy array (or list) gives a NumPy array; all-zero slices stay zero.
    A Tensor gives a differentiable Tensor, computed as
    `x / max(norm, epsilon)` (`order` must then be an int >= 1).

    Args:
        x: the array or Tensor to normalize.
        axis: the axis (or axes) of the norm. Defaults to -1.
        order: the norm order, e.g. 2 for the L2 norm. Defaults to 2.

    Returns:
        A normalized copy of `x`.

    Example:
        >>> normalize([[1.0, 1.0], [0.0, 0.0]], order=1).tolist()
        [[0.5, 0.5], [0.0, 0.0]]
    """
    if isinstance(x, Tensor):
        return _normalize_tensor(x, axis, order)
    x = np.asarray(x)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norm == 0, 1, norm).astype(norm.dtype)


def _normalize_tensor(x, axis, order):
    from numkeras.engine import math_ops, reduction_ops
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: `order` must be an int >= 1 for a Tensor input. Received: order={order!r}.")
    eps = epsilon()
    if order == 2:  # clamp the squared norm so zero vectors keep a finite gradient
        square_sum = reduction_ops.sum(math_ops.square(x), axis=axis, keepdims=True)
        return x / math_ops.sqrt(math_ops.maximum(square_sum, eps * eps))
    norm = reduction_ops.sum(math_ops.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / math_ops.maximum(norm, eps)
