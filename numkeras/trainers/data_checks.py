"""Checks on the arrays given to fit/evaluate/predict, run before any step.

Each check raises an error that names the argument, what was received,
what was expected and how to fix it.

Example:
    >>> import numpy as np
    >>> as_array(np.zeros((2, 3), "float32"), "x", "fit").shape
    (2, 3)
"""
import warnings

import numpy as np

from numkeras.engine.tensor import Tensor

_warned_uint8 = False


def as_array(value, arg, method):
    """Returns `value` as a numeric ndarray, or raises a clear error."""
    if isinstance(value, Tensor):
        value = value.data
    if isinstance(value, (dict, set)):
        raise TypeError(f"{method}() expects {arg} as a NumPy array. Received a {type(value).__name__}.")
    try:
        array = np.asarray(value)
    except ValueError as e:  # ragged nested lists
        raise ValueError(f"{method}() could not convert {arg} to an array: its rows have different lengths "
                         f"({e}). Pad the rows to one length or pass a NumPy array.") from None
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"{method}() expects {arg} to hold numbers, but received an array of dtype {array.dtype} "
            f"(shape {array.shape}). Convert it first, e.g. {arg} = np.asarray({arg}, dtype='float32'); "
            "strings must be encoded as numbers (class indices or one-hot vectors).")
    if array.ndim == 0:
        raise ValueError(f"{method}() expects {arg} with a batch axis, but received a scalar. "
                         f"Pass an array of shape (samples, ...).")
    if len(array) == 0:
        raise ValueError(f"{method}() received an empty {arg} (shape {array.shape}): there are no samples. "
                         "Pass at least one sample.")
    if array.dtype.kind == "f":
        finite = np.isfinite(array)
        if not finite.all():
            bad = np.argwhere(~finite)
            raise ValueError(
                f"{method}() received {arg} with {len(bad)} NaN or inf value(s); the first is at index "
                f"{tuple(int(i) for i in bad[0])}. Remove or impute those samples before training.")
    return array


def check_same_length(x, y, method, y_name="y"):
    if len(x) != len(y):
        raise ValueError(
            f"{method}() received x and {y_name} with different numbers of samples: x has {len(x)} "
            f"(shape {x.shape}) and {y_name} has {len(y)} (shape {y.shape}). Pass one label per input sample.")


def warn_if_unscaled_uint8(x, method):
    """Warns once when uint8 images reach a model unscaled (values up to 255)."""
    global _warned_uint8
    if not _warned_uint8 and x.dtype == np.uint8 and x.max() > 1:
        _warned_uint8 = True
        warnings.warn(
            f"{method}() received uint8 input x with values up to {int(x.max())}. Networks train far better "
            "on inputs scaled to [0, 1]: use x.astype('float32') / 255.", UserWarning, stacklevel=3)


def check_input_shape(x, expected, model_name, method):
    """Compares a batch's per-sample shape with the model's declared input shape."""
    if expected is None or len(expected) != x.ndim or any(
            e is not None and e != r for e, r in zip(expected[1:], x.shape[1:])):
        if expected is None:
            return
        hint = (f" For images, flatten them first: x.reshape((len(x), {int(np.prod(x.shape[1:]))})).astype"
                "('float32') / 255." if len(expected) == 2 and x.ndim > 2 else "")
        raise ValueError(
            f"{method}(): input x does not match the input of model {model_name!r}: expected shape "
            f"{tuple(expected)}, received x with shape {(None,) + tuple(x.shape[1:])}.{hint}")


def check_labels(y, output_shape, loss):
    """Checks that labels `y` fit the loss and the model's output shape."""
    name = getattr(loss, "name", None) or getattr(loss, "__name__", "")
    classes = output_shape[-1] if output_shape else None
    y_is_indices = y.ndim == len(output_shape) - 1 or (y.ndim == len(output_shape) and y.shape[-1] == 1)
    if "sparse_categorical" in name:
        if classes not in (None, 1) and y.ndim == len(output_shape) and y.shape[-1] == classes:
            raise ValueError(
                f"Loss {name!r} expects integer class indices of shape ({len(y)},), but received y of shape "
                f"{y.shape}, which looks one-hot encoded. Use loss='categorical_crossentropy', or pass "
                "y.argmax(axis=-1) as the labels.")
        if y_is_indices and classes is not None:
            if y.dtype.kind == "f" and np.any(np.mod(y, 1)):
                raise ValueError(f"Loss {name!r} expects integer class indices, but y holds fractional values. "
                                 "Pass integer labels in [0, num_classes).")
            low, high = y.min(), y.max()
            if low < 0 or high >= classes:
                bad = high if high >= classes else low
                raise ValueError(
                    f"Loss {name!r} received label {bad.item()!r}, but the model outputs {classes} classes, so labels "
                    f"must be in [0, {classes - 1}]. Fix the labels or give the last layer more units.")
    elif "categorical_crossentropy" in name and classes not in (None, 1) and y_is_indices:
        raise ValueError(
            f"Loss {name!r} expects one-hot labels of shape ({len(y)}, {classes}), but received y of shape "
            f"{y.shape} (integer class indices). Use loss='sparse_categorical_crossentropy', or convert the "
            f"labels with numkeras.utils.to_categorical(y, {classes}).")
    elif y.ndim == len(output_shape) and classes is not None and y.shape[-1] not in (classes, 1) \
            and "crossentropy" in name:
        raise ValueError(f"Loss {name!r}: labels of shape {y.shape} do not match the model output shape "
                         f"{tuple(output_shape)}. Their last axes must agree.")
