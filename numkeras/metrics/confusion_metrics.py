"""Metrics built on confusion-matrix counts: TP/FP/TN/FN, Precision, Recall and the X-at-Y metrics.

Every one of them counts, at one or more thresholds, the (weighted) entries
whose prediction is above the threshold (`y_pred > t`) and whose label is
nonzero; see `confusion_utils`.

Example:
    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
"""
from numkeras.backend import xp
from numkeras.metrics.confusion_utils import (NEG_INF, confusion_counts, divide_no_nan, is_evenly_distributed,
                                              parse_thresholds)
from numkeras.metrics.metric import Metric


class _ThresholdedMetric(Metric):
    """Keeps some of the counts tp/fp/tn/fn, one per threshold, and updates them from each batch."""

    _counts = ()  # which of "tp", "fp", "tn", "fn" this metric keeps
    _names = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives", "fn": "false_negatives"}

    def _add_counts(self, thresholds, top_k=None, class_id=None):
        self.thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self._evenly = is_evenly_distributed(thresholds)
        for key in self._counts:
            setattr(self, self._names[key], self.add_variable(shape=(len(thresholds),), name=self._names[key]))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted counts.

        Args:
            y_true: labels of the same shape as y_pred (nonzero is positive).
            y_pred: predicted scores, normally in [0, 1].
            sample_weight: None, a scalar, or weights broadcastable to y_true. Defaults to 1.
        """
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight, evenly=self._evenly,
                                  top_k=self.top_k, class_id=self.class_id, dtype=self.dtype)
        for key in self._counts:
            getattr(self, self._names[key]).assign_add(counts[key])

    def _scalar_or_vector(self, value):
        value = xp.array(value, dtype=self.dtype)  # a copy: the result must not follow later updates
        return value[0, ...] if len(self.thresholds) == 1 else value  # a 0-d array, as Mean gives


class _ConditionCount(_ThresholdedMetric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._add_counts(parse_thresholds(thresholds, default=0.5))
        self.accumulator = getattr(self, self._names[self._counts[0]])

    def result(self):
        return self._scalar_or_vector(self.accumulator.data)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConditionCount):
    """The (weighted) number of true positives: label nonzero, prediction above the threshold.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold. Defaults to 0.5.
            With logits (no sigmoid), pass 0.
        name: Defaults to "true_positives".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        2.0
    """
    _counts = ("tp",)


class FalsePositives(_ConditionCount):
    """The (weighted) number of false positives: label zero, prediction above the threshold.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold. Defaults to 0.5.
        name: Defaults to "false_positives".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> float(m.result())
        2.0
    """
    _counts = ("fp",)


class TrueNegatives(_ConditionCount):
    """The (weighted) number of true negatives: label zero, prediction at or below the threshold.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold. Defaults to 0.5.
        name: Defaults to "true_negatives".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """
    _counts = ("tn",)


class FalseNegatives(_ConditionCount):
    """The (weighted) number of false negatives: label nonzero, prediction at or below the threshold.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold. Defaults to 0.5.
        name: Defaults to "false_negatives".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """
    _counts = ("fn",)


class _PrecisionOrRecall(_ThresholdedMetric):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        # with top_k and no thresholds, every kept prediction counts as positive
        default = 0.5 if top_k is None else NEG_INF
        self._add_counts(parse_thresholds(thresholds, default=default), top_k=top_k, class_id=class_id)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionOrRecall):
    """The precision of the predictions: tp / (tp + fp).

    With `top_k`, only the k highest predictions of each sample can be
    positive; with `class_id`, only that column of the labels and predictions
    counts.

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold. Defaults to 0.5
            (or, with top_k, every top-k prediction is positive). With logits, pass 0.
        top_k: Defaults to None.
        class_id: a class index in [0, num_classes). Defaults to None.
        name: Defaults to "precision".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> float(m.result())
        1.0
    """
    _counts = ("tp", "fp")

    def result(self):
        tp, fp = self.true_positives.data, self.false_positives.data
        return self._scalar_or_vector(divide_no_nan(tp, tp + fp))


class Recall(_PrecisionOrRecall):
    """The recall of the predictions: tp / (tp + fn).

    Args:
        thresholds: a float or a list of floats in [0, 1]; one result per threshold. Defaults to 0.5
            (or, with top_k, every top-k prediction is positive). With logits, pass 0.
        top_k: Defaults to None.
        class_id: a class index in [0, num_classes). Defaults to None.
        name: Defaults to "recall".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """
    _counts = ("tp", "fn")

    def result(self):
        tp, fn = self.true_positives.data, self.false_negatives.data
        return self._scalar_or_vector(divide_no_nan(tp, tp + fn))


class SensitivitySpecificityBase(_ThresholdedMetric):
    """Keeps all four counts at `num_thresholds` thresholds evenly spaced over [0, 1] (0 and 1 included).

    A subclass picks the best value of one rate among the thresholds where
    another rate reaches `value`.
    """
    _counts = ("tp", "fp", "tn", "fn")

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError(f"Argument `num_thresholds` must be an integer > 0. Received: "
                             f"num_thresholds={num_thresholds!r}")
        self.value = value
        self.num_thresholds = num_thresholds
        if num_thresholds == 1:
            thresholds = [0.5]
        else:
            thresholds = [0.0] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1.0]
        self._add_counts(thresholds, class_id=class_id)

    def _rates(self):
        tp, fp, tn, fn = (v.data for v in (self.true_positives, self.false_positives, self.true_negatives,
                                           self.false_negatives))
        return {"sensitivity": divide_no_nan(tp, tp + fn), "recall": divide_no_nan(tp, tp + fn),
                "specificity": divide_no_nan(tn, tn + fp), "precision": divide_no_nan(tp, tp + fp)}

    def _max_where(self, constrained, dependent):
        """The largest `dependent` rate among thresholds where the `constrained` rate >= value (0 if none)."""
        rates = self._rates()
        feasible = rates[constrained] >= self.value
        return xp.asarray(xp.max(xp.where(feasible, rates[dependent], 0), initial=0), dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds}


def _check_rate(name, value):
    if not 0 <= value <= 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (tp / (tp + fn)) among thresholds where specificity (tn / (tn + fp)) >= `specificity`.

    Args:
        specificity: a value in [0, 1].
        num_thresholds: Defaults to 200.
        class_id: a class index to restrict to. Defaults to None.
        name: Defaults to "sensitivity_at_specificity".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("specificity", specificity)
        self.specificity = specificity
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._max_where("specificity", "sensitivity")

    def get_config(self):
        return {**super().get_config(), "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity (tn / (tn + fp)) among thresholds where sensitivity (tp / (tp + fn)) >= `sensitivity`.

    Args:
        sensitivity: a value in [0, 1].
        num_thresholds: Defaults to 200.
        class_id: a class index to restrict to. Defaults to None.
        name: Defaults to "specificity_at_sensitivity".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> round(float(m.result()), 4)
        0.6667
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._max_where("sensitivity", "specificity")

    def get_config(self):
        return {**super().get_config(), "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among thresholds where recall >= `recall`.

    Args:
        recall: a value in [0, 1].
        num_thresholds: Defaults to 200.
        class_id: a class index to restrict to. Defaults to None.
        name: Defaults to "precision_at_recall".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("recall", recall)
        self.recall = recall
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._max_where("recall", "precision")

    def get_config(self):
        return {**super().get_config(), "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among thresholds where precision >= `precision` (0 when no threshold reaches it).

    Args:
        precision: a value in [0, 1].
        num_thresholds: Defaults to 200.
        class_id: a class index to restrict to. Defaults to None.
        name: Defaults to "recall_at_precision".
        dtype: Defaults to `floatx()`.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.5
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_rate("precision", precision)
        self.precision = precision
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._max_where("precision", "recall")

    def get_config(self):
        return {**super().get_config(), "precision": self.precision}
