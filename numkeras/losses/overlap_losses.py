"""Overlap losses for segmentation: Dice and Tversky, one minus a soft overlap score.

Labels and predictions are masks of the same shape (probabilities in [0, 1]); `axis` picks the
axes the overlap is summed over: None (Keras's default) sums over everything, batch included,
so the loss is one number; `axis=(1, 2)` gives one loss per image.

Example:
    >>> import numpy as np
    >>> y_true = np.array([[1.0, 1.0, 0.0, 0.0]])
    >>> round(float(Dice()(y_true, np.array([[1.0, 0.0, 0.0, 0.0]], "float32"))), 4)
    0.3333
"""
from numkeras.backend import epsilon
from numkeras.engine import math_ops, reduction_ops
from numkeras.losses.wrapper import BuiltinLoss, pair


def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`, summed over `axis`.

    Args:
        y_true: the true masks.
        y_pred: the predicted masks.
        axis: the axes summed over. Defaults to None (all of them).

    Example:
        >>> float(dice([[1.0, 0.0]], [[1.0, 0.0]]).numpy()) < 1e-6
        True
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    intersection = reduction_ops.sum(math_ops.multiply(y_true, y_pred), axis=axis)
    total = math_ops.add(reduction_ops.sum(y_true, axis=axis), reduction_ops.sum(y_pred, axis=axis))
    score = math_ops.divide(math_ops.multiply(intersection, 2.0), math_ops.add(total, epsilon()))
    return math_ops.subtract(1.0, score)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)` with soft counts summed over `axis`.

    Keras counts `FP = sum((1 - y_pred) * y_true)` and `FN = sum(y_pred * (1 - y_true))`, so
    `alpha` weighs the missed foreground and `beta` the false alarms; with alpha = beta = 0.5
    the loss is Dice.

    Args:
        y_true: the true masks.
        y_pred: the predicted masks.
        alpha: the weight of `sum((1 - y_pred) * y_true)`. Defaults to 0.5.
        beta: the weight of `sum(y_pred * (1 - y_true))`. Defaults to 0.5.
        axis: the axes summed over. Defaults to None (all of them).

    Example:
        >>> round(float(tversky([[1.0, 1.0, 0.0]], [[1.0, 0.0, 1.0]], alpha=0.7, beta=0.3).numpy()), 4)
        0.5
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    true_pos = reduction_ops.sum(math_ops.multiply(y_true, y_pred), axis=axis)
    missed = reduction_ops.sum(math_ops.multiply(math_ops.subtract(1.0, y_pred), y_true), axis=axis)
    false_alarm = reduction_ops.sum(math_ops.multiply(y_pred, math_ops.subtract(1.0, y_true)), axis=axis)
    denominator = math_ops.add(math_ops.add(true_pos, math_ops.multiply(missed, float(alpha))),
                               math_ops.add(math_ops.multiply(false_alarm, float(beta)), epsilon()))
    return math_ops.subtract(1.0, math_ops.divide(true_pos, denominator))


class Dice(BuiltinLoss):
    """The Dice loss between true and predicted masks.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "dice".
        axis: the axes the overlap is summed over. Defaults to None (all, batch included).
        dtype: see `Loss`.

    Example:
        >>> import numpy as np
        >>> masks = np.array([[[1.0, 0.0], [1.0, 1.0]]], "float32")
        >>> round(float(Dice(axis=(1, 2))(masks, masks * 0.5)), 4)
        0.3333
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Tversky(BuiltinLoss):
    """The Tversky loss: Dice with separate weights for the two kinds of error.

    Args:
        alpha: see `tversky`. Defaults to 0.5.
        beta: see `tversky`. Defaults to 0.5.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "tversky".
        axis: the axes the counts are summed over. Defaults to None (all, batch included).
        dtype: see `Loss`.

    Example:
        >>> round(float(Tversky(alpha=0.7, beta=0.3)([[1.0, 1.0, 0.0]], [[1.0, 0.0, 1.0]])), 4)
        0.5
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis)
