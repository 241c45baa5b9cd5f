"""Regression losses: squared, absolute, percentage, logarithmic, Huber, log-cosh, cosine.

Each function returns one loss per sample: the mean (for cosine
similarity, the sum) over the last axis of an elementwise error.

Example:
    >>> import numpy as np
    >>> y_true = np.array([100.0, 200.0, 300.0], "float32")
    >>> round(float(MeanAbsolutePercentageError()(y_true, [90.0, 210.0, 310.0])), 4)
    6.1111
"""
import math

from numkeras.backend import epsilon
from numkeras.engine import math_ops, reduction_ops
from numkeras.losses.wrapper import BuiltinLoss, check_axis, pair


def mean_squared_error(y_true, y_pred):
    """Mean of the squared differences over the last axis: `mean(square(y_true - y_pred), axis=-1)`.

    Example:
        >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
        array([0.5], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred)
    return reduction_ops.mean(math_ops.square(math_ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean of the absolute differences over the last axis: `mean(abs(y_true - y_pred), axis=-1)`.

    Example:
        >>> mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
        array([0.5], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred)
    return reduction_ops.mean(math_ops.abs(math_ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`.

    Labels are divided by `max(abs(y_true), epsilon)`, so a zero label gives
    a large but finite error.

    Example:
        >>> mean_absolute_percentage_error([[100.0, 200.0]], [[90.0, 210.0]]).numpy().round(4)
        array([7.5], dtype=float32)
    """
    y_true, y_pred = pair(y_true, y_pred)
    scale = math_ops.maximum(math_ops.abs(y_true), epsilon())
    ratio = math_ops.abs(math_ops.divide(math_ops.subtract(y_true, y_pred), scale))
    return math_ops.multiply(reduction_ops.mean(ratio, axis=-1), 100.0)


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(1 + y_pred) - log(1 + y_true)), axis=-1)`.

    Values below `epsilon` (zeros and negatives) count as `epsilon`.

    Example:
        >>> round(float(mean_squared_logarithmic_error([[0.0, 1.0]], [[1.0, 1.0]])[0]), 4)
        0.2402
    """
    y_true, y_pred = pair(y_true, y_pred)
    eps = epsilon()
    log_pred = math_ops.log1p(math_ops.maximum(y_pred, eps))
    log_true = math_ops.log1p(math_ops.maximum(y_true, eps))
    return reduction_ops.mean(math_ops.square(math_ops.subtract(log_pred, log_true)), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for errors up to `delta`, linear beyond, averaged over the last axis.

    Each error `x` gives `0.5 * x**2` if `abs(x) <= delta`, else
    `delta * abs(x) - 0.5 * delta**2`.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        delta: where the loss turns from quadratic to linear. Defaults to 1.0.

    Example:
        >>> round(float(huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).numpy().mean()), 3)
        0.155
    """
    y_true, y_pred = pair(y_true, y_pred)
    delta = float(delta)
    error = math_ops.subtract(y_pred, y_true)
    abs_error = math_ops.abs(error)
    quadratic = math_ops.multiply(math_ops.square(error), 0.5)
    linear = math_ops.subtract(math_ops.multiply(abs_error, delta), 0.5 * delta * delta)
    return reduction_ops.mean(math_ops.where(abs_error.data <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """Mean over the last axis of `log(cosh(y_pred - y_true))`.

    About `x**2 / 2` for small errors and `abs(x) - log(2)` for large ones:
    like the squared error, but not thrown off by a few wild predictions.
    Computed as `abs(x) + log1p(exp(-2 abs(x))) - log(2)`, which never
    overflows and whose gradient is `tanh(x)`, 0 at `x = 0`.

    Example:
        >>> round(float(log_cosh([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]).numpy().mean()), 3)
        0.108
    """
    y_true, y_pred = pair(y_true, y_pred)
    size = math_ops.abs(math_ops.subtract(y_pred, y_true))
    tail = math_ops.log1p(math_ops.exp(math_ops.multiply(size, -2.0)))
    return reduction_ops.mean(math_ops.subtract(math_ops.add(size, tail), math.log(2.0)), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: `-sum(l2_normalize(y_true) * l2_normalize(y_pred))`.

    The result lies in [-1, 1]; -1 means the vectors point the same way. A
    zero vector gives 0.

    Args:
        y_true: the targets.
        y_pred: the predictions.
        axis: the axis the similarity is computed along. Defaults to -1.

    Example:
        >>> cosine_similarity([[0., 1.], [1., 1.], [1., 1.]], [[1., 0.], [1., 1.], [-1., -1.]]).numpy().round(4)
        array([-0., -1.,  1.], dtype=float32)
    """
    check_axis(axis, "cosine_similarity")
    y_true, y_pred = pair(y_true, y_pred)
    products = math_ops.multiply(_l2_normalize(y_true, axis), _l2_normalize(y_pred, axis))
    return math_ops.negative(reduction_ops.sum(products, axis=axis))


def _l2_normalize(x, axis):
    # The squared norm is floored at epsilon**2, so zero vectors stay 0 and get a finite gradient.
    squares = reduction_ops.sum(math_ops.square(x), axis=axis, keepdims=True)
    return math_ops.divide(x, math_ops.sqrt(math_ops.maximum(squares, epsilon() ** 2)))


class MeanSquaredError(BuiltinLoss):
    """Mean of squares of errors between labels and predictions.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "mean_squared_error".
        dtype: see `Loss`.

    Example:
        >>> round(float(MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])), 4)
        0.02
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(BuiltinLoss):
    """Mean of absolute differences between labels and predictions.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "mean_absolute_error".
        dtype: see `Loss`.

    Example:
        >>> round(float(MeanAbsoluteError()([1.0, 0.3, 1.0], [1.9, 0.3, 1.8])), 4)
        0.5667
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(BuiltinLoss):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true))`.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "mean_absolute_percentage_error".
        dtype: see `Loss`.

    Example:
        >>> round(float(MeanAbsolutePercentageError()([100.0, 200.0, 300.0], [90.0, 210.0, 310.0])), 4)
        6.1111
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype)


class MeanSquaredLogarithmicError(BuiltinLoss):
    """Mean squared logarithmic error: `mean(square(log(y_true + 1) - log(y_pred + 1)))`.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "mean_squared_logarithmic_error".
        dtype: see `Loss`.

    Example:
        >>> round(float(MeanSquaredLogarithmicError()([[1, 9, 2], [-5, -2, 6]], [[4, 8, 12], [8, 1, 3]])), 3)
        1.437
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype)


class Huber(BuiltinLoss):
    """Huber loss: quadratic for small errors, linear for large ones.

    Args:
        delta: where the loss turns from quadratic to linear. Defaults to 1.0.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "huber_loss".
        dtype: see `Loss`.

    Example:
        >>> round(float(Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        0.155
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(BuiltinLoss):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "log_cosh".
        dtype: see `Loss`.

    Example:
        >>> round(float(LogCosh()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])), 3)
        0.108
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class CosineSimilarity(BuiltinLoss):
    """Negative cosine similarity between labels and predictions (-1 is best, 0 orthogonal).

    Args:
        axis: the axis the similarity is computed along. Defaults to -1.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "cosine_similarity".
        dtype: see `Loss`.

    Example:
        >>> round(float(CosineSimilarity()([[0., 1.], [1., 1.]], [[1., 0.], [1., 1.]])), 4)
        -0.5
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
