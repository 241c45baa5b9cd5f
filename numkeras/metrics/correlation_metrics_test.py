"""Pearson and concordance correlation metrics: Keras's documented numbers and numpy formulas."""
import numpy as np
import pytest

from numkeras import metrics

Y = [[0, 1, 0.5], [1, 1, 0.2]]
P = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]


def test_keras_documented_numbers():
    for cls, expected in ((metrics.PearsonCorrelation, 0.9966996338993913),
                          (metrics.ConcordanceCorrelation, 0.9816320385426076)):
        m = cls(axis=-1)
        m.update_state(Y, P)
        assert float(m.result()) == pytest.approx(expected, rel=1e-6)


def test_against_numpy_over_weighted_batches():
    rng = np.random.default_rng(0)
    y = rng.standard_normal((30, 8))
    p, w = y + rng.standard_normal((30, 8)), rng.uniform(size=30)
    pearson = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(y, p)])
    ccc = np.array([2 * np.cov(a, b, bias=True)[0, 1] / (a.var() + b.var() + (a.mean() - b.mean()) ** 2)
                    for a, b in zip(y, p)])
    for cls, per_sample in ((metrics.PearsonCorrelation, pearson), (metrics.ConcordanceCorrelation, ccc)):
        m = cls()
        m.update_state(y[:20], p[:20], sample_weight=w[:20])
        m.update_state(y[20:], p[20:], sample_weight=w[20:])
        assert float(m.result()) == pytest.approx((per_sample * w).sum() / w.sum(), rel=1e-5)


def test_axis_and_config():
    rng = np.random.default_rng(1)
    y, p = rng.standard_normal((5, 40)), rng.standard_normal((5, 40))
    np.testing.assert_allclose(metrics.pearson_correlation(y, p, axis=0),
                               [np.corrcoef(a, b)[0, 1] for a, b in zip(y.T, p.T)], rtol=1e-5)
    m = metrics.ConcordanceCorrelation(axis=0, name="ccc")
    assert m.get_config() == {"name": "ccc", "dtype": "float32", "axis": 0}
    assert metrics.deserialize(metrics.serialize(m)).get_config() == m.get_config()
    assert type(metrics.get("pearson_correlation")) is metrics.PearsonCorrelation
    assert type(metrics.get("concordance_correlation")) is metrics.ConcordanceCorrelation


def test_constant_sample_gives_nan_quietly():
    assert np.isnan(metrics.pearson_correlation([[1.0, 1.0]], [[0.2, 0.4]])[0])
    assert metrics.concordance_correlation([[1.0, 1.0]], [[1.0, 1.0]])[0] == 0.0
