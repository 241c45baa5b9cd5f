"""Metrics: stateful running values (accuracy, errors, means), their functions, and lookup by name.

`get_metric(identifier, y_true, y_pred)` resolves what `compile(metrics=[...])`
names, 'accuracy'/'acc' included, from the shapes of a batch.

Example:
    >>> from numkeras import metrics
    >>> m = metrics.BinaryAccuracy()
    >>> m.update_state([[1], [0]], [[0.9], [0.8]])
    >>> float(m.result())
    0.5
"""
from numkeras.losses.losses import (binary_crossentropy, categorical_crossentropy, mean_absolute_error,
                                    mean_squared_error, sparse_categorical_crossentropy)
from numkeras.metrics.accuracy_metrics import (Accuracy, BinaryAccuracy, CategoricalAccuracy,
                                               SparseCategoricalAccuracy, accuracy, binary_accuracy,
                                               categorical_accuracy, sparse_categorical_accuracy)
from numkeras.metrics.metric import Metric
from numkeras.metrics.probabilistic_metrics import (BinaryCrossentropy, CategoricalCrossentropy,
                                                    SparseCategoricalCrossentropy)
from numkeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from numkeras.metrics.registry import deserialize, get, get_metric, serialize
from numkeras.metrics.regression_metrics import MeanAbsoluteError, MeanSquaredError

__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy",
           "SparseCategoricalAccuracy", "MeanSquaredError", "MeanAbsoluteError", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "accuracy", "binary_accuracy",
           "categorical_accuracy", "sparse_categorical_accuracy", "mean_squared_error", "mean_absolute_error",
           "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
           "get", "get_metric", "serialize", "deserialize"]
