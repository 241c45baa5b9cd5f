"""F1Score / FBetaScore: Keras's documented numbers and the per-class formulas written out in numpy."""
import numpy as np
import pytest

from numkeras import metrics


def fbeta_reference(y_true, predicted, beta, average, w=None):
    """sklearn-style F-beta from per-class weighted counts (no epsilon: classes here are never empty)."""
    y_true, predicted = np.asarray(y_true, float), np.asarray(predicted, float)
    w = np.ones(len(y_true)) if w is None else np.asarray(w, float)
    axis = None if average == "micro" else 0
    tp = (w[:, None] * y_true * predicted).sum(axis)
    fp = (w[:, None] * (1 - y_true) * predicted).sum(axis)
    fn = (w[:, None] * y_true * (1 - predicted)).sum(axis)
    b2 = beta ** 2
    with np.errstate(invalid="ignore"):
        score = np.nan_to_num((1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp))
    if average == "weighted":
        support = (w[:, None] * y_true).sum(0)
        return (score * support).sum() / support.sum()
    return score.mean() if average in ("micro", "macro") else score


def fscore(y_true, y_pred, sample_weight=None, **kwargs):
    m = metrics.FBetaScore(**kwargs)
    m.update_state(y_true, y_pred, sample_weight)
    return m.result()


def test_keras_doc_examples():
    y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
    y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
    np.testing.assert_allclose(fscore(y_true, y_pred, beta=2.0, threshold=0.5), [0.3846154, 0.90909094, 0.8333334],
                               atol=1e-6)
    m = metrics.F1Score(threshold=0.5)
    m.update_state(y_true, y_pred)
    r = m.result()
    assert r.dtype == np.float32 and r.shape == (3,)
    np.testing.assert_allclose(r, [0.5, 0.8, 0.6666667], atol=1e-6)


@pytest.mark.parametrize("average, beta, expected", [
    (None, 0.5, [0.71428573, 0.5, 0.833334]), (None, 2.0, [0.9090904, 0.5, 0.555556]),
    ("micro", 1.0, 0.6666667), ("macro", 0.5, 0.6825397), ("macro", 2.0, 0.6548822),
    ("weighted", 1.0, 0.6555555),
])
def test_keras_numbers_with_a_threshold(average, beta, expected):
    y_pred = [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]]
    y_true = [[0, 0, 1], [1, 1, 0], [1, 1, 1]]
    np.testing.assert_allclose(fscore(y_true, y_pred, average=average, beta=beta, threshold=0.66), expected,
                               atol=1e-5)


ARGMAX_TRUE = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]]
ARGMAX_PRED = [[0.9, 0.1, 0], [0.2, 0.6, 0.2], [0, 0, 1], [0.4, 0.3, 0.3], [0, 0.9, 0.1], [0, 0, 1]]


@pytest.mark.parametrize("average, beta, weights, expected", [
    (None, 1.0, None, [0.8, 0.6666667, 1.0]),
    ("macro", 2.0, None, 0.849206),
    ("weighted", 0.5, None, 0.880471),
    (None, 0.5, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], [0.9375, 0.714286, 1.0]),
    ("micro", 1.0, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], 0.9),
    ("weighted", 2.0, [1.0, 0.0, 1.0, 1.0, 0.0, 1.0], 1.0),
])
def test_keras_numbers_with_argmax(average, beta, weights, expected):
    got = fscore(ARGMAX_TRUE, ARGMAX_PRED, weights, average=average, beta=beta)
    np.testing.assert_allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [0.5, 1.0, 3.0])
def test_against_numpy_over_weighted_batches(average, beta):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, (90, 4))
    y_true[:4] = np.eye(4)  # every class has positives
    y_pred, w = rng.uniform(size=(90, 4)), rng.uniform(size=90)
    m = metrics.FBetaScore(average=average, beta=beta, threshold=0.4)
    for i in range(0, 90, 32):
        m.update_state(y_true[i:i + 32], y_pred[i:i + 32], sample_weight=w[i:i + 32])
    np.testing.assert_allclose(m.result(), fbeta_reference(y_true, y_pred > 0.4, beta, average, w), rtol=1e-5)
    m.reset_state()
    np.testing.assert_array_equal(m.result(), np.zeros(4) if average is None else 0.0)


def test_argmax_marks_ties_and_skips_all_zero_rows():
    m = metrics.F1Score()
    m.update_state([[1, 0], [0, 1], [0, 1]], [[0.5, 0.5], [0.0, 0.0], [0.2, 0.8]])
    # row 0 predicts both classes, row 1 predicts nothing
    np.testing.assert_allclose(m.result(), fbeta_reference([[1, 0], [0, 1], [0, 1]],
                                                           [[1, 1], [0, 0], [0, 1]], 1.0, None), atol=1e-6)
    assert m.true_positives.numpy().tolist() == [1, 1] and m.false_positives.numpy().tolist() == [0, 1]


def test_edge_cases():
    assert float(metrics.F1Score(average="macro").result()) == 0.0
    m = metrics.F1Score(average="macro", threshold=0.5)
    m.update_state([[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]], sample_weight=[0, 0])
    assert float(m.result()) == 0.0  # all-zero weights: no nan
    m = metrics.F1Score(threshold=0.5)
    m.update_state([[0, 0], [0, 0]], [[0.9, 0.1], [0.2, 0.1]])
    assert m.result().tolist() == [0.0, 0.0]  # no positives
    m = metrics.F1Score(average="micro")
    m.update_state([[0, 1]], [[0.3, 0.7]], sample_weight=[[0.5, 2.0]])  # per-entry weights
    assert float(m.result()) == pytest.approx(1.0, abs=1e-6)


def test_argument_errors():
    with pytest.raises(ValueError, match="Invalid `average`.*average='mean'"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match="Invalid `beta`"):
        metrics.FBetaScore(beta=0.0)
    with pytest.raises(ValueError, match="Invalid `threshold`"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="expects 2D inputs"):
        metrics.F1Score().update_state([1, 0], [0.3, 0.6])
    assert metrics.FBetaScore(beta=2).beta == 2.0  # an int is accepted


def test_names_and_config():
    assert metrics.F1Score().name == "f1_score" and metrics.FBetaScore().name == "fbeta_score"
    m = metrics.FBetaScore(average="weighted", beta=0.5, threshold=0.3, name="fb", dtype="float64")
    config = m.get_config()
    assert config == {"name": "fb", "dtype": "float64", "average": "weighted", "beta": 0.5, "threshold": 0.3}
    assert metrics.FBetaScore.from_config(config).get_config() == config
    f1 = metrics.F1Score(average="micro")
    assert "beta" not in f1.get_config()
    assert metrics.deserialize(metrics.serialize(f1)).get_config() == f1.get_config()
