"""Finding metrics by name: `get`, `serialize`, `deserialize`, and `get_metric` for `compile`.

Names follow Keras: class names ('CategoricalAccuracy', 'AUC') and their
snake_case forms ('categorical_accuracy', 'auc', 'f1_score'), plus 'mse',
'mae', 'mape', 'msle', 'bce'; `get_metric` also takes 'accuracy'/'acc'.
Unknown names raise a ValueError that lists the valid names and suggests the
closest.

Example:
    >>> get("binary_accuracy").name
    'binary_accuracy'
    >>> import numpy as np
    >>> m = get_metric("acc", np.zeros((4,)), np.zeros((4, 10)))
    >>> type(m).__name__, m.name
    ('SparseCategoricalAccuracy', 'acc')
"""
import inspect

from numkeras.losses.loss import _snake_case
from numkeras.losses.registry import is_binary_or_sparse_categorical
from numkeras.metrics import (accuracy_metrics, auc, confusion_metrics, correlation_metrics, f_score_metrics,
                              hinge_metrics, iou_metrics, probabilistic_metrics, reduction_metrics,
                              regression_metrics)
from numkeras.metrics.metric import Metric
from numkeras.utils.lookup import lookup, unknown_name_error

_CLASSES = (
    reduction_metrics.Mean, reduction_metrics.Sum,
    # regression
    regression_metrics.MeanSquaredError, regression_metrics.RootMeanSquaredError,
    regression_metrics.MeanAbsoluteError, regression_metrics.MeanAbsolutePercentageError,
    regression_metrics.MeanSquaredLogarithmicError, regression_metrics.CosineSimilarity,
    regression_metrics.LogCoshError, regression_metrics.R2Score,
    # classification
    auc.AUC, confusion_metrics.FalseNegatives, confusion_metrics.FalsePositives, confusion_metrics.Precision,
    confusion_metrics.PrecisionAtRecall, confusion_metrics.Recall, confusion_metrics.RecallAtPrecision,
    confusion_metrics.SensitivityAtSpecificity, confusion_metrics.SpecificityAtSensitivity,
    confusion_metrics.TrueNegatives, confusion_metrics.TruePositives,
    # correlation
    correlation_metrics.PearsonCorrelation, correlation_metrics.ConcordanceCorrelation,
    # hinge
    hinge_metrics.Hinge, hinge_metrics.SquaredHinge, hinge_metrics.CategoricalHinge,
    # probabilistic
    probabilistic_metrics.KLDivergence, probabilistic_metrics.Poisson, probabilistic_metrics.BinaryCrossentropy,
    probabilistic_metrics.CategoricalCrossentropy, probabilistic_metrics.SparseCategoricalCrossentropy,
    # accuracy
    accuracy_metrics.Accuracy, accuracy_metrics.BinaryAccuracy, accuracy_metrics.CategoricalAccuracy,
    accuracy_metrics.SparseCategoricalAccuracy, accuracy_metrics.TopKCategoricalAccuracy,
    accuracy_metrics.SparseTopKCategoricalAccuracy,
    # F-scores
    f_score_metrics.F1Score, f_score_metrics.FBetaScore,
    # segmentation
    iou_metrics.IoU, iou_metrics.MeanIoU, iou_metrics.BinaryIoU, iou_metrics.OneHotIoU, iou_metrics.OneHotMeanIoU,
)
# As Keras: the class names, their snake_case forms ('AUC' -> 'auc', 'F1Score' -> 'f1_score',
# 'TopKCategoricalAccuracy' -> 'top_k_categorical_accuracy'), and a few short aliases.
ALL_OBJECTS = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS.update({_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS.update({
    "bce": probabilistic_metrics.BinaryCrossentropy, "BCE": probabilistic_metrics.BinaryCrossentropy,
    "mse": regression_metrics.MeanSquaredError, "MSE": regression_metrics.MeanSquaredError,
    "mae": regression_metrics.MeanAbsoluteError, "MAE": regression_metrics.MeanAbsoluteError,
    "mape": regression_metrics.MeanAbsolutePercentageError, "MAPE": regression_metrics.MeanAbsolutePercentageError,
    "msle": regression_metrics.MeanSquaredLogarithmicError, "MSLE": regression_metrics.MeanSquaredLogarithmicError,
})
_PUBLIC_CLASSES = {cls.__name__: cls for cls in _CLASSES + (Metric, reduction_metrics.MeanMetricWrapper)}


def get(identifier):
    """Returns a `Metric` instance (or a metric function) for `identifier`.

    Args:
        identifier: None, a name ('accuracy', 'CategoricalAccuracy', 'mse', ...), a config dict from
            `serialize`, a `Metric` class or instance, or a function `fn(y_true, y_pred)`.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    obj = lookup("metric", identifier, ALL_OBJECTS) if isinstance(identifier, str) else identifier
    if inspect.isclass(obj):
        return _instantiate(obj, identifier)
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}. Pass a metric name such as "
                     "'accuracy', a Metric instance, or a function fn(y_true, y_pred).")


def _instantiate(cls, identifier):
    """cls(), or an error naming the arguments a metric such as PrecisionAtRecall cannot do without."""
    required = [p.name for p in inspect.signature(cls).parameters.values()
                if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if required:
        example = ", ".join(f"{name}=..." for name in required)
        raise ValueError(f"Metric {identifier!r} needs argument(s) {', '.join(required)}; it cannot be built from "
                         f"its name alone. Pass an instance instead, e.g. metrics.{cls.__name__}({example}).")
    return cls()


def get_metric(identifier, y_true, y_pred):
    """Returns the `Metric` that `compile(metrics=[identifier])` tracks, as Keras's compile resolves it.

    'accuracy' and 'acc' (any case) become BinaryAccuracy when y_pred's last
    dimension is 1, SparseCategoricalAccuracy when y_true has a lower rank
    than y_pred (or a last dimension of 1 against a larger one), else
    CategoricalAccuracy. A string keeps the name as passed ('acc' stays
    'acc': it is the history key); a function is wrapped in a
    MeanMetricWrapper named after it; a Metric instance keeps its name.

    Args:
        identifier: a name, function or Metric instance.
        y_true: labels (or anything with `.shape`) of one batch.
        y_pred: predictions (or anything with `.shape`) of one batch.
    """
    if identifier is None:
        raise ValueError("Expected a metric, received None. Pass a name such as 'accuracy', a Metric or a function.")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        binary, sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        cls = (accuracy_metrics.BinaryAccuracy if binary else accuracy_metrics.SparseCategoricalAccuracy if sparse
               else accuracy_metrics.CategoricalAccuracy)
        return cls(name=identifier)
    metric = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    elif isinstance(metric, Metric) or hasattr(metric, "name"):
        name = metric.name
    else:
        name = _snake_case(getattr(metric, "__name__", type(metric).__name__))
    if not isinstance(metric, Metric):
        metric = reduction_metrics.MeanMetricWrapper(metric)
    metric.name = name
    return metric


def serialize(metric):
    """Returns a config for `metric`: a dict for a `Metric` instance, the name for a function."""
    if isinstance(metric, Metric):
        return {"module": "numkeras.metrics", "class_name": type(metric).__name__, "config": metric.get_config(),
                "registered_name": None}
    return getattr(metric, "__name__", metric)


def deserialize(config, custom_objects=None):
    """Rebuilds a metric from `serialize`'s output (a name or a dict)."""
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        return custom_objects.get(config) or get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not deserialize metric: {config!r}. Expected a name or a dict with 'class_name' "
                         "and 'config', as returned by numkeras.metrics.serialize.")
    name = config["class_name"]
    cls = custom_objects.get(name) or _PUBLIC_CLASSES.get(name)
    if cls is None:
        raise unknown_name_error("metric class", name, _PUBLIC_CLASSES)
    return cls.from_config(config.get("config", {}))


def function_by_name(name):
    """The metric or loss function called `name` (for rebuilding a MeanMetricWrapper)."""
    from numkeras import losses
    functions = {fn.__name__: fn for fn in (
        accuracy_metrics.accuracy, accuracy_metrics.binary_accuracy, accuracy_metrics.categorical_accuracy,
        accuracy_metrics.sparse_categorical_accuracy, accuracy_metrics.top_k_categorical_accuracy,
        accuracy_metrics.sparse_top_k_categorical_accuracy, correlation_metrics.pearson_correlation,
        correlation_metrics.concordance_correlation)}
    if name in functions:
        return functions[name]
    return losses.get(name)
