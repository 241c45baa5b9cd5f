"""Intersection-over-union metrics for segmentation: IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU.

All keep one confusion matrix over the batches seen (rows: true classes, columns: predicted
classes). For class c, `IoU = TP / (TP + FP + FN)`; the result is the mean over the target
classes that occurred (a class neither true nor predicted anywhere is left out of the mean).
As in Keras the matrix is kept in integers by default, so float sample weights are truncated
(a warning says so); pass `dtype="float32"` for fractional weights.

Example:
    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)  # each class: 1 / (1 + 1 + 1)
    0.3333
"""
import warnings

import numpy as np

from numkeras.backend import epsilon, standardize_dtype
from numkeras.metrics.metric import Metric, raw


class _IoUBase(Metric):
    """The confusion matrix every IoU metric accumulates."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
            raise ValueError(f"{type(self).__name__}: num_classes must be a positive integer. Received: "
                             f"num_classes={num_classes!r}.")
        super().__init__(name=name, dtype=standardize_dtype("int64" if dtype in (None, "int") else dtype))
        self.num_classes = int(num_classes)
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(self.num_classes, self.num_classes), initializer="zeros",
                                          name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) pairs of true and predicted classes to the confusion matrix.

        Args:
            y_true: class ids (or one-hot/probabilities along `axis` when not sparse).
            y_pred: class ids (or scores along `axis` when not sparse).
            sample_weight: optional weights: one per sample, or broadcastable to the class ids.
                Defaults to 1.
        """
        y_true, y_pred = raw(y_true), raw(y_pred)
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)
        dtype = np.dtype(self.dtype)
        shape = np.shape(y_true)
        y_true = np.asarray(y_true).astype(dtype).reshape(-1)
        y_pred = np.asarray(y_pred).astype(dtype).reshape(-1)
        if y_true.shape != y_pred.shape:
            raise ValueError(f"{type(self).__name__}: y_true and y_pred hold {y_true.size} and {y_pred.size} class "
                             "ids. Pass one predicted class per true class.")
        if sample_weight is None:
            weights = np.ones(y_true.shape, dtype)
        else:
            sample_weight = np.asarray(raw(sample_weight))
            if sample_weight.dtype.kind == "f" and dtype.kind in "iu":
                warnings.warn(f"{type(self).__name__}: sample_weight is float but the metric counts in {dtype}, so "
                              "the weights are truncated to integers. Pass integer weights, or create the metric "
                              "with dtype='float32'.", stacklevel=2)
            weights = sample_weight.astype(dtype)
            if 0 < weights.ndim < len(shape) and weights.shape == shape[:weights.ndim]:
                weights = weights.reshape(weights.shape + (1,) * (len(shape) - weights.ndim))  # one per sample
            try:
                weights = np.broadcast_to(weights, shape).reshape(-1)
            except ValueError:
                raise ValueError(f"{type(self).__name__}: sample_weight of shape {sample_weight.shape} does not "
                                 f"broadcast to the labels' shape {shape}. Pass one weight per sample or per "
                                 "label.") from None
        valid = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        index = y_true[valid].astype("int64") * self.num_classes + y_pred[valid].astype("int64")
        counts = np.bincount(index, weights=weights[valid].astype("float64"), minlength=self.num_classes ** 2)
        self.total_cm.assign_add(counts.reshape(self.num_classes, self.num_classes).astype(dtype))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "num_classes": self.num_classes,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class IoU(_IoUBase):
    """The mean intersection-over-union of the classes in `target_class_ids`.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes averaged over (a list or tuple of ids).
        name: Defaults to "io_u".
        dtype: the dtype of the confusion matrix. Defaults to "int64".
        ignore_class: a true class id whose pixels are left out (e.g. "void"). Defaults to None.
        sparse_y_true: whether labels are class ids (True) or one-hot along `axis`. Defaults to True.
        sparse_y_pred: whether predictions are class ids (True) or scores along `axis`. Defaults to True.
        axis: the class axis of non-sparse inputs. Defaults to -1.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[3, 2, 1, 1])
        >>> round(float(m.result()), 4)  # class 0: 3 / (3 + 2 + 1)
        0.5
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        target_class_ids = list(target_class_ids)
        if not target_class_ids or max(target_class_ids) >= num_classes or min(target_class_ids) < 0:
            raise ValueError(f"{type(self).__name__}: target_class_ids must be class ids in [0, {num_classes}). "
                             f"Received: target_class_ids={target_class_ids}.")
        self.target_class_ids = target_class_ids

    def result(self):
        cm = self.total_cm.data.astype("float64")
        true_pos = np.diag(cm)
        union = cm.sum(axis=0) + cm.sum(axis=1) - true_pos
        ids = np.asarray(self.target_class_ids, dtype="int64")
        true_pos, union = true_pos[ids].astype("float32"), union[ids].astype("float32")
        present = union > 1e-9
        iou = np.where(present, true_pos / (union + np.float32(epsilon())), np.float32(0.0))
        return np.asarray(iou.sum() / (present.sum(dtype="float32") + np.float32(epsilon())), dtype="float32")

    def get_config(self):
        return {**super().get_config(), "target_class_ids": self.target_class_ids}


class MeanIoU(IoU):
    """The intersection-over-union averaged over every class.

    Args:
        num_classes: the number of classes.
        name: Defaults to "mean_io_u".
        dtype, ignore_class, sparse_y_true, sparse_y_pred, axis: see `IoU`.

    Example:
        >>> m = MeanIoU(num_classes=3)
        >>> m.update_state([0, 1, 2, 2], [0, 1, 2, 1])
        >>> round(float(m.result()), 4)  # (1 + 1/2 + 1/2) / 3
        0.6667
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        super().__init__(num_classes, list(range(num_classes)) if isinstance(num_classes, int) else [0],
                         name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class BinaryIoU(IoU):
    """The IoU of binary masks: predictions at or above `threshold` count as class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 to average over. Defaults to (0, 1).
        threshold: the decision threshold on the predictions. Defaults to 0.5.
        name: Defaults to "binary_io_u".
        dtype: see `IoU`.

    Example:
        >>> m = BinaryIoU(target_class_ids=[1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> round(float(m.result()), 4)  # class 1: 1 / (1 + 1 + 1)
        0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Thresholds `y_pred` into classes 0 and 1, then counts as `IoU` does."""
        y_pred = (np.asarray(raw(y_pred), dtype="float32") >= self.threshold).astype("int64")
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


class OneHotIoU(IoU):
    """`IoU` for one-hot labels and per-class scores (the class is the argmax along `axis`).

    Args:
        num_classes, target_class_ids, name, dtype, ignore_class, axis: see `IoU`.
        sparse_y_pred: whether predictions are class ids already. Defaults to False.

    Example:
        >>> m = OneHotIoU(num_classes=2, target_class_ids=[1])
        >>> m.update_state([[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and per-class scores (the class is the argmax along `axis`).

    Args:
        num_classes, name, dtype, ignore_class, axis: see `IoU`.
        sparse_y_pred: whether predictions are class ids already. Defaults to False.

    Example:
        >>> m = OneHotMeanIoU(num_classes=2)
        >>> m.update_state([[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
        >>> round(float(m.result()), 4)  # class 0: 1/2, class 1: 1/2
        0.5
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
