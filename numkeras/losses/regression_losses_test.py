"""Regression losses: Keras's documented numbers, timestep weights, and the edge cases of each formula."""
import warnings

import numpy as np
import pytest

import numkeras
from numkeras import losses, ops
from numkeras.engine.gradient_check import check_gradients

RNG = np.random.default_rng(11)
# The inputs of Keras's own regression tests.
Y_TRUE = np.array([[1, 9, 2], [-5, -2, 6]])
Y_PRED = np.array([[4, 8, 12], [8, 1, 3]], dtype="float32")
TIMESTEP_WEIGHTS = np.array([3, 6, 5, 0, 4, 2]).reshape(2, 3)


def test_mse_mae_keras_examples():
    assert float(losses.MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])) == pytest.approx(0.02, abs=1e-6)
    assert float(losses.MeanAbsoluteError()([1.0, 0.3, 1.0], [1.9, 0.3, 1.8])) == pytest.approx(0.5666667, abs=1e-6)


@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4), (4,)])
def test_mse_mae_values(shape):
    y, p = RNG.standard_normal(shape), RNG.standard_normal(shape)
    np.testing.assert_allclose(losses.mean_squared_error(y, p).numpy(), ((y - p) ** 2).mean(-1), rtol=1e-12)
    np.testing.assert_allclose(losses.mean_absolute_error(y, p).numpy(), np.abs(y - p).mean(-1), rtol=1e-12)


@pytest.mark.parametrize("kwargs, sample_weight, expected", [
    ({}, None, 211.8518),
    ({}, 2.3, 487.259),
    ({}, np.array([[1.2], [3.4]]), 422.8888),
    ({}, 0, 0.0),
    ({"reduction": None}, 2.3, [621.8518, 352.6666]),
    ({"reduction": "mean_with_sample_weight"}, np.array([[1.2], [3.4]]), 183.865),
])
def test_mape_keras_numbers(kwargs, sample_weight, expected):
    out = losses.MeanAbsolutePercentageError(**kwargs)(Y_TRUE, Y_PRED, sample_weight=sample_weight)
    np.testing.assert_allclose(out.numpy().reshape(np.shape(expected)), expected, rtol=1e-5)


def test_mape_keras_doc_example_and_timesteps():
    loss = losses.MeanAbsolutePercentageError()
    assert float(loss([100.0, 200.0, 300.0], [90.0, 210.0, 310.0])) == pytest.approx(6.111111, rel=1e-6)
    out = loss(Y_TRUE.reshape(2, 3, 1), Y_PRED.reshape(2, 3, 1), sample_weight=TIMESTEP_WEIGHTS)
    assert float(out) == pytest.approx(694.4444, rel=1e-6)


def test_mape_zero_label_is_large_but_finite():
    out = losses.mean_absolute_percentage_error([[0.0, 1.0]], [[0.5, 1.0]]).numpy()
    np.testing.assert_allclose(out, [100 * 0.5 / 1e-7 / 2], rtol=1e-6)


@pytest.mark.parametrize("kwargs, sample_weight, expected", [
    ({}, None, 1.4370),
    ({}, 2.3, 3.3051),
    ({}, np.array([[1.2], [3.4]]), 3.7856),
    ({}, 0, 0.0),
    ({"reduction": "mean_with_sample_weight"}, np.array([[1.2], [3.4]]), 1.646),
])
def test_msle_keras_numbers(kwargs, sample_weight, expected):
    out = losses.MeanSquaredLogarithmicError(**kwargs)(Y_TRUE, Y_PRED, sample_weight=sample_weight)
    assert float(out) == pytest.approx(expected, abs=1e-3)
    timesteps = losses.MeanSquaredLogarithmicError()(Y_TRUE.reshape(2, 3, 1), Y_PRED.reshape(2, 3, 1),
                                                     sample_weight=TIMESTEP_WEIGHTS)
    assert float(timesteps) == pytest.approx(2.647374, rel=1e-5)


def test_msle_treats_negatives_as_epsilon():
    # -5 and -2 count as 1e-7, so log1p of them is ~0 rather than undefined
    expected = (np.log1p(8.0) - np.log1p(1e-7)) ** 2
    np.testing.assert_allclose(losses.mean_squared_logarithmic_error([[-5.0]], [[8.0]]).numpy(), [expected],
                               rtol=1e-6)


def huber_ref(y, p, delta=1.0):
    a = np.abs(p - y)
    quadratic = np.minimum(a, delta)
    return 0.5 * quadratic ** 2 + delta * (a - quadratic)  # the same function, written another way


def test_huber_keras_numbers():
    assert float(losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])) == pytest.approx(0.155, abs=1e-3)
    y = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    p = np.array([[0.9, 0.2, 0.2], [0.8, 0.4, 0.6]])
    for delta in (1.0, 0.8, 0.1):
        loss = losses.Huber(delta=delta, dtype="float64")
        assert float(loss(y, p, sample_weight=2.3)) == pytest.approx(2.3 * huber_ref(y, p, delta).mean(), rel=1e-12)
    weights = np.array([3, 6, 5, 0, 4, 2]).reshape(2, 3, 1)
    out = losses.Huber(dtype="float64")(y.reshape(2, 3, 1), p.reshape(2, 3, 1), sample_weight=weights)
    assert float(out) == pytest.approx((huber_ref(y, p).reshape(2, 3, 1) * weights).sum() / 6, rel=1e-12)


def test_huber_is_smooth_at_delta():
    # value and slope of both pieces agree at |error| = delta: the gradient check passes right there
    y = np.zeros((1, 4))
    check_gradients(lambda p: losses.huber(y, p, delta=0.5), np.array([[0.5, -0.5, 0.2, 3.0]]))


def test_log_cosh_keras_numbers_and_large_errors():
    out = losses.LogCosh()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
    assert float(out) == pytest.approx(0.108, abs=1e-3)
    y = np.array([[1, 9, 2], [-5, -2, 6]], "float32")
    p = np.array([[4, 8, 12], [8, 1, 3]], "float32")
    error = (p - y).astype("float64")
    expected = np.log((np.exp(error) + np.exp(-error)) / 2)
    assert float(losses.LogCosh()(y, p, sample_weight=[1.2, 3.4])) == pytest.approx(
        (expected * np.array([[1.2], [3.4]])).mean(), rel=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # cosh(1e4) would overflow; this formula never does
        big = losses.log_cosh(np.zeros((1, 2), "float32"), np.array([[1e4, -1e4]], "float32"))
    np.testing.assert_allclose(big.numpy(), [1e4 - np.log(2)], rtol=1e-7)


def test_log_cosh_gradient_is_tanh_even_at_zero():
    p = numkeras.Variable(np.array([[0.0, 0.5, -2.0, 30.0]]), dtype="float64")
    with numkeras.GradientTape() as tape:
        value = ops.sum(losses.log_cosh(np.zeros((1, 4)), p))
    np.testing.assert_allclose(tape.gradient(value, p).numpy(), np.tanh(p.numpy()) / 4, rtol=1e-12, atol=1e-300)


def test_cosine_similarity_keras_numbers():
    out = losses.cosine_similarity([[0., 1.], [1., 1.], [1., 1.]], [[1., 0.], [1., 1.], [-1., -1.]])
    np.testing.assert_allclose(out.numpy(), [0.0, -1.0, 1.0], atol=1e-6)
    y = np.array([[1, 9, 2], [-5, -2, 6]], "float32")
    p = np.array([[4, 8, 12], [8, 1, 3]], "float32")
    cosine = (y * p).sum(1) / np.linalg.norm(y, axis=1) / np.linalg.norm(p, axis=1)
    assert float(losses.CosineSimilarity()(y, p, sample_weight=[1.2, 3.4])) == pytest.approx(
        -(cosine * [1.2, 3.4]).mean(), rel=1e-5)
    assert float(losses.CosineSimilarity(axis=1)(y, p)) == pytest.approx(-cosine.mean(), rel=1e-5)


def test_cosine_similarity_axis_and_config():
    y, p = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 3, 4))
    expected = -(y * p).sum(1) / np.linalg.norm(y, axis=1) / np.linalg.norm(p, axis=1)
    np.testing.assert_allclose(losses.cosine_similarity(y, p, axis=1).numpy(), expected, rtol=1e-12)
    loss = losses.CosineSimilarity(axis=2, reduction="sum", name="cosine_loss")
    assert loss.get_config() == {"name": "cosine_loss", "reduction": "sum", "axis": 2}


def test_cosine_similarity_of_a_zero_vector_is_zero_with_finite_gradient():
    p = numkeras.Variable(np.zeros((1, 3)), dtype="float32")
    with numkeras.GradientTape() as tape:
        value = losses.CosineSimilarity()(np.ones((1, 3)), p)
    assert float(value) == 0.0
    assert np.all(np.isfinite(tape.gradient(value, p).numpy()))
