"""Hinge losses: Keras's documented numbers, the {0, 1} -> {-1, 1} label mapping, gradients at the margin."""
import numpy as np
import pytest

import numkeras
from numkeras import losses, ops

Y_TRUE = np.array([[0.0, 1.0], [0.0, 0.0]])
Y_PRED = np.array([[0.6, 0.4], [0.4, 0.6]])


@pytest.mark.parametrize("cls, mean, total, per_sample", [
    (losses.Hinge, 1.3, 2.6, [1.1, 1.5]),
    (losses.SquaredHinge, 1.86, 3.72, [1.46, 2.26]),
    (losses.CategoricalHinge, 1.4, 2.8, [1.2, 1.6]),
])
def test_keras_numbers(cls, mean, total, per_sample):
    assert float(cls()(Y_TRUE, Y_PRED)) == pytest.approx(mean, abs=1e-6)
    assert float(cls(reduction="sum")(Y_TRUE, Y_PRED)) == pytest.approx(total, abs=1e-6)
    np.testing.assert_allclose(cls(reduction=None)(Y_TRUE, Y_PRED).numpy(), per_sample, rtol=1e-6)
    # weights [1, 0] keep the first sample only
    np.testing.assert_allclose(cls(reduction=None)(Y_TRUE, Y_PRED, sample_weight=[1, 0]).numpy(),
                               [per_sample[0], 0.0], rtol=1e-6)
    assert float(cls()(Y_TRUE, Y_PRED, sample_weight=[1, 0])) == pytest.approx(per_sample[0] / 2, abs=1e-6)
    assert float(cls()(Y_TRUE, Y_PRED, sample_weight=0.0)) == 0.0
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        cls(reduction="abc")


@pytest.mark.parametrize("fn", [losses.hinge, losses.squared_hinge])
def test_binary_labels_are_mapped_to_plus_minus_one(fn):
    p = np.random.default_rng(0).standard_normal((5, 3))
    binary = np.random.default_rng(1).integers(0, 2, (5, 3)).astype("float64")
    np.testing.assert_array_equal(fn(binary, p).numpy(), fn(2 * binary - 1, p).numpy())
    # labels that are not all 0/1 are used as they are: here a 0 label gives a margin of exactly 1
    mixed = np.array([[-1.0, 0.0, 1.0]])
    expected = np.maximum(1 - mixed * np.array([[0.5, 0.5, 0.5]]), 0)
    if fn is losses.squared_hinge:
        expected = expected ** 2
    np.testing.assert_allclose(fn(mixed, np.full((1, 3), 0.5)).numpy(), expected.mean(-1), rtol=1e-12)


def test_hinge_gradient_is_zero_beyond_the_margin():
    p = numkeras.Variable(np.array([[2.0, 0.5, -3.0]]), dtype="float64")
    with numkeras.GradientTape() as tape:
        value = ops.sum(losses.hinge(np.array([[1.0, 1.0, -1.0]]), p))
    # only the middle prediction violates its margin: d/dp max(1 - p, 0) = -1, over 3 entries
    np.testing.assert_allclose(tape.gradient(value, p).numpy(), [[0.0, -1 / 3, 0.0]])


def test_categorical_hinge_gradient_moves_true_class_up_and_best_wrong_class_down():
    p = numkeras.Variable(np.array([[0.2, 0.5, 0.1]]), dtype="float64")
    with numkeras.GradientTape() as tape:
        value = ops.sum(losses.categorical_hinge(np.array([[1.0, 0.0, 0.0]]), p))
    assert float(value) == pytest.approx(0.5 - 0.2 + 1)
    np.testing.assert_allclose(tape.gradient(value, p).numpy(), [[-1.0, 1.0, 0.0]])
