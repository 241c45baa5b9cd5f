"""Every metric against Keras: update_state over two batches (the second one weighted), then result().

Both libraries get the same batches; one Keras process runs every case. Metric functions that
numkeras exports under numkeras.metrics are compared too.
"""
import inspect

import numpy as np
import pytest

from keras_parity.harness import assert_close
from numkeras import metrics

N = 8


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def draw(kind, rs):
    """One batch of `kind`: the positional arguments of update_state."""
    labels = rs.randint(0, 4, N)
    batches = {
        "values": lambda: [rs.normal(size=N)],
        "equal": lambda: [labels, np.where(rs.rand(N) < 0.5, labels, rs.randint(0, 4, N))],
        "binary": lambda: [rs.randint(0, 2, (N, 3)), rs.uniform(0.0, 1.0, (N, 3))],
        "binary_logits": lambda: [rs.randint(0, 2, (N, 3)), rs.normal(0.0, 2.0, (N, 3))],
        "categorical": lambda: [np.eye(4)[labels], _softmax(rs.normal(0.0, 2.0, (N, 4)))],
        "categorical_logits": lambda: [np.eye(4)[labels], rs.normal(0.0, 2.0, (N, 4))],
        "sparse": lambda: [labels, _softmax(rs.normal(0.0, 2.0, (N, 4)))],
        "sparse_logits": lambda: [labels, rs.normal(0.0, 2.0, (N, 4))],
        "regression": lambda: [rs.uniform(0.5, 2.0, (N, 3)), rs.uniform(0.0, 2.0, (N, 3))],
        "correlated": lambda: [t := rs.normal(size=(N, 3)), t + rs.normal(0.0, 0.5, (N, 3))],
        "signs": lambda: [rs.choice([-1.0, 1.0], (N, 3)), rs.normal(size=(N, 3))],
        "distribution": lambda: [_softmax(rs.normal(size=(N, 3))), _softmax(rs.normal(size=(N, 3)))],
        "counts": lambda: [rs.poisson(2.0, (N, 3)), rs.uniform(0.5, 3.0, (N, 3))],
        "class_ids": lambda: [rs.randint(0, 4, (N, 3)),  # predictions include an out-of-range class, 4
                              np.where(rs.rand(N, 3) < 0.5, labels[:, None], rs.randint(0, 5, (N, 3)))],
    }
    integer = {"equal": (0, 1), "sparse": (0,), "sparse_logits": (0,), "class_ids": (0, 1)}.get(kind, ())
    return [np.asarray(a, "int64" if i in integer else "float32") for i, a in enumerate(batches[kind]())]


KIND = {  # each metric class -> the data it takes
    "Mean": "values", "Sum": "values", "Accuracy": "equal", "BinaryAccuracy": "binary",
    "CategoricalAccuracy": "categorical", "SparseCategoricalAccuracy": "sparse", "TopKCategoricalAccuracy": "categorical",
    "SparseTopKCategoricalAccuracy": "sparse", "AUC": "binary", "Precision": "binary", "Recall": "binary",
    "TruePositives": "binary", "FalsePositives": "binary", "TrueNegatives": "binary", "FalseNegatives": "binary",
    "PrecisionAtRecall": "binary", "RecallAtPrecision": "binary", "SensitivityAtSpecificity": "binary",
    "SpecificityAtSensitivity": "binary", "F1Score": "binary", "FBetaScore": "binary",
    "MeanSquaredError": "regression", "RootMeanSquaredError": "regression", "MeanAbsoluteError": "regression",
    "MeanAbsolutePercentageError": "regression", "MeanSquaredLogarithmicError": "regression",
    "CosineSimilarity": "regression", "LogCoshError": "regression", "R2Score": "correlated",
    "PearsonCorrelation": "correlated", "ConcordanceCorrelation": "correlated", "Hinge": "signs",
    "SquaredHinge": "signs", "CategoricalHinge": "categorical", "KLDivergence": "distribution", "Poisson": "counts",
    "BinaryCrossentropy": "binary", "CategoricalCrossentropy": "categorical",
    "SparseCategoricalCrossentropy": "sparse",
    "IoU": "class_ids", "MeanIoU": "class_ids", "BinaryIoU": "binary", "OneHotIoU": "categorical",
    "OneHotMeanIoU": "categorical",
}
REQUIRED = {"IoU": {"num_classes": 4, "target_class_ids": [0, 2]}, "MeanIoU": {"num_classes": 4},
            "OneHotIoU": {"num_classes": 4, "target_class_ids": [1, 3]}, "OneHotMeanIoU": {"num_classes": 4},
            "PrecisionAtRecall": {"recall": 0.5}, "RecallAtPrecision": {"precision": 0.6},
            "SensitivityAtSpecificity": {"specificity": 0.5}, "SpecificityAtSensitivity": {"sensitivity": 0.5}}
# (class name, kwargs, data kind or None for the class's own)
CASES = [(cls, REQUIRED.get(cls, {}), None) for cls in KIND]
CASES += [
    ("BinaryAccuracy", {"threshold": 0.7}, None),
    ("TopKCategoricalAccuracy", {"k": 2}, None),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, None),
    ("AUC", {"curve": "PR"}, None),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, None),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, None),
    ("AUC", {"thresholds": [0.2, 0.5, 0.8]}, None),
    ("AUC", {"multi_label": True, "num_labels": 3}, None),
    ("AUC", {"multi_label": True, "label_weights": [0.2, 0.5, 0.3]}, None),
    ("AUC", {"from_logits": True}, "binary_logits"),
    ("Precision", {"thresholds": [0.3, 0.7]}, None),
    ("Precision", {"top_k": 2}, None),
    ("Precision", {"class_id": 1}, None),
    ("Recall", {"thresholds": 0.3}, None),
    ("Recall", {"top_k": 1, "class_id": 2}, None),
    ("TruePositives", {"thresholds": [0.3, 0.7]}, None),
    ("FalsePositives", {"thresholds": [0.3, 0.7]}, None),
    ("TrueNegatives", {"thresholds": 0.2}, None),
    ("FalseNegatives", {"thresholds": 0.8}, None),
    ("PrecisionAtRecall", {"recall": 0.8, "num_thresholds": 11, "class_id": 1}, None),
    ("RecallAtPrecision", {"precision": 0.4, "class_id": 0}, None),
    ("SensitivityAtSpecificity", {"specificity": 0.7, "num_thresholds": 11}, None),
    ("SpecificityAtSensitivity", {"sensitivity": 0.8, "class_id": 2}, None),
    ("F1Score", {"average": "micro", "threshold": 0.5}, None),
    ("F1Score", {"average": "macro"}, "categorical"),
    ("F1Score", {"average": "weighted", "threshold": 0.4}, None),
    ("FBetaScore", {"beta": 2.0, "threshold": 0.5}, None),
    ("FBetaScore", {"average": "macro", "beta": 0.5, "threshold": 0.5}, None),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, None),
    ("R2Score", {"class_aggregation": None, "num_regressors": 1}, None),
    ("CosineSimilarity", {"axis": 0}, None),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "categorical_logits"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, None),
    ("IoU", {"num_classes": 4, "target_class_ids": [1], "ignore_class": 0}, None),
    ("MeanIoU", {"num_classes": 4, "dtype": "float32"}, None),
    ("MeanIoU", {"num_classes": 4, "sparse_y_pred": False}, "sparse"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, None),
    ("OneHotMeanIoU", {"num_classes": 4, "ignore_class": 2}, None),
]
# Keras 3 exports no keras.metrics.accuracy function (numkeras does): the Accuracy class covers it.
FUNCTIONS = {"binary_accuracy": "binary", "categorical_accuracy": "categorical",
             "sparse_categorical_accuracy": "sparse", "top_k_categorical_accuracy": "categorical",
             "sparse_top_k_categorical_accuracy": "sparse", "pearson_correlation": "correlated",
             "concordance_correlation": "correlated"}
# True disagreements, each checked by hand against Keras's source: case id -> why numkeras differs.
XFAIL = {
    "R2Score-class_aggregation=None-num_regressors=1": "The adjusted R2 needs the number of samples n: Keras "
        "3.15.1 counts y_true's elements (batch x outputs, weighted or not), numkeras counts the samples that have "
        "a nonzero weight, as the adjusted-R2 formula 1 - (1 - R2)(n - 1)/(n - p - 1) means.",
    "SparseCategoricalCrossentropy-ignore_class=1": "Keras 3.15.1's MeanMetricWrapper looks for a mask on y_pred, "
        "while sparse_categorical_crossentropy puts its ignore_class mask on the values it returns, so ignored "
        "samples enter Keras's mean as zeros; numkeras leaves them out of the mean, as Keras's loss class does.",
}
IDS = [f"{i:02d}-{cls}" + "".join(f"-{k}={v}" for k, v in kwargs.items()).replace(" ", "")
       for i, (cls, kwargs, _) in enumerate(CASES)]


def batches(index):
    """Two batches for case `index`, the second with a per-sample weight."""
    cls, _, kind = CASES[index]
    rs = np.random.RandomState(index)
    first, second = draw(kind or KIND[cls], rs), draw(kind or KIND[cls], rs)
    weight = rs.uniform(0.0, 2.0, N).astype("float32")
    if "IoU" in cls and (kind or KIND[cls]) != "categorical" and np.ndim(second[0]) > 1:
        # Keras's IoU metrics take weights shaped like the class ids only (numkeras also one per sample).
        weight = rs.uniform(0.0, 2.0, np.shape(second[0])).astype("float32")
    if CASES[index][1].get("axis") == 0:  # per-sample weights cannot weigh values along the batch: both raise
        weight = None
    return [(first, None), (second, weight)]


@pytest.fixture(scope="module")
def keras_metrics(keras_reference):
    ref = keras_reference
    for i, (case, (cls, kwargs, _)) in enumerate(zip(IDS, CASES)):
        ref.add(case, "metric", class_name=cls, kwargs=kwargs,
                batches=[{"args": [ref.array(a) for a in args], "sample_weight": None if w is None else ref.array(w)}
                         for args, w in batches(i)])
    for name, kind in FUNCTIONS.items():
        y_true, y_pred = draw(kind, np.random.RandomState(1))
        ref.add(f"fn-{name}", "loss", module="metrics", class_name=name, function=True, y_true=ref.array(y_true),
                y_pred=ref.array(y_pred))
    return ref.run()


# The IoU metrics count in integers, as Keras's do: the float weights of the second batch are truncated, with a
# warning in both libraries (numkeras/metrics/iou_metrics_test.py checks the warning itself).
@pytest.mark.filterwarnings("ignore:.*truncated to integers:UserWarning")
@pytest.mark.parametrize("index", [
    pytest.param(i, id=case, marks=[pytest.mark.xfail(strict=True, reason=XFAIL[case[3:]])] if case[3:] in XFAIL else [])
    for i, case in enumerate(IDS)])
def test_metric_matches_keras(keras_metrics, index):
    cls, kwargs, _ = CASES[index]
    metric = getattr(metrics, cls)(**kwargs)
    for args, weight in batches(index):
        metric.update_state(*args, sample_weight=weight)
    assert_close(np.asarray(metric.result()), keras_metrics[IDS[index]]["out"], what=IDS[index])


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_metric_function_matches_keras(keras_metrics, name):
    y_true, y_pred = draw(FUNCTIONS[name], np.random.RandomState(1))
    assert_close(np.asarray(getattr(metrics, name)(y_true, y_pred)), keras_metrics[f"fn-{name}"]["out"], what=name)


def test_every_metric_has_a_parity_case():
    classes = {n for n in metrics.__all__ if inspect.isclass(getattr(metrics, n))} - {"Metric", "MeanMetricWrapper"}
    assert classes <= set(KIND), f"metrics without a parity case: {sorted(classes - set(KIND))}"
