"""Crossentropy metrics: running means of the crossentropy losses.

Example:
    >>> m = CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 3)
    1.177
"""
from numkeras.backend import epsilon, xp
from numkeras.losses import losses
from numkeras.metrics.metric import raw
from numkeras.metrics.reduction_metrics import MeanMetricWrapper
from numkeras.metrics.regression_metrics import _ErrorMean, float_pair


def kl_divergence_error(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred), axis=-1), both clipped to [epsilon, 1], on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    y_true, y_pred = xp.clip(y_true, epsilon(), 1), xp.clip(y_pred, epsilon(), 1)
    return (y_true * xp.log(y_true / y_pred)).sum(axis=-1)


def poisson_error(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + epsilon), axis=-1) on arrays."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return (y_pred - y_true * xp.log(y_pred + epsilon())).mean(axis=-1)


class KLDivergence(_ErrorMean):
    """The mean Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)` over the samples seen.

    Args:
        name: Defaults to "kl_divergence".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.4581
    """
    _function = staticmethod(kl_divergence_error)

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name=name, dtype=dtype)


class Poisson(_ErrorMean):
    """The mean of `mean(y_pred - y_true * log(y_pred), axis=-1)` over the samples seen.

    Args:
        name: Defaults to "poisson".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> round(float(m.result()), 4)
        0.5
    """
    _function = staticmethod(poisson_error)

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name=name, dtype=dtype)


class BinaryCrossentropy(MeanMetricWrapper):
    """The running mean of `binary_crossentropy`.

    Args:
        name: Defaults to "binary_crossentropy".
        dtype: Defaults to `floatx()`.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: Defaults to 0.
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(MeanMetricWrapper):
    """The running mean of `categorical_crossentropy`.

    Args:
        name: Defaults to "categorical_crossentropy".
        dtype: Defaults to `floatx()`.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: Defaults to 0.
        axis: the class axis. Defaults to -1.
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0,
                 axis=-1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The running mean of `sparse_categorical_crossentropy`; ignored entries do not count.

    Args:
        name: Defaults to "sparse_categorical_crossentropy".
        dtype: Defaults to `floatx()`.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        ignore_class: a label value to leave out. Defaults to None.
        axis: the class axis. Defaults to -1.
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def _values_and_mask(self, y_true, y_pred):
        values, mask = losses._sparse_crossentropy(y_true, y_pred, **self._fn_kwargs)
        return raw(values), mask

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}
