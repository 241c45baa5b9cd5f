"""Binary, categorical and sparse categorical crossentropy: functions and classes.

The crossentropies read probabilities by default. When `y_pred` comes
straight out of a softmax or sigmoid, the engine has recorded the logits on
it (`y_pred._keras_logits`) and the loss is computed from those logits
instead, as Keras's TensorFlow backend does: stabler, and its gradient is
the fused `p - y`.

Example:
    >>> import numpy as np
    >>> y_true = np.array([[0, 1, 0], [0, 0, 1]])
    >>> y_pred = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]], "float32")
    >>> round(float(CategoricalCrossentropy()(y_true, y_pred)), 3)
    1.177
"""
import warnings

from numkeras.backend import epsilon, xp
from numkeras.engine import crossentropy_ops, math_ops, reduction_ops
from numkeras.engine.tensor import unwrap
from numkeras.losses.loss import squeeze_or_expand_to_same_rank
from numkeras.losses.wrapper import BuiltinLoss, check_axis, labels_like, prediction


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) labels and predicted class probabilities.

    Args:
        y_true: one-hot labels, shaped like `y_pred`.
        y_pred: probabilities (or logits when `from_logits=True`).
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + s / num_classes`.
        axis: the class axis. Defaults to -1.

    Returns:
        The per-sample losses: `y_pred`'s shape without `axis`.

    Example:
        >>> categorical_crossentropy([[0, 1, 0]], [[0.05, 0.95, 0.0]]).numpy().round(4)
        array([0.0513], dtype=float32)
    """
    y_true, y_pred = categorical_inputs(y_true, y_pred, label_smoothing, axis, "categorical_crossentropy")
    logits = _softmax_logits(y_pred, from_logits, axis, "categorical_crossentropy")
    if logits is not None:
        return crossentropy_ops.softmax_cross_entropy_with_logits(y_true, logits, axis=axis)
    log_probs = math_ops.log(clipped_probabilities(y_pred, axis))
    return math_ops.negative(reduction_ops.sum(math_ops.multiply(y_true, log_probs), axis=axis))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy between integer class labels and predicted class probabilities.

    Args:
        y_true: integer class indices, shaped like `y_pred` without `axis`
            (a trailing axis of size 1 is accepted). Float dtypes holding
            whole numbers are fine.
        y_pred: probabilities (or logits when `from_logits=True`).
        from_logits: whether `y_pred` holds logits. Defaults to False.
        ignore_class: a label value (e.g. -1 or 255) whose entries give a
            loss of 0. Defaults to None.
        axis: the class axis. Defaults to -1.

    Returns:
        The per-sample losses: `y_pred`'s shape without `axis`.

    Example:
        >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]).numpy().round(4)
        array([0.0513, 2.3026], dtype=float32)
    """
    return _sparse_crossentropy(y_true, y_pred, from_logits, ignore_class, axis)[0]


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between binary labels and predicted probabilities, averaged over `axis`.

    Args:
        y_true: labels in {0, 1} (or soft labels), shaped like `y_pred`.
        y_pred: probabilities (or logits when `from_logits=True`).
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + 0.5 * s`.
        axis: the axis the mean is taken over. Defaults to -1.

    Returns:
        The per-sample losses: `y_pred`'s shape without `axis`.

    Example:
        >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).numpy().round(3)
        array([0.916, 0.714], dtype=float32)
    """
    y_true, y_pred = binary_inputs(y_true, y_pred, label_smoothing, "binary_crossentropy")
    return reduction_ops.mean(elementwise_binary_crossentropy(y_true, y_pred, from_logits, "binary_crossentropy")[0],
                              axis=axis)


class CategoricalCrossentropy(BuiltinLoss):
    """Crossentropy loss between one-hot labels and predictions.

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]. Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "categorical_crossentropy".
        dtype: see `Loss`.

    Example:
        >>> cce = CategoricalCrossentropy()
        >>> round(float(cce([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(BuiltinLoss):
    """Crossentropy loss between integer labels and predictions.

    With `ignore_class`, ignored entries count neither in the sum nor in the
    number of entries the default reduction divides by.

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to False.
        ignore_class: a label value to ignore. Defaults to None.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        axis: the class axis. Defaults to -1.
        name: Defaults to "sparse_categorical_crossentropy".
        dtype: see `Loss`.

    Example:
        >>> scce = SparseCategoricalCrossentropy()
        >>> round(float(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)

    def _call_with_mask(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return _sparse_crossentropy(y_true, y_pred, **self._fn_kwargs)


class BinaryCrossentropy(BuiltinLoss):
    """Crossentropy loss between binary labels and predictions.

    Args:
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]; squeezes labels towards 0.5. Defaults to 0.
        axis: the axis the mean is taken over. Defaults to -1.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "binary_crossentropy".
        dtype: see `Loss`.

    Example:
        >>> bce = BinaryCrossentropy(from_logits=True)
        >>> round(float(bce([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])), 3)
        0.865
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


# -- helpers shared with the focal crossentropies ---------------------------------

def categorical_inputs(y_true, y_pred, label_smoothing, axis, fn_name):
    """Checked one-hot labels (smoothed) and predictions for a categorical loss over `axis`."""
    check_axis(axis, fn_name)
    y_pred = prediction(y_pred)
    y_true = labels_like(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(_categorical_shape_message(fn_name, y_true.shape, y_pred.shape))
    classes = y_pred.shape[axis] if y_pred.ndim else 1
    if classes == 1:
        warnings.warn(
            f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' "
            "if you only have 2 classes.", SyntaxWarning, stacklevel=3)
    if label_smoothing:
        y_true = math_ops.add(math_ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / classes)
    return y_true, y_pred


def binary_inputs(y_true, y_pred, label_smoothing, fn_name):
    """Binary labels (smoothed towards 0.5) and predictions of the same shape."""
    y_pred = prediction(y_pred)
    y_true = labels_like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{fn_name} expects y_true and y_pred of the same shape. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}. Pass one label per prediction.")
    if label_smoothing:
        y_true = math_ops.add(math_ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    return y_true, y_pred


def elementwise_binary_crossentropy(y_true, y_pred, from_logits, fn_name):
    """Elementwise binary crossentropy, and the logits it was computed from (None: from probabilities)."""
    logits = _logits(y_pred, from_logits, "sigmoid", fn_name)
    if logits is not None:
        return crossentropy_ops.sigmoid_cross_entropy_with_logits(y_true, logits), logits
    eps = epsilon()
    p = math_ops.clip(y_pred, eps, 1.0 - eps)
    return math_ops.negative(math_ops.add(
        math_ops.multiply(y_true, math_ops.log(p)),
        math_ops.multiply(math_ops.subtract(1.0, y_true), math_ops.log(math_ops.subtract(1.0, p))))), None


def clipped_probabilities(y_pred, axis):
    """The probabilities `y_pred`, renormalized along `axis` and clipped away from 0 and 1, as Keras does.

    A row summing to less than the smallest normal float (all zeros, or
    denormals, which numkeras flushes to zero while training) is divided by
    that smallest normal instead of by zero: its loss stays finite.
    """
    total = reduction_ops.sum(y_pred, axis=axis, keepdims=True)
    p = math_ops.divide(y_pred, math_ops.maximum(total, xp.finfo(total.data.dtype).tiny))
    eps = epsilon()
    return math_ops.clip(p, eps, 1.0 - eps)


def _softmax_logits(y_pred, from_logits, axis, fn_name):
    """The logits behind `y_pred` for a softmax crossentropy over `axis`, or None to use probabilities."""
    last = axis % max(y_pred.ndim, 1) == y_pred.ndim - 1  # softmax records logits over the last axis only
    return _logits(y_pred, from_logits, "softmax" if last else None, fn_name)


def _logits(y_pred, from_logits, activation, fn_name):
    """The logits to compute a crossentropy from, or None to use the probabilities `y_pred`."""
    recorded = _recorded_logits(y_pred, activation) if activation else None
    if from_logits:
        if recorded is not None:
            warnings.warn(
                f"`{fn_name}` received `from_logits=True`, but the `y_pred` argument was produced by a "
                f"{activation} activation and thus does not represent logits. Was this intended?", stacklevel=4)
            return recorded
        return y_pred
    return recorded


def _recorded_logits(y_pred, activation):
    """The logits the engine recorded on `y_pred`, if `activation` made `y_pred` from them."""
    if getattr(y_pred, "_keras_activation", None) != activation:
        return None
    return y_pred._keras_logits


def _sparse_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Per-sample sparse crossentropy and the mask of entries that count (None: all do)."""
    y_pred = prediction(y_pred)
    labels = xp.asarray(unwrap(y_true))
    if y_pred.ndim == 0:
        raise ValueError(f"sparse_categorical_crossentropy needs y_pred of rank >= 1. Received: "
                         f"y_pred.shape={y_pred.shape}.")
    if labels.ndim == y_pred.ndim and labels.shape[axis] == 1:
        labels = xp.squeeze(labels, axis=axis)
    expected = tuple(d for i, d in enumerate(y_pred.shape) if i != axis % y_pred.ndim)
    classes = y_pred.shape[axis]
    if labels.shape != expected:
        hint = (" These labels look one-hot encoded: use loss='categorical_crossentropy', or pass "
                "y.argmax(axis=-1) as the labels." if labels.shape == y_pred.shape else
                f" Pass one integer class index in [0, {classes}) per sample.")
        raise ValueError(f"sparse_categorical_crossentropy expects y_true of shape {expected} (or "
                         f"{expected + (1,)}) for y_pred of shape {y_pred.shape}. Received: "
                         f"y_true.shape={labels.shape}.{hint}")
    if labels.dtype.kind not in "iu":
        labels = labels.astype(xp.int64)
    mask = None
    if ignore_class is not None:
        mask = labels != ignore_class
        labels = xp.where(mask, labels, 0)
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels.max() if labels.max() >= classes else labels.min()
        raise ValueError(f"sparse_categorical_crossentropy received label {int(bad)}, but y_pred has {classes} "
                         f"classes, so labels must be in [0, {classes - 1}].")
    logits = _softmax_logits(y_pred, from_logits, axis, "sparse_categorical_crossentropy")
    if logits is not None:
        losses = crossentropy_ops.sparse_softmax_cross_entropy_with_logits(labels, logits, axis=axis)
    else:
        log_probs = math_ops.log(clipped_probabilities(y_pred, axis))
        losses = math_ops.negative(crossentropy_ops.take_along_axis(log_probs, labels, axis=axis))
    if mask is not None:
        losses = math_ops.where(mask, losses, 0.0)
    return losses, mask


def _categorical_shape_message(fn_name, true_shape, pred_shape):
    message = (f"{fn_name} expects one-hot y_true of the same shape as y_pred. Received: "
               f"y_true.shape={true_shape}, y_pred.shape={pred_shape}.")
    if len(true_shape) == len(pred_shape) - 1 or (true_shape and true_shape[-1] == 1):
        classes = pred_shape[-1] if pred_shape else "num_classes"
        message += (" These look like integer class labels: use loss='sparse_categorical_crossentropy', or "
                    f"one-hot encode them with numkeras.utils.to_categorical(y, {classes}).")
    return message
