"""Hinge metrics: Keras's documented numbers and the formulas written out in numpy."""
import numpy as np
import pytest

from numkeras import metrics

Y, P = [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]


@pytest.mark.parametrize("cls, plain, weighted", [
    (metrics.Hinge, 1.3, 1.1),
    (metrics.SquaredHinge, 1.86, 1.46),
    (metrics.CategoricalHinge, 1.4, 1.2),
])
def test_keras_documented_numbers(cls, plain, weighted):
    m = cls()
    m.update_state(Y, P)
    assert float(m.result()) == pytest.approx(plain, rel=1e-6)
    m.reset_state()
    m.update_state(Y, P, sample_weight=[1, 0])
    assert float(m.result()) == pytest.approx(weighted, rel=1e-6)


@pytest.mark.parametrize("cls, per_sample", [
    (metrics.Hinge, lambda s, p: np.maximum(1 - s * p, 0).mean(-1)),
    (metrics.SquaredHinge, lambda s, p: (np.maximum(1 - s * p, 0) ** 2).mean(-1)),
])
@pytest.mark.parametrize("signed", [False, True])
def test_hinge_against_numpy(cls, per_sample, signed):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, (12, 3))
    y = 2 * labels - 1 if signed else labels
    p, w = rng.standard_normal((12, 3)), rng.uniform(size=12)
    m = cls()
    m.update_state(y, p, sample_weight=w)
    expected = (per_sample(2 * labels - 1, p) * w).sum() / w.sum()  # 0/1 labels are read as -1/1
    assert float(m.result()) == pytest.approx(expected, rel=1e-5)


def test_categorical_hinge_against_numpy():
    rng = np.random.default_rng(1)
    y, p = np.eye(4)[rng.integers(0, 4, 10)], rng.uniform(size=(10, 4))
    m = metrics.CategoricalHinge()
    m.update_state(y, p)
    pos, neg = (y * p).sum(-1), ((1 - y) * p).max(-1)
    assert float(m.result()) == pytest.approx(np.maximum(neg - pos + 1, 0).mean(), rel=1e-5)


def test_names_and_config():
    for cls, name in ((metrics.Hinge, "hinge"), (metrics.SquaredHinge, "squared_hinge"),
                      (metrics.CategoricalHinge, "categorical_hinge")):
        m = cls()
        assert m.name == name and m.get_config() == {"name": name, "dtype": "float32"}
        assert type(metrics.deserialize(metrics.serialize(m))) is cls
