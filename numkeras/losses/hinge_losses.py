"""Hinge losses for maximum-margin classifiers: hinge, squared hinge, categorical hinge.

`hinge` and `squared_hinge` expect labels in {-1, 1}; labels that are all 0
or 1 are mapped to -1 and 1 first, as Keras does.

Example:
    >>> import numpy as np
    >>> y_true = np.array([[0.0, 1.0], [0.0, 0.0]])
    >>> y_pred = np.array([[0.6, 0.4], [0.4, 0.6]], "float32")
    >>> round(float(Hinge()(y_true, y_pred)), 3)
    1.3
"""
from numkeras.backend import xp
from numkeras.engine import math_ops, reduction_ops
from numkeras.losses.wrapper import BuiltinLoss, pair


def hinge(y_true, y_pred):
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Args:
        y_true: labels in {-1, 1}; binary {0, 1} labels are converted.
        y_pred: the predicted scores.

    Example:
        >>> hinge([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]).numpy().round(3)
        array([1.1, 1.5], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    return reduction_ops.mean(_margin_violation(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Args:
        y_true: labels in {-1, 1}; binary {0, 1} labels are converted.
        y_pred: the predicted scores.

    Example:
        >>> squared_hinge([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]).numpy().round(3)
        array([1.46, 2.26], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    return reduction_ops.mean(math_ops.square(_margin_violation(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """`maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and `neg = max((1 - y_true) * y_pred)`.

    Args:
        y_true: one-hot labels ({0, 1} or {-1, 1}), shaped like `y_pred`.
        y_pred: the predicted scores.

    Example:
        >>> categorical_hinge([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]).numpy().round(3)
        array([1.2, 1.6], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    pos = reduction_ops.sum(math_ops.multiply(y_true, y_pred), axis=-1)
    neg = reduction_ops.max(math_ops.multiply(math_ops.subtract(1.0, y_true), y_pred), axis=-1)
    return math_ops.maximum(math_ops.add(math_ops.subtract(neg, pos), 1.0), 0.0)


def _margin_violation(y_true, y_pred):
    """`maximum(1 - y * y_pred, 0)`, with binary {0, 1} labels first mapped to {-1, 1}."""
    labels = y_true.data
    if xp.all((labels == 0) | (labels == 1)):
        y_true = math_ops.subtract(math_ops.multiply(y_true, 2.0), 1.0)
    return math_ops.maximum(math_ops.subtract(1.0, math_ops.multiply(y_true, y_pred)), 0.0)


class Hinge(BuiltinLoss):
    """Hinge loss between labels in {-1, 1} (or {0, 1}) and predicted scores.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "hinge".
        dtype: see `Loss`.

    Example:
        >>> round(float(Hinge(reduction="sum")([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        2.6
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(BuiltinLoss):
    """Squared hinge loss between labels in {-1, 1} (or {0, 1}) and predicted scores.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "squared_hinge".
        dtype: see `Loss`.

    Example:
        >>> round(float(SquaredHinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.86
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(BuiltinLoss):
    """Categorical hinge loss between one-hot labels and predicted scores.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "categorical_hinge".
        dtype: see `Loss`.

    Example:
        >>> round(float(CategoricalHinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.4
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
