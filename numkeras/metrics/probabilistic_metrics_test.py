"""Crossentropy metrics: running means of the losses."""
import numpy as np
import pytest

from numkeras import losses, metrics


def test_categorical_crossentropy_metric():
    m = metrics.CategoricalCrossentropy()
    m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    assert float(m.result()) == pytest.approx(1.177, abs=1e-3)
    m.reset_state()
    m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], sample_weight=[0.3, 0.7])
    # a metric divides by the sum of the weights (a loss divides by the batch size)
    assert float(m.result()) == pytest.approx((0.3 * 0.0513 + 0.7 * 2.3026) / 1.0, abs=1e-3)


def test_binary_and_sparse_crossentropy_metrics():
    rng = np.random.default_rng(5)
    y, p = rng.integers(0, 2, (6, 1)), rng.uniform(0.1, 0.9, (6, 1))
    m = metrics.BinaryCrossentropy()
    m.update_state(y, p)
    assert float(m.result()) == pytest.approx(float(losses.BinaryCrossentropy(dtype="float64")(y, p)), rel=1e-5)
    labels, q = rng.integers(0, 3, 6), rng.uniform(0.1, 0.9, (6, 3))
    m = metrics.SparseCategoricalCrossentropy()
    m.update_state(labels, q)
    assert float(m.result()) == pytest.approx(
        float(losses.SparseCategoricalCrossentropy(dtype="float64")(labels, q)), rel=1e-5)


def test_sparse_crossentropy_metric_leaves_out_ignored_entries():
    labels = np.array([0, -1, 2, -1])
    p = np.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8], [0.25, 0.25, 0.5], [0.3, 0.3, 0.4]])
    m = metrics.SparseCategoricalCrossentropy(ignore_class=-1)
    m.update_state(labels, p)
    assert float(m.result()) == pytest.approx(np.log(2), rel=1e-6)
    m.update_state(labels, p, sample_weight=[3.0, 1.0, 1.0, 1.0])
    assert float(m.result()) == pytest.approx(np.log(2), rel=1e-6)
    assert m.get_config()["ignore_class"] == -1


@pytest.mark.parametrize("cls, y_pred, plain, weighted", [
    (metrics.KLDivergence, [[0.6, 0.4], [0.4, 0.6]], 0.45814306, 0.9162892),
    (metrics.Poisson, [[1, 1], [0, 0]], 0.49999997, 0.99999994),
    (metrics.BinaryCrossentropy, [[0.6, 0.4], [0.4, 0.6]], 0.81492424, 0.9162905),
])
def test_keras_documented_numbers(cls, y_pred, plain, weighted):
    m = cls()
    m.update_state([[0, 1], [0, 0]], y_pred)
    assert float(m.result()) == pytest.approx(plain, rel=1e-5)
    m.reset_state()
    m.update_state([[0, 1], [0, 0]], y_pred, sample_weight=[1, 0])
    assert float(m.result()) == pytest.approx(weighted, rel=1e-5)


def test_kl_divergence_and_poisson_against_numpy():
    rng = np.random.default_rng(6)
    y, p, w = rng.dirichlet(np.ones(4), 10), rng.dirichlet(np.ones(4), 10), rng.uniform(size=10)
    m = metrics.KLDivergence()
    m.update_state(y, p, sample_weight=w)
    kl = (y * np.log(np.clip(y, 1e-7, 1) / np.clip(p, 1e-7, 1))).sum(-1)
    assert float(m.result()) == pytest.approx((kl * w).sum() / w.sum(), rel=1e-5)
    counts, rates = rng.poisson(3, (10, 2)), rng.uniform(1, 5, (10, 2))
    m = metrics.Poisson()
    m.update_state(counts, rates)
    assert float(m.result()) == pytest.approx((rates - counts * np.log(rates + 1e-7)).mean(), rel=1e-5)
    assert metrics.KLDivergence().name == "kl_divergence" and metrics.Poisson().name == "poisson"
