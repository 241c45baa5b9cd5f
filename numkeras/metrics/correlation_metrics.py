"""Correlation metrics: the running mean of per-sample Pearson and concordance correlations.

Each sample's correlation is taken along `axis` (its features), then averaged
over samples like any other mean metric.

Example:
    >>> m = PearsonCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> round(float(m.result()), 4)
    0.9967
"""
from numkeras.backend import errstate as _errstate
from numkeras.backend import epsilon, xp
from numkeras.metrics.reduction_metrics import MeanMetricWrapper
from numkeras.metrics.regression_metrics import float_pair


def pearson_correlation(y_true, y_pred, axis=-1):
    """mean(standardized y_true * standardized y_pred, axis): Pearson's r along `axis`, on arrays.

    Example:
        >>> pearson_correlation([[1, 2, 3]], [[2, 4, 7]]).round(4)
        array([0.9934], dtype=float32)
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    t = y_true - y_true.mean(axis=axis, keepdims=True)
    p = y_pred - y_pred.mean(axis=axis, keepdims=True)
    with _errstate(divide="ignore", invalid="ignore"):  # a constant sample has no correlation: nan, as Keras
        t, p = t / t.std(axis=axis, keepdims=True), p / p.std(axis=axis, keepdims=True)
    return (t * p).mean(axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation along `axis`: 2 cov / (var_true + var_pred + (mean_true - mean_pred)**2).

    Example:
        >>> concordance_correlation([[1, 2, 3]], [[1, 2, 3]]).round(4)
        array([1.], dtype=float32)
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    mean_t, mean_p = y_true.mean(axis=axis, keepdims=True), y_pred.mean(axis=axis, keepdims=True)
    norm = (y_true.var(axis=axis, keepdims=True) + y_pred.var(axis=axis, keepdims=True)
            + xp.square(mean_t - mean_p))
    return (2 * (y_true - mean_t) * (y_pred - mean_p) / (norm + epsilon())).mean(axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of Pearson's correlation between labels and predictions along `axis`.

    Args:
        name: Defaults to "pearson_correlation".
        dtype: Defaults to `floatx()`.
        axis: the axis along which each correlation is taken. Defaults to -1.
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of Lin's concordance correlation between labels and predictions along `axis`.

    Args:
        name: Defaults to "concordance_correlation".
        dtype: Defaults to `floatx()`.
        axis: the axis along which each correlation is taken. Defaults to -1.

    Example:
        >>> m = ConcordanceCorrelation()
        >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
        >>> round(float(m.result()), 4)
        0.9816
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
