"""Regression metrics: running means of per-sample errors, RootMeanSquaredError and R2Score.

The per-sample functions here work on plain arrays (metrics need no
gradients); the differentiable forms of the same formulas are the losses.

Example:
    >>> m = MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
"""
import math
import warnings

from numkeras.backend import errstate as _errstate
from numkeras.backend import epsilon, floatx, xp
from numkeras.metrics.metric import Metric, raw, squeeze_or_expand_to_same_rank
from numkeras.metrics.reduction_metrics import Mean, MeanMetricWrapper


def float_pair(y_true, y_pred):
    """y_true and y_pred as float arrays of y_pred's float dtype (floatx for integers), of the same rank."""
    y_pred = raw(y_pred)
    if not xp.issubdtype(y_pred.dtype, xp.floating):
        y_pred = y_pred.astype(floatx())
    y_true = raw(y_true).astype(y_pred.dtype, copy=False)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def squared_error(y_true, y_pred):
    """mean(square(y_true - y_pred), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return xp.square(y_true - y_pred).mean(axis=-1)


def absolute_error(y_true, y_pred):
    """mean(abs(y_true - y_pred), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return xp.abs(y_true - y_pred).mean(axis=-1)


def absolute_percentage_error(y_true, y_pred):
    """100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return 100 * (xp.abs(y_true - y_pred) / xp.maximum(xp.abs(y_true), epsilon())).mean(axis=-1)


def squared_logarithmic_error(y_true, y_pred):
    """mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    eps = epsilon()
    return xp.square(xp.log1p(xp.maximum(y_pred, eps)) - xp.log1p(xp.maximum(y_true, eps))).mean(axis=-1)


def log_cosh_error(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true)), axis=-1) on arrays, without overflow for large errors."""
    y_true, y_pred = float_pair(y_true, y_pred)
    x = y_pred - y_true
    # log(cosh(x)) = |x| + log1p(exp(-2|x|)) - log(2)
    return (xp.abs(x) + xp.log1p(xp.exp(-2 * xp.abs(x))) - math.log(2)).mean(axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """sum(l2_normalize(y_true) * l2_normalize(y_pred), axis) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)

    def normalize(x):
        # as Keras's l2 normalization: divide by sqrt(max(sum of squares, 1e-12))
        return x / xp.sqrt(xp.maximum(xp.square(x).sum(axis=axis, keepdims=True), 1e-12))
    return (normalize(y_true) * normalize(y_pred)).sum(axis=axis)


class _ErrorMean(MeanMetricWrapper):
    """A MeanMetricWrapper over a fixed function, whose config is just name and dtype."""
    _function = None

    def __init__(self, name=None, dtype=None):
        super().__init__(type(self)._function, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredError(_ErrorMean):
    """The mean of `mean(square(y_true - y_pred), axis=-1)` over the samples seen.

    Args:
        name: Defaults to "mean_squared_error".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
        >>> float(m.result())
        0.5
    """
    _function = staticmethod(squared_error)

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsoluteError(_ErrorMean):
    """The mean of `mean(abs(y_true - y_pred), axis=-1)` over the samples seen.

    Args:
        name: Defaults to "mean_absolute_error".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """
    _function = staticmethod(absolute_error)

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanAbsolutePercentageError(_ErrorMean):
    """The mean of `100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`, |y_true| floored at epsilon.

    Args:
        name: Defaults to "mean_absolute_percentage_error".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[1, 2], [4, 8]], [[2, 2], [4, 6]])
        >>> float(m.result())
        31.25
    """
    _function = staticmethod(absolute_percentage_error)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_ErrorMean):
    """The mean of `mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)`, values floored at epsilon.

    Args:
        name: Defaults to "mean_squared_logarithmic_error".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> round(float(m.result()), 6)
        0.120113
    """
    _function = staticmethod(squared_logarithmic_error)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class LogCoshError(_ErrorMean):
    """The mean of `mean(log(cosh(y_pred - y_true)), axis=-1)` over the samples seen.

    Args:
        name: Defaults to "logcosh" (Keras's name for it).
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = LogCoshError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> round(float(m.result()), 6)
        0.108445
    """
    _function = staticmethod(log_cosh_error)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions along `axis`.

    Args:
        name: Defaults to "cosine_similarity".
        dtype: Defaults to `floatx()`.
        axis: the axis along which the similarity is computed. Defaults to -1.

    Example:
        >>> m = CosineSimilarity(axis=1)
        >>> m.update_state([[0., 1.], [1., 1.]], [[1., 0.], [1., 1.]], sample_weight=[0.3, 0.7])
        >>> round(float(m.result()), 6)
        0.7
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class RootMeanSquaredError(Mean):
    """The square root of the (weighted) mean of the squared errors seen so far.

    Args:
        name: Defaults to "root_mean_squared_error".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = raw(y_true).astype(self.dtype, copy=False)
        y_pred = raw(y_pred).astype(self.dtype, copy=False)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(xp.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return xp.sqrt(super().result())


class R2Score(Metric):
    """The coefficient of determination, 1 - (residual sum of squares) / (total sum of squares), per output.

    Inputs have shape (batch, outputs). The statistics accumulate over all
    batches, so the result is the R2 of everything seen, not a mean of
    per-batch scores.

    Args:
        class_aggregation: how to combine the outputs' scores: None (one per output), 'uniform_average'
            or 'variance_weighted_average'. Defaults to 'uniform_average'.
        num_regressors: the number of independent regressors, for the adjusted R2 score
            (0: the plain score). Defaults to 0.
        name: Defaults to "r2_score".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = R2Score()
        >>> m.update_state([[1], [4], [3]], [[2], [4], [4]])
        >>> round(float(m.result()), 6)
        0.571429
    """

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of "
                             f"{self._AGGREGATIONS}. Received: class_aggregation={class_aggregation!r}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: "
                             f"num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), name="num_samples")
        self._built = False

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(f"R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={pred_shape} and y_true.shape={true_shape}.")
        n = pred_shape[-1]
        self.squared_sum = self.add_variable(shape=(n,), name="squared_sum")
        self.sum = self.add_variable(shape=(n,), name="sum")
        self.total_mse = self.add_variable(shape=(n,), name="residual")
        self.count = self.add_variable(shape=(n,), name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) sums.

        Args:
            y_true: targets of shape (batch, outputs).
            y_pred: predictions of shape (batch, outputs).
            sample_weight: None, a scalar, or weights of shape (batch,) or (batch, outputs). Defaults to 1.
        """
        y_true = raw(y_true).astype(self.dtype, copy=False)
        y_pred = raw(y_pred).astype(self.dtype, copy=False)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weights = xp.asarray(1 if sample_weight is None else raw(sample_weight), dtype=self.dtype)
        if weights.ndim == 1:
            weights = weights[:, None]  # one weight per sample, shared by its outputs
        weights = xp.broadcast_to(weights, y_true.shape)
        weighted = y_true * weights
        self.sum.assign_add(weighted.sum(axis=0))
        self.squared_sum.assign_add((y_true * weighted).sum(axis=0))
        self.total_mse.assign_add((xp.square(y_true - y_pred) * weights).sum(axis=0))
        self.count.assign_add(weights.sum(axis=0))
        # a sample counts once if any of its outputs has a nonzero weight
        self.num_samples.assign_add(xp.any(weights != 0, axis=-1).sum())

    def result(self):
        if not self._built:
            return xp.asarray(0, dtype=self.dtype)
        total_sum, count = self.sum.data.astype("float64"), self.count.data.astype("float64")
        with _errstate(divide="ignore", invalid="ignore"):
            mean = total_sum / count
            total = self.squared_sum.data - total_sum * mean
            raw_scores = 1 - self.total_mse.data / total
        raw_scores = xp.where(xp.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            score = raw_scores.mean()
        elif self.class_aggregation == "variance_weighted_average":
            with _errstate(divide="ignore", invalid="ignore"):
                score = (total * raw_scores).sum() / total.sum()
        else:
            score = raw_scores
        if self.num_regressors != 0:
            n, p = float(self.num_samples.data), self.num_regressors
            if p > n - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 score. Falling back "
                              "to standard R2 score.", stacklevel=2)
            elif p == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                              stacklevel=2)
            else:
                score = 1 - (1 - score) * (n - 1) / (n - p - 1)
        return xp.asarray(score, dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
