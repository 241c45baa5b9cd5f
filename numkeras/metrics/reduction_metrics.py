"""Sum, Mean and MeanMetricWrapper: running (weighted) totals over batches.

`Mean` keeps `total` (the weighted sum of the values) and `count` (the sum
of the weights, or the number of samples); its result is total / count.

Example:
    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
"""
from numkeras.backend import xp
from numkeras.metrics.metric import Metric, raw, squeeze_or_expand_to_same_rank


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample (as Keras does).

    Returns:
        (values of shape (batch,) or (), the per-sample weights or None).
    """
    values = raw(values).astype(dtype, copy=False)
    if sample_weight is not None:
        sample_weight = raw(sample_weight).astype(dtype, copy=False)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.ndim
        if values.ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values.ndim)))
        try:
            sample_weight = xp.broadcast_to(sample_weight, values.shape)
        except ValueError:
            raise ValueError(f"sample_weight of shape {sample_weight.shape} does not broadcast to the metric values "
                             f"of shape {values.shape}. Pass one weight per sample.") from None
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values seen so far.

    Args:
        name: Defaults to "sum".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Sum()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, xp.sum, self.dtype)
        self.total.assign_add(values.sum())

    def result(self):
        return xp.array(self.total.data, dtype=self.dtype)


class Mean(Metric):
    """The (weighted) mean of the values seen so far: total / count.

    Args:
        name: Defaults to "mean".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Mean()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        4.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values, sample_weight=None):
        values = raw(values)
        if values.ndim <= 1 and (sample_weight is None or raw(sample_weight).ndim == 0):
            # The per-step common case (one value per sample, or the loss weighted by the batch size),
            # summed straight into the accumulators.
            weight = 1 if sample_weight is None else float(raw(sample_weight))
            self.total.data += values.sum(dtype=self.total.data.dtype) * weight
            self.count.data += (values.size if values.ndim else 1) * weight
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, xp.mean, self.dtype)
        self.total.assign_add(values.sum())
        if sample_weight is not None:
            count = sample_weight.sum()
        else:
            count = values.shape[0] if values.ndim else 1
        self.count.assign_add(count)

    def result(self):
        count = self.count.data
        # divide_no_nan: before any update the mean is 0, not nan
        value = self.total.data / count if count else 0
        return xp.array(value, dtype=self.dtype)


class MeanMetricWrapper(Mean):
    """The running mean of a per-sample function `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: the function; it gets arrays and returns per-sample values.
        name: Defaults to "mean_metric_wrapper".
        dtype: Defaults to `floatx()`.
        **kwargs: passed on to `fn`.

    Example:
        >>> import numpy as np
        >>> def squared_error(y_true, y_pred):
        ...     return (np.asarray(y_true) - np.asarray(y_pred)) ** 2
        >>> m = MeanMetricWrapper(squared_error)
        >>> m.update_state([0.0, 1.0], [1.0, 1.0])
        >>> float(m.result())
        0.5
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or "mean_metric_wrapper", dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        in_mask = getattr(y_pred, "_keras_mask", None)  # a masked output: its padding does not count
        values, mask = self._values_and_mask(raw(y_true), raw(y_pred))
        if in_mask is not None:
            in_mask = raw(in_mask).astype(bool)
            mask = in_mask if mask is None else raw(mask).astype(bool) & in_mask
        if mask is not None:
            mask = mask.astype(self.dtype)
            sample_weight = mask if sample_weight is None else _masked(raw(sample_weight), mask)
        super().update_state(values, sample_weight=sample_weight)

    def _values_and_mask(self, y_true, y_pred):
        """Per-sample values and a mask of those that count (None: all do)."""
        return raw(self._fn(y_true, y_pred, **self._fn_kwargs)), None

    def get_config(self):
        from numkeras.losses.registry import serialize
        return {"name": self.name, "dtype": self.dtype, "fn": serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), str):
            from numkeras.metrics.registry import function_by_name
            config["fn"] = function_by_name(config["fn"])
        return cls(**config)


def _masked(sample_weight, mask):
    sample_weight, mask = squeeze_or_expand_to_same_rank(sample_weight, mask)
    return sample_weight * mask
