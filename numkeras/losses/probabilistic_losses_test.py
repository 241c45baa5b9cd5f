"""KL divergence and Poisson: Keras's test inputs against the formulas, clipping, timestep weights."""
import numpy as np
import pytest

import numkeras
from numkeras import losses, ops

P = np.array([0.4, 0.9, 0.12, 0.36, 0.3, 0.4], "float32").reshape(2, 3)
Q = np.array([0.5, 0.8, 0.12, 0.7, 0.43, 0.8], "float32").reshape(2, 3)
KLD_TERMS = Q.astype("float64") * np.log(Q.astype("float64") / P)  # labels Q, predictions P


def test_kl_divergence_keras_cases():
    assert float(losses.KLDivergence()(Q, P)) == pytest.approx(KLD_TERMS.sum() / 2, rel=1e-5)
    assert float(losses.KLDivergence()(Q, P, sample_weight=2.3)) == pytest.approx(2.3 * KLD_TERMS.sum() / 2,
                                                                                    rel=1e-5)
    weighted = losses.KLDivergence()(Q, P, sample_weight=np.array([[1.2], [3.4]], "float32"))
    assert float(weighted) == pytest.approx((KLD_TERMS * [[1.2], [3.4]]).sum() / 2, rel=1e-5)
    timesteps = losses.KLDivergence()(Q.reshape(2, 3, 1), P.reshape(2, 3, 1),
                                      sample_weight=np.array([3, 6, 5, 0, 4, 2]).reshape(2, 3))
    assert float(timesteps) == pytest.approx((KLD_TERMS.reshape(2, 3) * [[3, 6, 5], [0, 4, 2]]).sum() / 6, rel=1e-5)
    assert float(losses.KLDivergence()(Q, P, sample_weight=0)) == 0.0
    assert losses.KLDivergence(reduction="sum", name="kld").name == "kld"


def test_kl_divergence_clips_both_sides():
    # a zero label contributes eps * log(eps / p), a zero prediction log(y / eps): both finite
    out = losses.kl_divergence([[0.0, 1.0]], [[0.5, 0.0]]).numpy()
    expected = 1e-7 * np.log(1e-7 / 0.5) + np.log(1 / 1e-7)
    np.testing.assert_allclose(out, [expected], rtol=1e-5)
    assert losses.kl_divergence([[0.3, 0.7]], [[0.3, 0.7]]).numpy() == pytest.approx(0.0, abs=1e-7)


def test_kl_divergence_gradient_is_zero_where_clipped():
    p = numkeras.Variable(np.array([[0.0, 0.5, 1.5]]), dtype="float64")
    with numkeras.GradientTape() as tape:
        value = ops.sum(losses.kl_divergence(np.array([[0.2, 0.3, 0.5]]), p))
    np.testing.assert_allclose(tape.gradient(value, p).numpy(), [[0.0, -0.3 / 0.5, 0.0]])


def test_poisson_keras_cases():
    y_pred = np.array([1, 9, 2, 5, 2, 6], "float32").reshape(2, 3)
    y_true = np.array([4, 8, 12, 8, 1, 3], "float32").reshape(2, 3)
    terms = y_pred - y_true * np.log(y_pred.astype("float64"))
    assert float(losses.Poisson()(y_true, y_pred)) == pytest.approx(terms.mean(), rel=1e-5)
    assert float(losses.Poisson()(y_true, y_pred, sample_weight=2.3)) == pytest.approx(2.3 * terms.mean(), rel=1e-5)
    weighted = losses.Poisson()(y_true, y_pred, sample_weight=np.array([[1.2], [3.4]]))
    assert float(weighted) == pytest.approx((terms * [[1.2], [3.4]]).mean(), rel=1e-5)
    weights = np.array([3, 6, 5, 0, 4, 2]).reshape(2, 3)
    timesteps = losses.Poisson()(y_true.reshape(2, 3, 1), y_pred.reshape(2, 3, 1), sample_weight=weights)
    assert float(timesteps) == pytest.approx((terms * weights).sum() / 6, rel=1e-5)
    assert float(losses.Poisson()(y_true, y_pred, sample_weight=0)) == 0.0


def test_poisson_zero_rate_is_finite():
    out = losses.poisson([[2.0]], [[0.0]]).numpy()
    np.testing.assert_allclose(out, [-2 * np.log(1e-7)], rtol=1e-6)
