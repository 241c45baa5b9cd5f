"""TP/FP/TN/FN, Precision, Recall and the X-at-Y metrics: Keras's documented numbers and plain-numpy formulas."""
import numpy as np
import pytest

from numkeras import metrics


def result(m, *batches):
    for batch in batches:
        m.update_state(*batch)
    return m.result()


@pytest.mark.parametrize("cls, y_true, y_pred, plain, weighted", [
    (metrics.TruePositives, [0, 1, 1, 1], [1, 0, 1, 1], 2.0, 1.0),
    (metrics.FalsePositives, [0, 1, 0, 0], [0, 0, 1, 1], 2.0, 1.0),
    (metrics.TrueNegatives, [0, 1, 0, 0], [1, 1, 0, 0], 2.0, 1.0),
    (metrics.FalseNegatives, [0, 1, 1, 1], [0, 1, 0, 0], 2.0, 1.0),
    (metrics.Precision, [0, 1, 1, 1], [1, 0, 1, 1], 2 / 3, 1.0),
    (metrics.Recall, [0, 1, 1, 1], [1, 0, 1, 1], 2 / 3, 1.0),
])
def test_keras_examples(cls, y_true, y_pred, plain, weighted):
    m = cls()
    assert float(result(m, (y_true, y_pred))) == pytest.approx(plain)
    m.reset_state()
    assert float(result(m, (y_true, y_pred, [0, 0, 1, 0]))) == pytest.approx(weighted)
    r = m.result()
    assert isinstance(r, np.ndarray) and r.shape == () and r.dtype == np.float32


def test_counts_at_several_thresholds_match_numpy():
    rng = np.random.default_rng(0)
    thresholds = [0.15, 0.5, 0.85]
    y_true, y_pred, w = rng.integers(0, 2, (64, 2)), rng.uniform(size=(64, 2)), rng.uniform(size=64)
    t = np.array(thresholds)[:, None, None]
    above, pos, ww = y_pred[None] > t, (y_true == 1)[None], w[None, :, None]
    expected = {metrics.TruePositives: (above & pos), metrics.FalsePositives: (above & ~pos),
                metrics.TrueNegatives: (~above & ~pos), metrics.FalseNegatives: (~above & pos)}
    for cls, mask in expected.items():
        m = cls(thresholds=thresholds)
        got = result(m, (y_true[:30], y_pred[:30], w[:30]), (y_true[30:], y_pred[30:], w[30:]))
        assert got.shape == (3,) and got.dtype == np.float32
        np.testing.assert_allclose(got, (mask * ww).sum(axis=(1, 2)), rtol=1e-5)
    tp, fp, fn = ((m * ww).sum(axis=(1, 2)) for m in (above & pos, above & ~pos, ~above & pos))
    np.testing.assert_allclose(result(metrics.Precision(thresholds=thresholds), (y_true, y_pred, w)), tp / (tp + fp),
                               rtol=1e-5)
    np.testing.assert_allclose(result(metrics.Recall(thresholds=thresholds), (y_true, y_pred, w)), tp / (tp + fn),
                               rtol=1e-5)


def test_threshold_is_strict_and_logits_use_zero():
    assert float(result(metrics.Precision(), ([1, 0], [0.5, 0.5]))) == 0.0
    m = metrics.Recall(thresholds=0)
    assert float(result(m, ([1, 1, 0], [2.3, -0.7, 4.0]))) == 0.5


def test_precision_top_k_keras_examples():
    assert float(result(metrics.Precision(top_k=2), ([0, 0, 1, 1], [1, 1, 1, 1]))) == 0.0
    assert float(result(metrics.Precision(top_k=4), ([0, 0, 1, 1], [1, 1, 1, 1]))) == 0.5


def test_top_k_and_class_id_against_numpy():
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.integers(0, 2, (50, 6)), rng.uniform(size=(50, 6))
    top = np.zeros_like(y_pred, bool)
    np.put_along_axis(top, np.argsort(-y_pred, axis=1)[:, :3], True, axis=1)
    pos = y_true == 1
    tp, fp, fn = (top & pos).sum(), (top & ~pos).sum(), (~top & pos).sum()
    assert float(result(metrics.Precision(top_k=3), (y_true, y_pred))) == pytest.approx(tp / (tp + fp))
    assert float(result(metrics.Recall(top_k=3), (y_true, y_pred))) == pytest.approx(tp / (tp + fn))
    # top_k with a threshold: among the top k, only those above it
    above = top & (y_pred > 0.7)
    assert float(result(metrics.Precision(top_k=3, thresholds=0.7), (y_true, y_pred))) == pytest.approx(
        (above & pos).sum() / above.sum())
    hit = y_pred[:, 2] > 0.5
    assert float(result(metrics.Precision(class_id=2), (y_true, y_pred))) == pytest.approx(
        (hit & pos[:, 2]).sum() / hit.sum())
    assert float(result(metrics.Recall(class_id=2, top_k=1), (y_true, y_pred))) == pytest.approx(
        (pos[:, 2] & (y_pred.argmax(1) == 2)).sum() / pos[:, 2].sum())


def test_edge_cases_give_zero_not_nan():
    for cls in (metrics.Precision, metrics.Recall):
        assert float(cls().result()) == 0.0  # before any update
        assert float(result(cls(), ([1, 0, 1], [0.9, 0.2, 0.8], [0, 0, 0]))) == 0.0  # all-zero weights
    assert float(result(metrics.Recall(), ([0, 0], [0.9, 0.1]))) == 0.0  # no positives
    assert float(result(metrics.Precision(), ([1, 1], [0.1, 0.2]))) == 0.0  # nothing predicted positive
    assert float(result(metrics.TruePositives(), ([], []))) == 0.0  # empty batch


@pytest.mark.parametrize("cls, arg, y_true, y_pred, weights, plain, weighted", [
    (metrics.SensitivityAtSpecificity, 0.5, [0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [1, 1, 2, 2, 1], 0.5, 1 / 3),
    (metrics.SpecificityAtSensitivity, 0.5, [0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [1, 1, 2, 2, 2], 2 / 3, 0.5),
    (metrics.PrecisionAtRecall, 0.5, [0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [2, 2, 2, 1, 1], 0.5, 1 / 3),
    (metrics.RecallAtPrecision, 0.8, [0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1], 0.5, 1.0),
])
def test_x_at_y_keras_examples(cls, arg, y_true, y_pred, weights, plain, weighted):
    m = cls(arg)
    assert float(result(m, (y_true, y_pred))) == pytest.approx(plain, abs=1e-6)
    m.reset_state()
    assert float(result(m, (y_true, y_pred, weights))) == pytest.approx(weighted, abs=1e-6)


def rates_at(y_true, y_pred, thresholds, w):
    above, pos = y_pred[None] > np.asarray(thresholds)[:, None], (y_true == 1)[None]
    tp, fp, tn, fn = ((m * w).sum(1) for m in (above & pos, above & ~pos, ~above & ~pos, ~above & pos))
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"sensitivity": np.nan_to_num(tp / (tp + fn)), "specificity": np.nan_to_num(tn / (tn + fp)),
                "precision": np.nan_to_num(tp / (tp + fp))}


@pytest.mark.parametrize("cls, constrained, dependent", [
    (metrics.SensitivityAtSpecificity, "specificity", "sensitivity"),
    (metrics.SpecificityAtSensitivity, "sensitivity", "specificity"),
    (metrics.PrecisionAtRecall, "sensitivity", "precision"),
    (metrics.RecallAtPrecision, "precision", "sensitivity"),
])
def test_x_at_y_against_numpy(cls, constrained, dependent):
    rng = np.random.default_rng(2)
    y_true = rng.integers(0, 2, 200)
    y_pred = np.clip(0.3 * y_true + rng.uniform(size=200) * 0.7, 0, 1)
    w = rng.uniform(size=200)
    n = 50
    thresholds = np.array([0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0], "float32")
    rates = rates_at(y_true, y_pred.astype("float32"), thresholds, w)
    expected = np.where(rates[constrained] >= 0.7, rates[dependent], 0).max()
    m = cls(0.7, num_thresholds=n)
    assert float(result(m, (y_true[:80], y_pred[:80], w[:80]), (y_true[80:], y_pred[80:], w[80:]))) == \
        pytest.approx(expected, rel=1e-5)
    m.reset_state()
    assert float(m.result()) == 0.0


def test_x_at_y_class_id_and_one_threshold():
    y_true = np.array([[0, 1], [1, 0], [0, 1], [1, 1]])
    y_pred = np.array([[0.2, 0.9], [0.7, 0.1], [0.6, 0.4], [0.3, 0.8]])
    assert float(result(metrics.PrecisionAtRecall(1.0, class_id=1), (y_true, y_pred))) == 1.0
    m = metrics.SensitivityAtSpecificity(0.5, num_thresholds=1)
    assert m.thresholds == [0.5]


def test_argument_errors():
    with pytest.raises(ValueError, match=r"`recall` must be in the range \[0, 1\]. Received: recall=1.5"):
        metrics.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="precision"):
        metrics.RecallAtPrecision(-0.1)
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.Precision(thresholds=[0.5, 2.0])


@pytest.mark.parametrize("metric", [
    metrics.TruePositives(thresholds=[0.2, 0.8], name="tp"), metrics.FalseNegatives(),
    metrics.Precision(thresholds=0.3, top_k=2, class_id=1, name="p"), metrics.Recall(dtype="float64"),
    metrics.PrecisionAtRecall(0.6, num_thresholds=50, class_id=0), metrics.RecallAtPrecision(0.9),
    metrics.SensitivityAtSpecificity(0.4), metrics.SpecificityAtSensitivity(0.3, name="spec"),
])
def test_config_round_trip(metric):
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert clone.get_config() == config and clone.name == metric.name and clone.dtype == metric.dtype
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config


def test_default_names_and_variables():
    assert [cls().name for cls in (metrics.TruePositives, metrics.FalsePositives, metrics.TrueNegatives,
                                   metrics.FalseNegatives, metrics.Precision, metrics.Recall)] == \
        ["true_positives", "false_positives", "true_negatives", "false_negatives", "precision", "recall"]
    assert metrics.PrecisionAtRecall(0.5).name == "precision_at_recall"
    assert [v.name for v in metrics.Precision().variables] == ["true_positives", "false_positives"]
    assert len(metrics.RecallAtPrecision(0.5).variables) == 4


def test_result_is_a_copy_of_the_state():
    m = metrics.TruePositives(thresholds=[0.3, 0.6])
    m.update_state([1, 1], [0.9, 0.5])
    first = m.result()
    m.update_state([1], [0.9])
    assert first.tolist() == [2.0, 1.0] and m.result().tolist() == [3.0, 2.0]
