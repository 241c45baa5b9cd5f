"""MonitorCallback: the shared base of callbacks that watch one logged quantity.

EarlyStopping, ModelCheckpoint and ReduceLROnPlateau all decide whether a
new value of `monitor` is an improvement on the best one so far. This base
picks the comparison (from `mode`, or from the metric's direction in
"auto" mode) and applies `min_delta`.

Example:
    >>> from numkeras.callbacks.monitor_callback import MonitorCallback
    >>> watcher = MonitorCallback(monitor="val_loss", min_delta=0.1)
    >>> watcher._set_monitor_op()
    >>> watcher._is_improvement(0.85, 1.0), watcher._is_improvement(0.95, 1.0)
    (True, False)
"""
import operator
import warnings

from numkeras.callbacks.callback import Callback

# Whether a larger value is better, for the metrics that do not say so
# themselves through a `_direction` attribute ("up" or "down"), as Keras's do.
_DIRECTIONS = {
    "Accuracy": "up", "BinaryAccuracy": "up", "CategoricalAccuracy": "up",
    "SparseCategoricalAccuracy": "up", "TopKCategoricalAccuracy": "up",
    "SparseTopKCategoricalAccuracy": "up", "AUC": "up", "Precision": "up",
    "Recall": "up", "F1Score": "up", "FBetaScore": "up", "R2Score": "up",
    "MeanIoU": "up", "IoU": "up", "CosineSimilarity": "up",
    "BinaryCrossentropy": "down", "CategoricalCrossentropy": "down",
    "SparseCategoricalCrossentropy": "down", "MeanSquaredError": "down",
    "MeanAbsoluteError": "down", "MeanAbsolutePercentageError": "down",
    "MeanSquaredLogarithmicError": "down", "RootMeanSquaredError": "down",
    "Hinge": "down", "SquaredHinge": "down", "CategoricalHinge": "down",
    "KLDivergence": "down", "Poisson": "down", "LogCoshError": "down",
}


def metric_direction(metric):
    """Returns "up", "down" or None: which way `metric` gets better."""
    direction = getattr(metric, "_direction", None)
    return direction or _DIRECTIONS.get(type(metric).__name__)


class MonitorCallback(Callback):
    """Base class for callbacks that compare a monitored value to its best.

    Not meant to be used directly: subclass it.

    Args:
        monitor: the log key to watch. Defaults to "val_loss".
        mode: one of "auto", "min", "max". In "min" mode smaller is better,
            in "max" mode larger is better; "auto" infers the direction from
            the monitored metric. Defaults to "auto".
        baseline: initial best value, or None to take the first value seen.
            Defaults to None.
        min_delta: smallest absolute change that counts as an improvement.
            Defaults to 0.

    Raises:
        ValueError: at the first epoch end, in "auto" mode, when the
            direction of `monitor` cannot be inferred.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                          stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        # Deferred to the first epoch end: compiled metrics exist only then.
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            for metric in _flat_metrics(self.model):
                direction = metric_direction(metric) if metric.name == name else None
                if direction is not None:
                    self.monitor_op = operator.gt if direction == "up" else operator.lt
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but numkeras isn't able to "
                    "automatically determine whether that metric should be maximized or minimized. Pass "
                    "`mode='max'` in order to monitor based on the highest metric value, or pass `mode='min'` "
                    "in order to use the lowest value.")
        if self.monitor_op is operator.lt:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))


def _flat_metrics(model):
    """The model's metrics, with the compile_metrics container opened up (as Keras does)."""
    flat = []
    for metric in getattr(model, "metrics", None) or []:
        flat.extend(metric.all_metrics() if hasattr(metric, "all_metrics") else [metric])
    return flat
