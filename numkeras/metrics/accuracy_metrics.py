"""Accuracy metrics: how often predictions match labels, as functions and running means.

The functions return one value per sample (1.0 for a match, else 0.0); the
classes keep their sample-weighted running mean.

Example:
    >>> m = CategoricalAccuracy()
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> float(m.result())
    0.5
"""
from numkeras.backend import floatx, xp
from numkeras.engine.tensor import Tensor
from numkeras.metrics.metric import raw, squeeze_or_expand_to_same_rank
from numkeras.metrics.reduction_metrics import MeanMetricWrapper


def accuracy(y_true, y_pred):
    """1.0 where `y_pred` equals `y_true` exactly, else 0.0.

    Example:
        >>> accuracy([1, 2, 3], [1, 2, 4]).numpy()
        array([1., 1., 0.], dtype=float32)
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(raw(y_true), raw(y_pred))
    return Tensor((y_true == y_pred).astype(floatx()))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `y_pred > threshold` agrees with the binary label, else 0.0.

    Example:
        >>> binary_accuracy([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]).numpy().ravel()
        array([1., 1., 1., 0.], dtype=float32)
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(raw(y_true), raw(y_pred))
    return Tensor((y_true == (y_pred > threshold).astype(y_true.dtype)).astype(floatx()))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` is the arg-max of the one-hot `y_true`, else 0.0.

    Example:
        >>> categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]).numpy()
        array([0., 1.], dtype=float32)
    """
    y_true, y_pred = raw(y_true), raw(y_pred)
    return Tensor((y_true.argmax(axis=-1) == y_pred.argmax(axis=-1)).astype(floatx()))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` equals the integer label, else 0.0.

    `y_true` has shape (batch,) or (batch, 1).

    Example:
        >>> sparse_categorical_accuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]).numpy()
        array([0., 1.], dtype=float32)
    """
    y_true, y_pred = raw(y_true), raw(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return Tensor((y_true == y_pred.argmax(axis=-1)).astype(floatx()))


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Args:
        name: Defaults to "accuracy".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often predictions match binary labels, a prediction counting as 1 when above `threshold`.

    Args:
        name: Defaults to "binary_accuracy".
        dtype: Defaults to `floatx()`.
        threshold: Defaults to 0.5.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of the predictions matches the one-hot labels.

    Args:
        name: Defaults to "categorical_accuracy".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3])
        >>> round(float(m.result()), 4)
        0.3
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of the predictions matches integer labels.

    Args:
        name: Defaults to "sparse_categorical_accuracy".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the arg-max of the one-hot `y_true` is among the `k` highest predictions, else 0.0.

    A class tied with the k-th highest prediction counts as in the top k.

    Example:
        >>> top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1).numpy()
        array([0., 1.], dtype=float32)
    """
    return _in_top_k(raw(y_true).argmax(axis=-1), raw(y_pred), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest predictions, else 0.0.

    Args:
        y_true: integer labels of shape (batch,) or (batch, 1).
        y_pred: scores of shape (batch, classes); with `from_sorted_ids=True`, the ids of the top
            classes, best first, of shape (batch, N) with N >= k.
        k: Defaults to 5.
        from_sorted_ids: Defaults to False.

    Example:
        >>> sparse_top_k_categorical_accuracy([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1).numpy()
        array([0., 1.], dtype=float32)
    """
    y_true, y_pred = raw(y_true), raw(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    if from_sorted_ids:
        hits = (y_true[..., None] == y_pred[..., :k]).any(axis=-1)
        return Tensor(hits.astype(floatx()))
    return _in_top_k(y_true, y_pred, k)


def _in_top_k(labels, y_pred, k):
    """Whether each label's score has fewer than k scores strictly above it (a nan score never counts)."""
    labels = labels.astype("int64")
    score = xp.take_along_axis(y_pred, labels[..., None], axis=-1)
    score = xp.where(xp.isnan(score), -xp.inf, score)
    rank = (y_pred > score).sum(axis=-1)
    return Tensor((rank < k).astype(floatx()))


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the `k` highest predictions.

    Args:
        k: the number of top predictions to look at. Defaults to 5.
        name: Defaults to "top_k_categorical_accuracy".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` highest predictions.

    Args:
        k: the number of top predictions to look at. Defaults to 5.
        name: Defaults to "sparse_top_k_categorical_accuracy".
        dtype: Defaults to `floatx()`.
        from_sorted_ids: whether y_pred holds the ids of the top classes, best first, instead of
            scores for every class. Defaults to False.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
