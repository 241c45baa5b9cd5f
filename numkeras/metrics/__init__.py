"""Metrics: stateful running values (accuracy, AUC, precision, errors, means), their functions, lookup by name.

`compile(metrics=[...])` resolves names, 'accuracy'/'acc' included, from the
shapes of a batch (`numkeras/metrics/registry.py`).

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
                                               SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
                                               TopKCategoricalAccuracy, accuracy, binary_accuracy,
                                               categorical_accuracy, sparse_categorical_accuracy,
                                               sparse_top_k_categorical_accuracy, top_k_categorical_accuracy)
from numkeras.metrics.auc import AUC
from numkeras.metrics.confusion_metrics import (FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall,
                                                RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
                                                TrueNegatives, TruePositives)
from numkeras.metrics.correlation_metrics import (ConcordanceCorrelation, PearsonCorrelation,
                                                  concordance_correlation, pearson_correlation)
from numkeras.metrics.f_score_metrics import F1Score, FBetaScore
from numkeras.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from numkeras.metrics.iou_metrics import IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from numkeras.metrics.metric import Metric
from numkeras.metrics.probabilistic_metrics import (BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
                                                    SparseCategoricalCrossentropy)
from numkeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from numkeras.metrics.registry import deserialize, get, serialize
from numkeras.metrics.regression_metrics import (CosineSimilarity, LogCoshError, MeanAbsoluteError,
                                                 MeanAbsolutePercentageError, MeanSquaredError,
                                                 MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError)

# Keras also exposes these loss functions under keras.metrics; they are looked up in numkeras.losses
# when first used, so this package does not depend on which losses exist at import time.
_LOSS_FUNCTIONS = ("hinge", "squared_hinge", "categorical_hinge", "huber", "kl_divergence", "log_cosh",
                   "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "poisson",
                   "binary_focal_crossentropy", "categorical_focal_crossentropy")


def __getattr__(name):
    if name in _LOSS_FUNCTIONS:
        from numkeras import losses
        value = globals()[name] = getattr(losses, name)  # later lookups skip this function
        return value
    raise AttributeError(f"module 'numkeras.metrics' has no attribute {name!r}")


# The surface (tests/surface checks it against Keras 3.15's keras.metrics).
_NUMKERAS_EXTRAS = ("accuracy",)  # Keras 2's function; Keras 3 resolves it only as the string 'accuracy'
__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper",
           "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
           "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy",
           "AUC", "Precision", "Recall", "TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives",
           "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity", "SpecificityAtSensitivity",
           "F1Score", "FBetaScore", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU",
           "MeanSquaredError", "RootMeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
           "MeanSquaredLogarithmicError", "CosineSimilarity", "LogCoshError", "R2Score",
           "PearsonCorrelation", "ConcordanceCorrelation",
           "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson",
           "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
           "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "pearson_correlation",
           "concordance_correlation",
           "mean_squared_error", "mean_absolute_error", "binary_crossentropy", "categorical_crossentropy",
           "sparse_categorical_crossentropy", "get", "serialize", "deserialize", *_LOSS_FUNCTIONS]


def __dir__():
    return list(__all__)
