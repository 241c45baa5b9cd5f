"""AUC: the area under the ROC or precision-recall curve, from counts at fixed thresholds.

The counts (tp, fp, tn, fn) are kept at `num_thresholds` thresholds, the
first just below 0 and the last just above 1; the curve through the points
they give is integrated with a Riemann sum, as Keras does:
- ROC with 'interpolation': the trapezoid rule over (false positive rate, recall).
- PR with 'interpolation': tp and fp vary linearly between two thresholds
  (not the precision itself; Davis & Goadrich, 2006), which integrates in
  closed form.
- 'minoring' / 'majoring': the lower / upper of the two heights of each step.

Example:
    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.75
"""
from numkeras.backend import epsilon, xp
from numkeras.metrics.confusion_utils import confusion_counts, divide_no_nan, is_evenly_distributed
from numkeras.metrics.metric import Metric, raw

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """Approximates the area under the ROC curve (default) or the precision-recall curve.

    Predictions are bucketed at fixed thresholds, so the approximation is
    best when the predictions spread over [0, 1]; more thresholds give a
    finer curve.

    Args:
        num_thresholds: the number of thresholds, > 1. Defaults to 200.
        curve: 'ROC' or 'PR' (or 'PRGAIN'). Defaults to 'ROC'.
        summation_method: 'interpolation', 'minoring' or 'majoring'. Defaults to 'interpolation'.
        name: Defaults to "auc".
        dtype: Defaults to `floatx()`.
        thresholds: a list of thresholds in [0, 1] to use instead of evenly spaced ones (the endpoints
            -epsilon and 1 + epsilon are added); num_thresholds is then ignored. Defaults to None.
        multi_label: treat the last axis of 2-D data as separate labels: one AUC per label, then their
            (label_weights-weighted) mean. When False, all entries are flattened into one binary problem.
            Defaults to False.
        num_labels: the number of labels when multi_label is True (else found on the first batch).
        label_weights: non-negative weights of the labels: for the mean of the label AUCs with
            multi_label, else for the entries of each label in the counts. Defaults to None.
        from_logits: whether y_pred holds logits (a sigmoid is applied first). Defaults to False.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
        >>> float(m.result())
        1.0
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        if str(curve).lower() not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"].')
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". Expected values are '
                             '["interpolation", "majoring", "minoring"].')
        self.curve = _CURVES[str(curve).lower()]
        self.summation_method = str(summation_method).lower()
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
            self._evenly = is_evenly_distributed([0.0] + inner + [1.0])
        else:
            if not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: "
                                 f"num_thresholds={num_thresholds!r}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        # endpoints just outside [0, 1], so predictions of exactly 0 and 1 fall inside the curve
        self._thresholds = [0.0 - epsilon()] + inner + [1.0 + epsilon()]
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else xp.asarray(label_weights, dtype=self.dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True. Received: "
                                 f"num_labels={num_labels}, multi_label=False.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds at which the counts are kept (endpoints included)."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {len(shape)}. "
                                 f"Full shape received for `y_pred`: {tuple(shape)}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts at every threshold.

        Args:
            y_true: labels (nonzero is positive), of y_pred's shape.
            y_pred: scores in [0, 1], or logits with from_logits=True.
            sample_weight: None, a scalar, or weights broadcastable to y_true. Defaults to 1.
        """
        y_pred = raw(y_pred).astype(self.dtype, copy=False)
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            y_pred = _sigmoid(y_pred)
        counts = confusion_counts(y_true, y_pred, self._thresholds, sample_weight, evenly=self._evenly,
                                  multi_label=self.multi_label,
                                  label_weights=None if self.multi_label else self.label_weights, dtype=self.dtype)
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    def result(self):
        if not self._built:
            return xp.asarray(0, dtype=self.dtype)
        tp, fp, tn, fn = (v.data.astype("float64") for v in (self.true_positives, self.false_positives,
                                                              self.true_negatives, self.false_negatives))
        if self.curve == "PR" and self.summation_method == "interpolation":
            areas = _interpolated_pr_areas(tp, fp, fn)
        else:
            x, y = _curve(self.curve, tp, fp, tn, fn)
            if self.summation_method == "interpolation":
                heights = (y[:-1] + y[1:]) / 2
            elif self.summation_method == "minoring":
                heights = xp.minimum(y[:-1], y[1:])
            else:
                heights = xp.maximum(y[:-1], y[1:])
            areas = (x[:-1] - x[1:]) * heights
        by_label = areas.sum(axis=0)
        if not self.multi_label:
            value = by_label
        elif self.label_weights is None:
            value = by_label.mean()
        else:
            value = divide_no_nan((by_label * self.label_weights).sum(), self.label_weights.sum())
        return xp.asarray(value, dtype=self.dtype)

    def get_config(self):
        label_weights = None if self.label_weights is None else self.label_weights.tolist()
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": label_weights, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]  # without the added endpoints
        return config


def _curve(curve, tp, fp, tn, fn):
    """The (x, y) points of the curve, one per threshold."""
    recall = divide_no_nan(tp, tp + fn)
    if curve == "ROC":
        return divide_no_nan(fp, fp + tn), recall
    if curve == "PR":
        return recall, divide_no_nan(tp, tp + fp)
    # PR gain (Flach & Kull, 2015): recall and precision rescaled by positives / negatives
    scale = divide_no_nan(tp + fn, tn + fp)
    recall_gain = xp.where(tp == 0, 0, 1 - scale * divide_no_nan(fn, tp))
    precision_gain = xp.where(tp == 0, 1, 1 - scale * divide_no_nan(fp, tp))
    return xp.maximum(recall_gain, 0), precision_gain


def _interpolated_pr_areas(tp, fp, fn):
    """Area of each step of the PR curve with tp and predicted positives p = tp + fp linear between thresholds.

    On a step from A to B, precision = (tp_A + slope * (p - p_A)) / p with
    slope = dtp / dp; integrating over recall = tp / (tp_B + fn_B) gives
    slope * (dtp + intercept * log(p_A / p_B)) / (tp_B + fn_B).
    """
    p = tp + fp
    dtp = tp[:-1] - tp[1:]
    dp = p[:-1] - p[1:]
    slope = divide_no_nan(dtp, xp.maximum(dp, 0))
    intercept = tp[1:] - slope * p[1:]
    both = (p[:-1] > 0) & (p[1:] > 0)
    ratio = xp.where(both, divide_no_nan(p[:-1], xp.maximum(p[1:], 0)), 1)
    return divide_no_nan(slope * (dtp + intercept * xp.log(ratio)), xp.maximum(tp[1:] + fn[1:], 0))


def _sigmoid(x):
    """A sigmoid that does not overflow for large |x|."""
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
