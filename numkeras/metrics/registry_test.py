"""metrics.get and get_metric: names, aliases, and Keras's 'accuracy' resolution."""
import numpy as np
import pytest

from numkeras import losses, metrics


@pytest.mark.parametrize("identifier, cls", [
    ("accuracy", metrics.Accuracy), ("Accuracy", metrics.Accuracy),
    ("binary_accuracy", metrics.BinaryAccuracy), ("BinaryAccuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("mse", metrics.MeanSquaredError), ("MSE", metrics.MeanSquaredError),
    ("mean_squared_error", metrics.MeanSquaredError), ("mae", metrics.MeanAbsoluteError),
    ("mean_absolute_error", metrics.MeanAbsoluteError), ("mean", metrics.Mean), ("sum", metrics.Sum),
    ("categorical_crossentropy", metrics.CategoricalCrossentropy), ("bce", metrics.BinaryCrossentropy),
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
    m = metrics.get_metric(identifier, np.zeros(true_shape), np.zeros(pred_shape))
    assert type(m) is cls
    assert m.name == identifier  # the history key is the name as passed


def test_get_metric_names():
    y, p = np.zeros((4, 3)), np.zeros((4, 3))
    assert metrics.get_metric("mse", y, p).name == "mse"
    assert type(metrics.get_metric("mse", y, p)) is metrics.MeanSquaredError
    assert metrics.get_metric("mean_absolute_error", y, p).name == "mean_absolute_error"
    instance = metrics.CategoricalAccuracy(name="top1")
    assert metrics.get_metric(instance, y, p) is instance and instance.name == "top1"

    def myMetric(y_true, y_pred):  # noqa: N802 - Keras snake-cases function names
        return np.ones(len(y_true))
    wrapped = metrics.get_metric(myMetric, y, p)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "my_metric"
    wrapped.update_state(y, p)
    assert float(wrapped.result()) == 1.0
    loss_fn = metrics.get_metric(losses.mean_squared_error, y, p)
    assert loss_fn.name == "mean_squared_error"
    with pytest.raises(ValueError, match="Did you mean"):
        metrics.get_metric("accurracy", y, p)
    with pytest.raises(ValueError, match="Expected a metric"):
        metrics.get_metric(None, y, p)


def test_resolved_accuracy_computes_the_right_thing():
    labels = np.array([0, 2, 1, 1])
    p = np.array([[0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]], "float32")
    sparse = metrics.get_metric("acc", labels, p)
    categorical = metrics.get_metric("acc", np.eye(3)[labels], p)
    sparse.update_state(labels, p)
    categorical.update_state(np.eye(3)[labels], p)
    assert float(sparse.result()) == float(categorical.result()) == 0.75
    binary = metrics.get_metric("accuracy", np.array([[1.0], [0.0]]), np.array([[0.7], [0.6]]))
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
