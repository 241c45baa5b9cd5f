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
