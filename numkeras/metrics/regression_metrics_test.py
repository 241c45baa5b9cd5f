"""MeanSquaredError / MeanAbsoluteError metrics against hand computations."""
import numpy as np
import pytest

from numkeras import metrics


@pytest.mark.parametrize("cls, fn", [(metrics.MeanSquaredError, lambda d: d ** 2),
                                     (metrics.MeanAbsoluteError, np.abs)])
def test_weighted_running_mean_of_errors(cls, fn):
    rng = np.random.default_rng(3)
    m = cls()
    per_sample, weights = [], []
    for _ in range(3):
        y, p, w = rng.standard_normal((5, 4)), rng.standard_normal((5, 4)), rng.uniform(0, 1, 5)
        m.update_state(y, p, sample_weight=w)
        per_sample.append(fn(y - p).mean(axis=-1))
        weights.append(w)
    e, w = np.concatenate(per_sample), np.concatenate(weights)
    assert float(m.result()) == pytest.approx((e * w).sum() / w.sum(), rel=1e-5)
    assert m.result().dtype == np.float32


def test_keras_like_examples():
    m = metrics.MeanSquaredError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    assert float(m.result()) == 0.25
    m = metrics.MeanAbsoluteError()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    assert float(m.result()) == 0.5
    assert metrics.MeanSquaredError().name == "mean_squared_error"
    assert metrics.MeanAbsoluteError().get_config() == {"name": "mean_absolute_error", "dtype": "float32"}


Y, P = [[0, 1], [0, 0]], [[1, 1], [0, 0]]


@pytest.mark.parametrize("cls, plain, weighted", [
    (metrics.MeanAbsolutePercentageError, 250000000.0, 500000000.0),
    (metrics.MeanSquaredLogarithmicError, 0.12011322, 0.24022643),
    (metrics.RootMeanSquaredError, 0.5, 0.70710677),
    (metrics.LogCoshError, 0.10844523, 0.21689045),
])
def test_keras_documented_numbers(cls, plain, weighted):
    m = cls()
    m.update_state(Y, P)
    assert float(m.result()) == pytest.approx(plain, rel=1e-6)
    m.reset_state()
    m.update_state(Y, P, sample_weight=[1, 0])
    assert float(m.result()) == pytest.approx(weighted, rel=1e-6)
    assert m.result().dtype == np.float32 and m.result().shape == ()


def test_cosine_similarity_keras_numbers():
    m = metrics.CosineSimilarity(axis=1)
    m.update_state([[0., 1.], [1., 1.]], [[1., 0.], [1., 1.]])
    assert float(m.result()) == pytest.approx(0.5, abs=1e-6)
    m.reset_state()
    m.update_state([[0., 1.], [1., 1.]], [[1., 0.], [1., 1.]], sample_weight=[0.3, 0.7])
    assert float(m.result()) == pytest.approx(0.7, abs=1e-6)


@pytest.mark.parametrize("cls, per_sample", [
    (metrics.MeanAbsolutePercentageError,
     lambda y, p: 100 * np.mean(np.abs(y - p) / np.maximum(np.abs(y), 1e-7), axis=-1)),
    (metrics.MeanSquaredLogarithmicError,
     lambda y, p: np.mean((np.log(np.maximum(p, 1e-7) + 1) - np.log(np.maximum(y, 1e-7) + 1)) ** 2, axis=-1)),
    (metrics.LogCoshError, lambda y, p: np.mean(np.log(np.cosh(p - y)), axis=-1)),
    (metrics.CosineSimilarity,
     lambda y, p: np.sum(y * p, -1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(p, axis=-1)),
])
def test_running_means_against_numpy(cls, per_sample):
    rng = np.random.default_rng(7)
    m = cls()
    values, weights = [], []
    for _ in range(3):
        y, p, w = rng.uniform(0.5, 3, (6, 4)), rng.uniform(0.5, 3, (6, 4)), rng.uniform(0, 1, 6)
        m.update_state(y, p, sample_weight=w)
        values.append(per_sample(y, p))
        weights.append(w)
    v, w = np.concatenate(values), np.concatenate(weights)
    assert float(m.result()) == pytest.approx((v * w).sum() / w.sum(), rel=1e-5)


def test_rmse_is_the_root_of_the_weighted_mean_squared_error():
    rng = np.random.default_rng(8)
    y, p, w = rng.standard_normal((20, 3)), rng.standard_normal((20, 3)), rng.uniform(size=20)
    m = metrics.RootMeanSquaredError()
    m.update_state(y[:10], p[:10], sample_weight=w[:10])
    m.update_state(y[10:], p[10:], sample_weight=w[10:])
    expected = np.sqrt((((y - p) ** 2).mean(-1) * w).sum() / w.sum())
    assert float(m.result()) == pytest.approx(expected, rel=1e-5)


def test_log_cosh_does_not_overflow():
    m = metrics.LogCoshError()
    m.update_state(np.array([[0.0]], "float32"), np.array([[1e4]], "float32"))
    assert float(m.result()) == pytest.approx(1e4 - np.log(2), rel=1e-6)


def test_regression_edge_cases():
    for cls in (metrics.MeanSquaredError, metrics.RootMeanSquaredError, metrics.MeanAbsolutePercentageError,
                metrics.LogCoshError, metrics.CosineSimilarity):
        m = cls()
        assert float(m.result()) == 0.0
        m.update_state([[1.0, 2.0]], [[2.0, 2.0]], sample_weight=[0.0])
        assert float(m.result()) == 0.0, cls.__name__
    m = metrics.MeanSquaredError()
    m.update_state([1, 2, 3], [1, 2, 5])  # rank 1: one error per sample
    assert float(m.result()) == pytest.approx(4 / 3)
    m = metrics.CosineSimilarity()
    m.update_state([[0.0, 0.0]], [[1.0, 1.0]])  # a zero vector has similarity 0, not nan
    assert float(m.result()) == 0.0


def r2_reference(y, p, w=None):
    w = np.ones(len(y)) if w is None else w
    mean = (w[:, None] * y).sum(0) / w.sum()
    ss_res = (w[:, None] * (y - p) ** 2).sum(0)
    ss_tot = (w[:, None] * (y - mean) ** 2).sum(0)
    return 1 - ss_res / ss_tot, ss_tot


def test_r2_keras_number():
    m = metrics.R2Score()
    m.update_state(np.array([[1], [4], [3]], "float32"), np.array([[2], [4], [4]], "float32"))
    assert float(m.result()) == pytest.approx(0.57142854, rel=1e-6)


@pytest.mark.parametrize("aggregation", [None, "uniform_average", "variance_weighted_average"])
def test_r2_against_numpy(aggregation):
    rng = np.random.default_rng(9)
    y = rng.standard_normal((40, 3)) * [1, 2, 3]
    p, w = y + rng.standard_normal((40, 3)), rng.uniform(size=40)
    m = metrics.R2Score(class_aggregation=aggregation)
    m.update_state(y[:25], p[:25], sample_weight=w[:25])
    m.update_state(y[25:], p[25:], sample_weight=w[25:])
    scores, ss_tot = r2_reference(y, p, w)
    expected = {None: scores, "uniform_average": scores.mean(),
                "variance_weighted_average": (scores * ss_tot).sum() / ss_tot.sum()}[aggregation]
    np.testing.assert_allclose(m.result(), expected, rtol=1e-4)


def test_adjusted_r2_and_its_fallbacks():
    rng = np.random.default_rng(10)
    y = rng.standard_normal((30, 1))
    p = y + 0.5 * rng.standard_normal((30, 1))
    m = metrics.R2Score(num_regressors=4)
    m.update_state(y, p)
    r2 = r2_reference(y, p)[0].mean()
    assert float(m.result()) == pytest.approx(1 - (1 - r2) * 29 / 25, rel=1e-4)
    m = metrics.R2Score(num_regressors=2)
    m.update_state(y[:3], p[:3])
    with pytest.warns(UserWarning, match="Division by zero"):
        assert float(m.result()) == pytest.approx(r2_reference(y[:3], p[:3])[0].mean(), rel=1e-4)
    m = metrics.R2Score(num_regressors=5)
    m.update_state(y[:3], p[:3])
    with pytest.warns(UserWarning, match="More independent predictors"):
        m.result()


def test_r2_state_and_errors():
    m = metrics.R2Score()
    assert float(m.result()) == 0.0
    m.update_state([[1.0], [2.0], [3.0]], [[1.0], [2.0], [4.0]], sample_weight=[1.0, 0.0, 2.0])
    assert float(m.num_samples.numpy()) == 2.0  # samples of weight 0 do not count
    m.reset_state()
    assert not m.sum.numpy().any() and float(m.num_samples.numpy()) == 0.0
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.R2Score().update_state([[[1.0]]], [[[1.0]]])
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)


@pytest.mark.parametrize("metric, name", [
    (metrics.RootMeanSquaredError(), "root_mean_squared_error"),
    (metrics.MeanAbsolutePercentageError(), "mean_absolute_percentage_error"),
    (metrics.MeanSquaredLogarithmicError(), "mean_squared_logarithmic_error"),
    (metrics.LogCoshError(), "logcosh"),  # Keras's default name
    (metrics.CosineSimilarity(axis=0), "cosine_similarity"),
    (metrics.R2Score(class_aggregation=None, num_regressors=2), "r2_score"),
])
def test_regression_names_and_configs(metric, name):
    assert metric.name == name
    config = metric.get_config()
    assert type(metric).from_config(config).get_config() == config
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config
