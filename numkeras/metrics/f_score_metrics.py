"""F-scores: the weighted harmonic mean of precision and recall, per class or averaged.

    f_beta = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)

Example:
    >>> import numpy as np
    >>> m = F1Score(threshold=0.5)
    >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]]),
    ...                np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]))
    >>> np.round(m.result(), 4)
    array([0.5   , 0.8   , 0.6667], dtype=float32)
"""
from numbers import Real

from numkeras.backend import epsilon, xp
from numkeras.metrics.metric import Metric, raw

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score of multi-class or multi-label predictions of shape (batch, classes).

    Args:
        average: None (one score per class), 'micro' (one score from the counts summed over classes),
            'macro' (the mean of the class scores) or 'weighted' (their mean weighted by each class's
            number of true instances). Defaults to None.
        beta: how much more recall weighs than precision, > 0. Defaults to 1.0.
        threshold: predictions above it count as positive; None marks each row's largest prediction
            (ties all count) as the one positive. Defaults to None.
        name: Defaults to "fbeta_score".
        dtype: Defaults to `floatx()`.

    Example:
        >>> import numpy as np
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]]),
        ...                np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]))
        >>> np.round(m.result(), 4)
        array([0.3846, 0.9091, 0.8333], dtype=float32)
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                             f"'weighted'}}. Received: average={average!r}")
        if isinstance(beta, bool) or not isinstance(beta, Real) or not beta > 0:
            raise ValueError(f"Invalid `beta` argument value. It should be a float > 0. Received: beta={beta!r}")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, Real)
                                      or not 0 < threshold <= 1):
            raise ValueError("Invalid `threshold` argument value. It should be a float with 0 < threshold <= 1 "
                             f"(or None for the argmax). Received: threshold={threshold!r}")
        self.average = average
        self.beta = float(beta)
        self.threshold = None if threshold is None else float(threshold)
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={pred_shape} and y_true.shape={true_shape}.")
        shape = () if self.average == "micro" else (pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, name, self.add_variable(shape=shape, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted counts.

        Args:
            y_true: 0/1 labels of shape (batch, classes).
            y_pred: scores of shape (batch, classes).
            sample_weight: None, or weights of shape (batch,) or (batch, classes). Defaults to 1.
        """
        y_true = raw(y_true).astype(self.dtype, copy=False)
        y_pred = raw(y_pred).astype(self.dtype, copy=False)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            # the row maximum is the prediction; an all-zero row predicts nothing
            predicted = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (xp.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(self.dtype)
        if sample_weight is not None:
            sample_weight = raw(sample_weight).astype(self.dtype, copy=False)
            sample_weight = sample_weight.reshape(sample_weight.shape + (1,) * (y_true.ndim - sample_weight.ndim))

        def weighted_sum(values):
            if sample_weight is not None:
                values = values * sample_weight
            return values.sum(axis=self.axis)

        self.true_positives.assign_add(weighted_sum(predicted * y_true))
        self.false_positives.assign_add(weighted_sum(predicted * (1 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1 - predicted) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        if not self._built:
            return xp.asarray(0, dtype=self.dtype)
        tp, fp, fn = self.true_positives.data, self.false_positives.data, self.false_negatives.data
        eps = epsilon()
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        b2 = self.beta ** 2
        score = (1 + b2) * precision * recall / (b2 * precision + recall + eps)
        if self.average == "weighted":
            support = self.intermediate_weights.data
            score = (score * support / (support.sum() + eps)).sum()
        elif self.average is not None:
            score = score.mean()
        return xp.asarray(score, dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score: the harmonic mean of precision and recall (FBetaScore with beta=1).

    Args:
        average: None, 'micro', 'macro' or 'weighted' (see FBetaScore). Defaults to None.
        threshold: predictions above it count as positive; None marks each row's largest. Defaults to None.
        name: Defaults to "f1_score".
        dtype: Defaults to `floatx()`.

    Example:
        >>> import numpy as np
        >>> m = F1Score(average="micro")
        >>> m.update_state(np.eye(3)[[0, 1, 2, 2]], np.eye(3)[[0, 1, 2, 1]])
        >>> round(float(m.result()), 4)
        0.75
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
