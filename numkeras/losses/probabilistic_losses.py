"""Losses between distributions or counts: Kullback-Leibler divergence and Poisson.

Example:
    >>> import numpy as np
    >>> y_true = np.array([[0.5, 0.5]], "float32")
    >>> round(float(KLDivergence()(y_true, [[0.25, 0.75]])), 4)
    0.1438
"""
from numkeras.backend import epsilon
from numkeras.engine import math_ops, reduction_ops
from numkeras.losses.wrapper import BuiltinLoss, pair


def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [epsilon, 1].

    Args:
        y_true: the target distribution.
        y_pred: the predicted distribution.

    Example:
        >>> kl_divergence([[0.5, 0.5]], [[0.25, 0.75]]).numpy().round(4)
        array([0.1438], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    eps = epsilon()
    y_true = math_ops.clip(y_true, eps, 1.0)
    y_pred = math_ops.clip(y_pred, eps, 1.0)
    return reduction_ops.sum(math_ops.multiply(y_true, math_ops.log(math_ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`: the Poisson negative log-likelihood up to a constant.

    Args:
        y_true: the observed counts.
        y_pred: the predicted rates (non-negative).

    Example:
        >>> poisson([[1.0, 2.0]], [[1.0, 2.0]]).numpy().round(4)
        array([0.8069], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred, squeeze=False)
    log_rate = math_ops.log(math_ops.add(y_pred, epsilon()))
    return reduction_ops.mean(math_ops.subtract(y_pred, math_ops.multiply(y_true, log_rate)), axis=-1)


class KLDivergence(BuiltinLoss):
    """Kullback-Leibler divergence between the label and predicted distributions.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "kl_divergence".
        dtype: see `Loss`.

    Example:
        >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
        0.1438
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(BuiltinLoss):
    """Poisson loss between observed counts and predicted rates: `y_pred - y_true * log(y_pred)`.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "poisson".
        dtype: see `Loss`.

    Example:
        >>> round(float(Poisson()([[1.0, 2.0]], [[1.0, 2.0]])), 4)
        0.8069
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)
