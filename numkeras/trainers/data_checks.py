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


def as_array(value, arg, method, strings=False):
    """Returns `value` as a numeric ndarray (or, with `strings`, an array of text too), or raises a clear error.

    `strings` is True for the inputs of a model that takes text (a string
    `Input`, or a first layer such as TextVectorization that reads strings).
    """
    if isinstance(value, Tensor):
        value = value.data
    if value is None:
        raise ValueError(f"{method}() needs {arg}, but received {arg}=None. Pass {arg} as an array with one row "
                         "per sample.")
    if isinstance(value, (dict, set)):
        raise TypeError(f"{method}() expects {arg} as a NumPy array. Received a {type(value).__name__}.")
    try:
        array = np.asarray(value)
    except ValueError as e:  # ragged nested lists
        raise ValueError(f"{method}() could not convert {arg} to an array: its rows have different lengths "
                         f"({e}). Pad the rows to one length or pass a NumPy array.") from None
    if array.dtype.kind not in ("biufUSO" if strings else "biuf"):
        raise ValueError(
            f"{method}() expects {arg} to hold real numbers, but received an array of dtype {array.dtype} "
            f"(shape {array.shape}). Convert it first, e.g. {arg} = np.asarray({arg}, dtype='float32'); "
            "strings must be encoded as numbers (class indices or one-hot vectors).")
    if array.ndim == 0:
        raise ValueError(f"{method}() expects {arg} with a batch axis, but received a scalar. "
                         f"Pass an array of shape (samples, ...).")
    if len(array) == 0:
        raise ValueError(f"{method}() received an empty {arg} (shape {array.shape}): there are no samples. "
                         "Pass at least one sample.")
    if array.dtype.kind == "f" and not _all_finite(array):
        bad = np.argwhere(~np.isfinite(array))
        raise ValueError(
            f"{method}() received {arg} with {len(bad)} NaN or inf value(s); the first is at index "
            f"{tuple(int(i) for i in bad[0])}. Remove or impute those samples before training.")
    return array


_FINITE_BLOCK = 1 << 18  # elements checked at a time: a 256 KB mask instead of one as large as the data


def _all_finite(array):
    """Whether every element is finite, without a boolean temporary the size of `array` (47 MB for MNIST)."""
    if array.size <= _FINITE_BLOCK:
        return bool(np.isfinite(array).all())
    rows = max(1, _FINITE_BLOCK // max(array[0].size, 1))  # a block of samples at a time
    return all(np.isfinite(array[i:i + rows]).all() for i in range(0, len(array), rows))


_SAME_LENGTH_FIX = {"y": "Pass one label per input sample.", "sample_weight": "Pass one weight per sample.",
                    "another input": "Every input needs one row per sample."}


def check_same_length(x, y, method, y_name="y"):
    if len(x) != len(y):
        raise ValueError(
            f"{method}() received x and {y_name} with different numbers of samples: x has {len(x)} "
            f"(shape {x.shape}) and {y_name} has {len(y)} (shape {y.shape}). "
            f"{_SAME_LENGTH_FIX.get(y_name, 'Pass one row per sample.')}")


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
                "('float32') / 255." if len(expected) == 2 and x.ndim > 2 else
                f" Pass x of shape (samples, {', '.join(map(str, expected[1:]))}), or build a new model for this "
                "input shape.")
        raise ValueError(
            f"{method}(): input x does not match the input of model {model_name!r}: expected shape "
            f"{tuple(expected)}, received x with shape {(None,) + tuple(x.shape[1:])}.{hint}")


def check_labels(y, output_shape, loss, method=None):
    """Checks that labels `y` fit the loss and the model's output shape.

    With `method` ("fit", "fit (validation_data)", ...), the error says where the labels came from.
    """
    try:
        _check_labels(y, output_shape, loss)
    except ValueError as e:
        if method is None:
            raise
        raise ValueError(f"{method}(): {e}") from None


def _check_labels(y, output_shape, loss):
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
    elif _is_builtin(loss) and "sparse" not in name and not _shapes_agree(y.shape, output_shape):
        want = ", ".join(str(d) for d in output_shape[1:])
        raise ValueError(
            f"Loss {name!r} compares labels and predictions element by element, but y has shape {y.shape} and the "
            f"model output has shape {tuple(output_shape)}. Pass y of shape (samples, {want}), or change the last "
            f"layer so the model outputs {(None,) + tuple(y.shape[1:])}.")


def _is_builtin(loss):
    """True for numkeras's own element-by-element losses; a user's function may expect labels of any shape,
    and CTC, Circle and the generalized crossentropy take class ids (`labels_shape = "ids"` on the function)."""
    owner = getattr(loss, "fn", None) or type(loss)
    return getattr(owner, "__module__", "").startswith("numkeras.losses.") and \
        getattr(owner, "labels_shape", "elementwise") == "elementwise"


def _shapes_agree(y_shape, output_shape):
    """Whether labels broadcast against the output once a trailing axis of 1 is dropped, as the losses do."""
    y_shape, output_shape = tuple(y_shape[1:]), tuple(output_shape[1:])
    if len(y_shape) == len(output_shape) + 1 and y_shape[-1] == 1:
        y_shape = y_shape[:-1]
    elif len(output_shape) == len(y_shape) + 1 and output_shape[-1] == 1:
        output_shape = output_shape[:-1]
    return len(y_shape) == len(output_shape) and all(
        o is None or y in (o, 1) or o == 1 for y, o in zip(y_shape, output_shape))


def check_fit_arguments(epochs=1, validation_split=0.0, validation_freq=1, initial_epoch=0):
    """Checks fit's scalar arguments before anything is converted or trained."""
    for arg, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if not _is_int(value) or value < 0:
            raise ValueError(f"fit(): {arg} must be a non-negative integer. Received: {arg}={value!r}.")
    if isinstance(validation_freq, list):  # the epochs (counted from 1) after which to validate, as Keras 3 takes
        if not all(_is_int(e) and e >= 1 for e in validation_freq):
            raise ValueError(f"fit(): validation_freq as a list names the epochs to validate after, counted from 1, "
                             f"e.g. validation_freq=[1, 5, 10]. Received: validation_freq={validation_freq!r}.")
    elif not _is_int(validation_freq) or validation_freq < 1:
        raise ValueError(f"fit(): validation_freq must be a positive integer (validate every that many epochs) or a "
                         f"list of the epochs to validate after, counted from 1. "
                         f"Received: validation_freq={validation_freq!r}.")
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float, np.number)) or \
            not 0 <= validation_split < 1:
        raise ValueError(f"fit(): validation_split must be a number in [0, 1), the fraction of the data held out "
                         f"for validation, e.g. validation_split=0.2. Received: validation_split={validation_split!r}.")


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_positive_int(value):
    """True for a Python or NumPy integer (not a bool) above zero: a batch size, a step count."""
    return _is_int(value) and value > 0


def check_class_weight(class_weight, method="fit"):
    """Checks that `class_weight` maps class indices (ints >= 0) to finite weights, e.g. {0: 1.0, 1: 5.0}."""
    if not isinstance(class_weight, dict):
        raise TypeError(f"{method}(): class_weight must be a dict of class index to weight, e.g. "
                        f"class_weight={{0: 1.0, 1: 5.0}}. Received: class_weight={class_weight!r}.")
    bad = [k for k in class_weight if not _is_int(k) or k < 0]
    if bad:
        raise ValueError(f"{method}(): class_weight keys must be class indices (integers >= 0). Received the "
                         f"key(s) {bad!r}. Map your labels to 0..num_classes-1 first.")
    try:
        finite = np.isfinite(np.asarray(list(class_weight.values()), dtype="float64")).all()
    except (TypeError, ValueError):
        finite = False
    if not finite:
        raise ValueError(f"{method}(): class_weight values must be finite numbers. Received: "
                         f"class_weight={class_weight!r}.")
