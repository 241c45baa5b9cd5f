"""AUC: Keras's documented numbers, the Riemann sums written out in numpy, and the exact AUC as a bound."""
import json

import numpy as np
import pytest

from numkeras import metrics

Y_TRUE = np.array([0, 0, 1, 1])
Y_PRED = np.array([0, 0.5, 0.3, 0.9], "float32")
WEIGHTS = [1, 2, 3, 4]


def auc(y_true, y_pred, sample_weight=None, **kwargs):
    m = metrics.AUC(**kwargs)
    m.update_state(y_true, y_pred, sample_weight=sample_weight)
    return float(m.result())


def counts(y_true, y_pred, thresholds, w=None):
    """tp, fp, tn, fn at each threshold, by direct comparison."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred).astype("float32")
    w = np.ones(len(y_true)) if w is None else np.broadcast_to(np.asarray(w, float).ravel(), y_true.shape)
    above = y_pred[None] > np.asarray(thresholds, "float32")[:, None]
    pos = (y_true == 1)[None]
    return [(m * w).sum(axis=1) for m in (above & pos, above & ~pos, ~above & ~pos, ~above & pos)]


def riemann(x, y, method):
    heights = {"interpolation": (y[:-1] + y[1:]) / 2, "minoring": np.minimum(y[:-1], y[1:]),
               "majoring": np.maximum(y[:-1], y[1:])}[method]
    return float(((x[:-1] - x[1:]) * heights).sum())


def default_thresholds(n):
    return [-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7]


def test_keras_examples():
    assert auc(Y_TRUE, Y_PRED, num_thresholds=3) == pytest.approx(0.75)
    assert auc(Y_TRUE, Y_PRED, [1, 0, 0, 1], num_thresholds=3) == 1.0
    assert auc(Y_TRUE, Y_TRUE) == 1.0
    assert auc(Y_TRUE, Y_PRED, thresholds=[0.5]) == pytest.approx(0.75)


@pytest.mark.parametrize("curve, method, expected", [
    # tp = [7, 4, 0], fp = [3, 0, 0], fn = [0, 3, 7], tn = [0, 3, 3] at thresholds [-eps, 0.5, 1 + eps]
    ("ROC", "interpolation", (1 + 4 / 7) / 2),
    ("ROC", "majoring", 1.0),
    ("ROC", "minoring", 4 / 7),
    ("PR", "majoring", 1.0),
    ("PR", "minoring", 0.7 * 3 / 7),
    # tp and predicted positives p = tp + fp vary linearly: slope dtp/dp = [0.5, 1], intercept [2, 0]
    ("PR", "interpolation", (0.5 * (3 + 2 * np.log(10 / 4))) / 7 + 4 / 7),
    ("PRGAIN", "majoring", 1.0),
    ("PRGAIN", "minoring", 0.0),
    ("PRGAIN", "interpolation", 0.5),
])
def test_weighted_keras_numbers(curve, method, expected):
    got = auc(Y_TRUE, Y_PRED, WEIGHTS, num_thresholds=3, curve=curve, summation_method=method)
    assert got == pytest.approx(expected, abs=1e-6)


def test_prgain_unweighted():
    y_true = np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1])
    y_pred = np.array([0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.6, 0.6, 0.8, 0.9])
    assert auc(y_true, y_pred, num_thresholds=3, curve="PRGAIN") == pytest.approx(
        (2 / 3) * (1 / 3) + (1 / 3) * (5 / 6), abs=1e-6)


def test_negative_weights_give_zero_pr_auc():
    assert auc(Y_TRUE, Y_PRED, [-1, -2, -3, -4], num_thresholds=3, curve="PR") == 0.0


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("method", ["interpolation", "minoring", "majoring"])
def test_riemann_sums_against_numpy(curve, method):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 500)
    y_pred = np.clip(0.25 * y_true + 0.75 * rng.uniform(size=500), 0, 1)
    w = rng.uniform(size=500)
    n = 37
    tp, fp, tn, fn = counts(y_true, y_pred, default_thresholds(n), w)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall, fpr, precision = (np.nan_to_num(a / b) for a, b in ((tp, tp + fn), (fp, fp + tn), (tp, tp + fp)))
    m = metrics.AUC(num_thresholds=n, curve=curve, summation_method=method)
    for i in range(0, 500, 128):  # several batches accumulate to the same counts
        m.update_state(y_true[i:i + 128], y_pred[i:i + 128], sample_weight=w[i:i + 128])
    if curve == "PR" and method == "interpolation":
        expected = pr_auc_by_quadrature(tp, fp, tp[0] + fn[0])
    else:
        expected = riemann(fpr, recall, method) if curve == "ROC" else riemann(recall, precision, method)
    assert float(m.result()) == pytest.approx(expected, rel=1e-4)


def pr_auc_by_quadrature(tp, fp, positives):
    """Integrates precision over recall with tp and fp linear between thresholds, numerically (midpoint rule)."""
    s = (np.arange(2000) + 0.5) / 2000
    total = 0.0
    for i in range(len(tp) - 1):
        if tp[i] == tp[i + 1]:
            continue
        tps = tp[i + 1] + s * (tp[i] - tp[i + 1])
        ps = tps + fp[i + 1] + s * (fp[i] - fp[i + 1])
        total += np.mean(tps / ps) * (tp[i] - tp[i + 1]) / positives
    return total


def test_roc_auc_approaches_the_exact_auc():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 2000)
    y_pred = 1 / (1 + np.exp(-(rng.standard_normal(2000) + 1.2 * y_true)))
    pos, neg = y_pred[y_true == 1], y_pred[y_true == 0]
    exact = ((pos[:, None] > neg[None]).sum() + 0.5 * (pos[:, None] == neg[None]).sum()) / (len(pos) * len(neg))
    assert auc(y_true, y_pred, num_thresholds=1000) == pytest.approx(exact, abs=2e-3)
    lower = auc(y_true, y_pred, num_thresholds=1000, summation_method="minoring")
    upper = auc(y_true, y_pred, num_thresholds=1000, summation_method="majoring")
    assert lower <= exact <= upper


def test_manual_thresholds_use_comparison():
    thresholds = [0.3, 0.1, 0.75]  # sorted by AUC; not evenly spaced
    m = metrics.AUC(num_thresholds=None, thresholds=thresholds, curve="PR", summation_method="majoring")
    assert m.num_thresholds == 5
    np.testing.assert_allclose(m.thresholds, [0, 0.1, 0.3, 0.75, 1], atol=1e-6)
    rng = np.random.default_rng(2)
    y_true, y_pred = rng.integers(0, 2, 60), rng.uniform(size=60)
    m.update_state(y_true, y_pred)
    tp, fp, tn, fn = counts(y_true, y_pred, m.thresholds)
    np.testing.assert_allclose(m.true_positives.numpy(), tp)
    np.testing.assert_allclose(m.true_negatives.numpy(), tn)
    assert float(m.result()) == pytest.approx(riemann(tp / (tp + fn), np.nan_to_num(tp / np.maximum(tp + fp, 1e-12)),
                                                      "majoring"), rel=1e-5)


MULTI_PRED = np.array([[0, 0.5, 0.3, 0.9], [0.1, 0.2, 0.3, 0.4]], "float32").T
MULTI_TRUE = np.array([[0, 0, 1, 1], [0, 0, 1, 1]]).T


def test_multi_label_keras_numbers():
    assert auc(MULTI_TRUE, MULTI_PRED, num_thresholds=5, multi_label=True) == pytest.approx((0.875 + 1.0) / 2)
    assert auc(MULTI_TRUE, MULTI_PRED, num_thresholds=5, multi_label=True,
               label_weights=[0.75, 0.25]) == pytest.approx(0.875 * 0.75 + 0.25)
    assert auc(MULTI_TRUE, MULTI_PRED, num_thresholds=5) == pytest.approx(1 - 3 / 32)  # flattened
    assert auc(MULTI_TRUE, MULTI_PRED, [1, 2, 3, 4], num_thresholds=5) == pytest.approx(
        1 - (1 / 3) * (1 - 2 / 7) / 2, abs=1e-6)
    sw = np.arange(8).reshape(4, 2)
    assert auc(MULTI_TRUE, MULTI_PRED, sw, num_thresholds=5) == pytest.approx(1 - (1 / 3) * (1 - 3 / 11) / 2,
                                                                               abs=1e-6)
    assert auc(MULTI_TRUE, MULTI_PRED, num_thresholds=5, label_weights=[0.75, 0.25]) == pytest.approx(
        1 - (1 - 0.375) * 0.375 / 2, abs=1e-6)
    assert auc(MULTI_TRUE, MULTI_PRED, thresholds=[0.5], multi_label=True) == pytest.approx((0.75 + 0.5) / 2)
    assert auc(MULTI_TRUE, MULTI_TRUE, multi_label=True) == 1.0


def test_multi_label_is_the_mean_of_per_label_aucs():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 2, (100, 3)), rng.uniform(size=(100, 3))
    per_label = [auc(y_true[:, j], y_pred[:, j], curve="PR") for j in range(3)]
    assert auc(y_true, y_pred, multi_label=True, curve="PR") == pytest.approx(np.mean(per_label), rel=1e-5)
    m = metrics.AUC(multi_label=True)
    assert m.variables == [] and float(m.result()) == 0.0  # built on the first batch
    m.update_state(y_true, y_pred)
    assert m.true_positives.shape == (200, 3)
    m.reset_state()
    assert not m.true_positives.numpy().any()


def test_from_logits_including_huge_logits():
    logits = np.log(Y_PRED + 1e-12) - np.log1p(-Y_PRED)
    assert auc(Y_TRUE, logits, num_thresholds=3, from_logits=True) == pytest.approx(0.75)
    assert auc([1, 0, 1, 0], np.array([1e4, -1e4, 3.0, -2.0], "float32"), from_logits=True) == 1.0


def test_edge_cases():
    assert float(metrics.AUC().result()) == 0.0
    assert auc(Y_TRUE, Y_PRED, [0, 0, 0, 0]) == 0.0  # all-zero weights
    assert auc([0, 0, 0], [0.2, 0.5, 0.9]) == 0.0  # no positives: recall is 0 everywhere
    assert auc([0, 0, 0], [0.2, 0.5, 0.9], curve="PR") == 0.0
    assert auc([1, 1], [0.2, 0.9]) == 0.0  # no negatives: the false positive rate never moves
    r = metrics.AUC().result()
    assert isinstance(r, np.ndarray) and r.shape == () and r.dtype == np.float32
    m = metrics.AUC()
    m.update_state(Y_TRUE, Y_PRED)
    m.reset_state()
    assert float(m.result()) == 0.0 and not m.false_negatives.numpy().any()


def test_labels_and_predictions_of_higher_rank():
    probs = 1 / (1 + np.exp(-np.array([[[-10, 10, -10], [10, -10, 10]], [[-12, 12, -12], [12, -12, 12]]], "float32")))
    labels = np.array([[[1, 0, 0], [1, 0, 0]], [[0, 1, 1], [0, 1, 1]]])
    assert auc(labels, 1 - probs) == 0.5


def test_argument_errors():
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match='Invalid AUC curve value: "Invalid"'):
        metrics.AUC(curve="Invalid")
    with pytest.raises(ValueError, match='Invalid AUC summation method value: "Invalid"'):
        metrics.AUC(summation_method="Invalid")
    with pytest.raises(ValueError, match="only when `multi_label` is True"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="rank 2"):
        metrics.AUC(multi_label=True).update_state([0, 1], [0.2, 0.7])


def test_config_round_trip():
    m = metrics.AUC(num_thresholds=100, curve="pr", summation_method="majoring", name="auc_1", dtype="float64",
                    multi_label=True, num_labels=2, from_logits=True, label_weights=[0.2, 0.8])
    config = m.get_config()
    assert config == json.loads(json.dumps(config)) and "thresholds" not in config
    assert config["curve"] == "PR" and config["num_labels"] == 2
    clone = metrics.AUC.from_config(config)
    assert clone.get_config() == config and len(clone.variables) == 4
    np.testing.assert_allclose(clone.thresholds, m.thresholds)
    m = metrics.AUC(num_thresholds=None, thresholds=[0.3, 0.5])
    assert m.get_config()["thresholds"] == [0.3, 0.5]
    assert metrics.AUC.from_config(m.get_config()).thresholds == m.thresholds
    assert metrics.deserialize(metrics.serialize(m)).get_config() == m.get_config()
