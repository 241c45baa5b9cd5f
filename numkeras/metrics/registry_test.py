"""metrics.get and get_metric: names, aliases, and Keras's 'accuracy' resolution."""
import numpy as np
import pytest

from numkeras import losses, metrics
from numkeras.losses.loss import _snake_case
from numkeras.metrics import registry


@pytest.mark.parametrize("identifier, cls", [
    ("accuracy", metrics.Accuracy), ("Accuracy", metrics.Accuracy),
    ("binary_accuracy", metrics.BinaryAccuracy), ("BinaryAccuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("mse", metrics.MeanSquaredError), ("MSE", metrics.MeanSquaredError),
    ("mean_squared_error", metrics.MeanSquaredError), ("mae", metrics.MeanAbsoluteError),
    ("mean_absolute_error", metrics.MeanAbsoluteError), ("mean", metrics.Mean), ("sum", metrics.Sum),
    ("categorical_crossentropy", metrics.CategoricalCrossentropy), ("bce", metrics.BinaryCrossentropy),
    # Keras 3's names: class names, their snake_case forms and the short aliases
    ("auc", metrics.AUC), ("AUC", metrics.AUC), ("precision", metrics.Precision), ("recall", metrics.Recall),
    ("true_positives", metrics.TruePositives), ("false_positives", metrics.FalsePositives),
    ("true_negatives", metrics.TrueNegatives), ("false_negatives", metrics.FalseNegatives),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
    ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
    ("f1_score", metrics.F1Score), ("F1Score", metrics.F1Score), ("f_beta_score", metrics.FBetaScore),
    ("mape", metrics.MeanAbsolutePercentageError), ("MAPE", metrics.MeanAbsolutePercentageError),
    ("mean_absolute_percentage_error", metrics.MeanAbsolutePercentageError),
    ("msle", metrics.MeanSquaredLogarithmicError), ("MSLE", metrics.MeanSquaredLogarithmicError),
    ("mean_squared_logarithmic_error", metrics.MeanSquaredLogarithmicError),
    ("root_mean_squared_error", metrics.RootMeanSquaredError), ("RootMeanSquaredError", metrics.RootMeanSquaredError),
    ("cosine_similarity", metrics.CosineSimilarity), ("log_cosh_error", metrics.LogCoshError),
    ("r2_score", metrics.R2Score), ("hinge", metrics.Hinge), ("squared_hinge", metrics.SquaredHinge),
    ("categorical_hinge", metrics.CategoricalHinge), ("kl_divergence", metrics.KLDivergence),
    ("poisson", metrics.Poisson), ("binary_crossentropy", metrics.BinaryCrossentropy),
    ("sparse_categorical_crossentropy", metrics.SparseCategoricalCrossentropy),
])
def test_get_names(identifier, cls):
    assert type(metrics.get(identifier)) is cls


def test_get_passes_through_and_errors():
    m = metrics.Mean()
    assert metrics.get(m) is m
    assert metrics.get(None) is None
    assert type(metrics.get(metrics.CategoricalAccuracy)) is metrics.CategoricalAccuracy
    with pytest.raises(ValueError, match="Did you mean 'accuracy'") as info:
        metrics.get("acuracy")
    assert "mean_absolute_error" in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(3)


@pytest.mark.parametrize("true_shape, pred_shape, cls", [
    ((8, 1), (8, 1), metrics.BinaryAccuracy),         # last dimension 1: binary
    ((8,), (8, 1), metrics.BinaryAccuracy),
    ((8,), (8, 10), metrics.SparseCategoricalAccuracy),  # labels of lower rank: sparse
    ((8, 1), (8, 10), metrics.SparseCategoricalAccuracy),
    ((8, 10), (8, 10), metrics.CategoricalAccuracy),     # otherwise categorical
])
@pytest.mark.parametrize("identifier", ["accuracy", "acc", "ACC"])
def test_get_metric_resolves_accuracy_from_shapes(identifier, true_shape, pred_shape, cls):
    m = registry.get_metric(identifier, np.zeros(true_shape), np.zeros(pred_shape))
    assert type(m) is cls
    assert m.name == identifier  # the history key is the name as passed


def test_get_metric_names():
    y, p = np.zeros((4, 3)), np.zeros((4, 3))
    assert registry.get_metric("mse", y, p).name == "mse"
    assert type(registry.get_metric("mse", y, p)) is metrics.MeanSquaredError
    assert registry.get_metric("mean_absolute_error", y, p).name == "mean_absolute_error"
    instance = metrics.CategoricalAccuracy(name="top1")
    assert registry.get_metric(instance, y, p) is instance and instance.name == "top1"

    def myMetric(y_true, y_pred):  # noqa: N802 - Keras snake-cases function names
        return np.ones(len(y_true))
    wrapped = registry.get_metric(myMetric, y, p)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "my_metric"
    wrapped.update_state(y, p)
    assert float(wrapped.result()) == 1.0
    loss_fn = registry.get_metric(losses.mean_squared_error, y, p)
    assert loss_fn.name == "mean_squared_error"
    with pytest.raises(ValueError, match="Did you mean"):
        registry.get_metric("accurracy", y, p)
    with pytest.raises(ValueError, match="Expected a metric"):
        registry.get_metric(None, y, p)


def test_resolved_accuracy_computes_the_right_thing():
    labels = np.array([0, 2, 1, 1])
    p = np.array([[0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]], "float32")
    sparse = registry.get_metric("acc", labels, p)
    categorical = registry.get_metric("acc", np.eye(3)[labels], p)
    sparse.update_state(labels, p)
    categorical.update_state(np.eye(3)[labels], p)
    assert float(sparse.result()) == float(categorical.result()) == 0.75
    binary = registry.get_metric("accuracy", np.array([[1.0], [0.0]]), np.array([[0.7], [0.6]]))
    binary.update_state(np.array([[1.0], [0.0]]), np.array([[0.7], [0.6]]))
    assert float(binary.result()) == 0.5


def test_serialize_round_trip():
    m = metrics.BinaryAccuracy(name="ba", threshold=0.3)
    config = metrics.serialize(m)
    clone = metrics.deserialize(config)
    assert type(clone) is metrics.BinaryAccuracy and clone.get_config() == m.get_config()
    assert type(metrics.get(config)) is metrics.BinaryAccuracy
    assert metrics.serialize(metrics.binary_accuracy) == "binary_accuracy"
    with pytest.raises(ValueError, match="Unknown metric class"):
        metrics.deserialize({"class_name": "Nope", "config": {}})


@pytest.mark.parametrize("name, cls", [("precision_at_recall", "PrecisionAtRecall"),
                                       ("RecallAtPrecision", "RecallAtPrecision"),
                                       ("sensitivity_at_specificity", "SensitivityAtSpecificity"),
                                       ("specificity_at_sensitivity", "SpecificityAtSensitivity")])
def test_names_of_metrics_that_need_arguments(name, cls):
    with pytest.raises(ValueError, match=rf"needs argument.*metrics\.{cls}\(") as info:
        metrics.get(name)
    assert "instance" in str(info.value)


def test_unknown_names_list_valid_ones_and_suggest():
    with pytest.raises(ValueError, match="Did you mean 'precision'") as info:
        metrics.get("precison")
    message = str(info.value)
    for name in ("auc", "recall", "top_k_categorical_accuracy", "mape", "f1_score", "r2_score"):
        assert name in message
    with pytest.raises(ValueError, match="Did you mean 'auc'"):
        registry.get_metric("AUCC", np.zeros((2, 1)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="Did you mean 'msle'|Did you mean 'mse'"):
        metrics.get("msel")


def test_get_metric_keeps_the_name_as_passed():
    y, p = np.zeros((4, 1)), np.zeros((4, 1))
    for name, cls in (("auc", metrics.AUC), ("precision", metrics.Precision),
                      ("mape", metrics.MeanAbsolutePercentageError),
                      ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
                      ("RootMeanSquaredError", metrics.RootMeanSquaredError)):
        m = registry.get_metric(name, y, p)
        assert type(m) is cls and m.name == name
    auc = metrics.AUC(name="val_auc_custom")
    assert registry.get_metric(auc, y, p).name == "val_auc_custom"


def test_user_function_is_a_weighted_stateful_metric():
    def within_tenth(y_true, y_pred):
        return (np.abs(np.asarray(y_true) - np.asarray(y_pred)) < 0.1).mean(axis=-1)

    m = registry.get_metric(within_tenth, None, None)
    assert isinstance(m, metrics.MeanMetricWrapper) and m.name == "within_tenth"
    m.update_state([[1.0], [2.0]], [[1.05], [2.5]], sample_weight=[3.0, 1.0])
    m.update_state([[0.0]], [[0.0]], sample_weight=[0.0])
    assert float(m.result()) == pytest.approx(0.75)
    m.reset_state()
    assert float(m.result()) == 0.0
    lam = registry.get_metric(lambda y_true, y_pred: np.zeros(len(y_true)), None, None)
    assert lam.name == "lambda"  # as Keras snake-cases "<lambda>"


EVERY_METRIC = [
    metrics.Mean(), metrics.Sum(), metrics.Accuracy(), metrics.BinaryAccuracy(threshold=0.3),
    metrics.CategoricalAccuracy(), metrics.SparseCategoricalAccuracy(), metrics.TopKCategoricalAccuracy(k=2),
    metrics.SparseTopKCategoricalAccuracy(k=3), metrics.AUC(curve="PR"), metrics.Precision(top_k=2),
    metrics.Recall(thresholds=[0.2, 0.4]), metrics.TruePositives(), metrics.FalsePositives(), metrics.TrueNegatives(),
    metrics.FalseNegatives(), metrics.PrecisionAtRecall(0.3), metrics.RecallAtPrecision(0.8),
    metrics.SensitivityAtSpecificity(0.5), metrics.SpecificityAtSensitivity(0.5), metrics.F1Score(average="macro"),
    metrics.FBetaScore(beta=2.0), metrics.MeanSquaredError(), metrics.RootMeanSquaredError(),
    metrics.MeanAbsoluteError(), metrics.MeanAbsolutePercentageError(), metrics.MeanSquaredLogarithmicError(),
    metrics.CosineSimilarity(axis=-1), metrics.LogCoshError(), metrics.R2Score(), metrics.Hinge(),
    metrics.SquaredHinge(), metrics.CategoricalHinge(), metrics.PearsonCorrelation(), metrics.ConcordanceCorrelation(),
    metrics.KLDivergence(), metrics.Poisson(),
    metrics.BinaryCrossentropy(from_logits=True), metrics.CategoricalCrossentropy(label_smoothing=0.1),
    metrics.SparseCategoricalCrossentropy(ignore_class=0),
]


@pytest.mark.parametrize("metric", EVERY_METRIC, ids=lambda m: type(m).__name__)
def test_every_metric_round_trips_and_is_registered(metric):
    config = metrics.serialize(metric)
    clone = metrics.deserialize(config)
    assert type(clone) is type(metric) and clone.get_config() == metric.get_config()
    name = type(metric).__name__
    assert registry.ALL_OBJECTS[name] is registry.ALL_OBJECTS[_snake_case(name)] is type(metric)
    assert metric.dtype == "float32" and all(not v.trainable for v in metric.variables)


def test_loss_functions_are_reachable_from_metrics():
    assert metrics.mean_squared_error is losses.mean_squared_error
    for name in metrics._LOSS_FUNCTIONS:
        assert getattr(metrics, name) is getattr(losses, name)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        metrics.nope  # noqa: B018
