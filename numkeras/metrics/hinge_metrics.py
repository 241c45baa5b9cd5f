"""Hinge metrics: running means of the hinge, squared hinge and categorical hinge losses.

Labels of 0 and 1 are read as -1 and 1 by `hinge` and `squared_hinge`.

Example:
    >>> m = Hinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.3
"""
from numkeras.backend import xp
from numkeras.metrics.regression_metrics import _ErrorMean, float_pair


def _signed_labels(y_true):
    """Binary 0/1 labels become -1/1; other labels are kept."""
    if xp.all((y_true == 0) | (y_true == 1)):
        return 2 * y_true - 1
    return y_true


def hinge_error(y_true, y_pred):
    """mean(maximum(1 - y_true * y_pred, 0), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return xp.maximum(1 - _signed_labels(y_true) * y_pred, 0).mean(axis=-1)


def squared_hinge_error(y_true, y_pred):
    """mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return xp.square(xp.maximum(1 - _signed_labels(y_true) * y_pred, 0)).mean(axis=-1)


def categorical_hinge_error(y_true, y_pred):
    """maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) over the last axis, on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    positive = (y_true * y_pred).sum(axis=-1)
    negative = ((1 - y_true) * y_pred).max(axis=-1)
    return xp.maximum(negative - positive + 1, 0)


class Hinge(_ErrorMean):
    """The mean of `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; labels are -1/1 (0/1 are converted).

    Args:
        name: Defaults to "hinge".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Hinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], sample_weight=[1, 0])
        >>> round(float(m.result()), 4)
        1.1
    """
    _function = staticmethod(hinge_error)

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(_ErrorMean):
    """The mean of `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; labels are -1/1 (0/1 are converted).

    Args:
        name: Defaults to "squared_hinge".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.86
    """
    _function = staticmethod(squared_hinge_error)

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(_ErrorMean):
    """The mean of `maximum(neg - pos + 1, 0)`: pos is the true class's score, neg the best other score.

    Args:
        name: Defaults to "categorical_hinge".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.4
    """
    _function = staticmethod(categorical_hinge_error)

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
