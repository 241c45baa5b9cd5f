"""Regression metrics: running means of the squared and absolute errors.

Example:
    >>> m = MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
"""
from numkeras.losses.losses import mean_absolute_error, mean_squared_error
from numkeras.metrics.reduction_metrics import MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """The mean of `mean(square(y_true - y_pred), axis=-1)` over the samples seen.

    Args:
        name: Defaults to "mean_squared_error".
        dtype: Defaults to `floatx()`.
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
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

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
