import numpy as np
import pytest

from numkeras import losses
from numkeras.engine.gradient_check import check_gradients

RNG = np.random.default_rng(0)
PROBS = RNG.dirichlet(np.ones(4), size=5)
LABELS = np.array([0, 3, 1, 1, 2])


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_value_is_one_minus_p_to_the_q_over_q(q):
    p = PROBS[np.arange(5), LABELS]
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=q).numpy(),
                               (1 - p ** q) / q, rtol=1e-12)
    np.testing.assert_allclose(losses.CategoricalGeneralizedCrossEntropy(q=q)(LABELS, PROBS.astype("float32")).numpy(),
                               ((1 - p ** q) / q).mean(), rtol=1e-5)


def test_it_tends_to_crossentropy_as_q_goes_to_zero():
    p = PROBS[np.arange(5), LABELS]
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=1e-6).numpy(),
                               -np.log(p), rtol=1e-4)


def test_labels_may_carry_a_trailing_axis_and_the_gradient_is_right():
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(LABELS[:, None], PROBS, q=0.5).numpy(),
                               losses.categorical_generalized_cross_entropy(LABELS, PROBS, q=0.5).numpy())
    check_gradients(lambda p: losses.categorical_generalized_cross_entropy(LABELS, p, q=0.7), PROBS)
