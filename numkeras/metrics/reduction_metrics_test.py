"""Sum, Mean and MeanMetricWrapper: weighted running totals against hand computations."""
import numpy as np
import pytest

from numkeras import metrics
from numkeras.engine.tensor import Tensor


def test_mean_keras_examples():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7])
    assert float(m.result()) == 4.0
    m.reset_state()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 2.0


def test_sum_keras_examples():
    m = metrics.Sum()
    m.update_state([1, 3, 5, 7])
    assert float(m.result()) == 16.0
    m = metrics.Sum()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 4.0


def test_mean_accumulates_weighted_batches():
    rng = np.random.default_rng(0)
    m = metrics.Mean()
    values, weights = [], []
    for _ in range(5):
        v, w = rng.standard_normal(7), rng.uniform(0, 2, 7)
        m.update_state(v, sample_weight=w)
        values.append(v)
        weights.append(w)
    v, w = np.concatenate(values), np.concatenate(weights)
    assert float(m.result()) == pytest.approx((v * w).sum() / w.sum(), rel=1e-5)
    m.reset_state()
    assert float(m.result()) == 0.0  # no nan before the first update


def test_mean_result_is_a_float32_scalar_array():
    m = metrics.Mean()
    m.update_state(np.float64(0.1))
    r = m.result()
    assert isinstance(r, np.ndarray) and r.shape == () and r.dtype == np.float32
    assert f"{r:.4f}" == "0.1000"
    m.update_state(Tensor(np.array([0.3], "float32")))
    assert float(m.result()) == pytest.approx(0.2)


def test_loss_tracker_usage():
    # The trainer feeds one scalar loss per batch, weighted by the batch size.
    m = metrics.Mean(name="loss")
    m.update_state(0.5, sample_weight=128)
    m.update_state(0.2, sample_weight=32)
    assert float(m.result()) == pytest.approx((0.5 * 128 + 0.2 * 32) / 160)
    assert m.name == "loss"


def test_multidimensional_values_and_weights():
    values = np.arange(12, dtype="float64").reshape(3, 4)
    m = metrics.Mean()
    m.update_state(values)  # per-sample means, then their mean
    assert float(m.result()) == pytest.approx(values.mean())
    m = metrics.Mean()
    m.update_state(values, sample_weight=[1.0, 0.0, 2.0])
    row_means = values.mean(axis=1)
    assert float(m.result()) == pytest.approx((row_means[0] + 2 * row_means[2]) / 3)
    m = metrics.Mean()
    weights = np.array([[1, 0, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]], "float64")
    m.update_state(values, sample_weight=weights)
    expected = (values * weights).mean(axis=1).sum() / weights.mean(axis=1).sum()
    assert float(m.result()) == pytest.approx(expected)


def test_bad_weights_are_named():
    with pytest.raises(ValueError, match="sample_weight of shape"):
        metrics.Mean().update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 2.0])


def test_mean_metric_wrapper():
    def within_one(y_true, y_pred, tol=1.0):
        return np.abs(np.asarray(y_true) - np.asarray(y_pred)) <= tol

    m = metrics.MeanMetricWrapper(within_one, name="close", tol=0.5)
    m.update_state([0.0, 1.0, 2.0], [0.2, 2.0, 2.4])
    assert float(m.result()) == pytest.approx(2 / 3)
    m.update_state([0.0], [5.0], sample_weight=[3.0])
    assert float(m.result()) == pytest.approx(2 / 6)
    assert m.name == "close"
    assert metrics.MeanMetricWrapper(within_one).name == "mean_metric_wrapper"
    config = m.get_config()
    assert config["tol"] == 0.5 and config["name"] == "close"


def test_mean_metric_wrapper_config_round_trip():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="ba", threshold=0.3)
    clone = metrics.MeanMetricWrapper.from_config(m.get_config())
    assert clone._fn is metrics.binary_accuracy and clone._fn_kwargs == {"threshold": 0.3}


def test_a_masked_prediction_counts_its_valid_entries_only():
    import numpy as np
    from numkeras import metrics
    from numkeras.engine.tensor import Tensor
    y_pred = Tensor(np.array([[[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]], "float32"))
    y_pred._keras_mask = Tensor(np.array([[True, True, False]]))
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(np.array([[0, 0, 0]]), y_pred)
    assert float(m.result()) == 0.5  # the third (masked) step would have been right
