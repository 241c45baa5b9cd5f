import numpy as np
import pytest

from numkeras import losses
from numkeras.engine.gradient_check import check_gradients


def _normalized(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


RNG = np.random.default_rng(0)
LABELS = np.array([0, 0, 1, 1, 2, 1])
EMB = _normalized(RNG.normal(size=(6, 4)))


def reference(labels, emb, gamma=80.0, margin=0.4, remove_diagonal=True):
    """Circle loss row by row, with plain loops."""
    out = []
    for i in range(len(labels)):
        pos, neg = [], []
        for j in range(len(labels)):
            d = max(1 - emb[i] @ emb[j], 0.0)
            if labels[i] == labels[j] and not (remove_diagonal and i == j):
                pos.append(-gamma * max(margin + d, 0) * (margin - d))
            elif labels[i] != labels[j]:
                neg.append(gamma * max(1 + margin - d, 0) * (1 - margin - d))
        lse = lambda v: np.logaddexp.reduce(v) if v else -np.inf  # noqa: E731
        out.append(np.logaddexp(0.0, lse(pos) + lse(neg)))
    return np.array(out)


def test_circle_matches_a_loop_reference():
    np.testing.assert_allclose(losses.circle(LABELS, EMB).numpy(), reference(LABELS, EMB), rtol=1e-9)
    np.testing.assert_allclose(losses.circle(LABELS, EMB, gamma=10.0, margin=0.25, remove_diagonal=False).numpy(),
                               reference(LABELS, EMB, 10.0, 0.25, False), rtol=1e-9)


def test_the_class_averages_over_the_samples_with_a_positive_loss():
    values = reference(LABELS, EMB, gamma=2.0)
    values[1] = 0.0  # pretend one sample is perfect: it must not count in the mean
    per_sample = reference(LABELS, EMB, gamma=2.0)
    got = float(losses.Circle(gamma=2.0)(LABELS, EMB.astype("float32")).numpy())
    np.testing.assert_allclose(got, per_sample[per_sample > 0].mean(), rtol=1e-5)
    # A sample with no positive pair (label 2 is alone) has zero loss and drops out.
    assert reference(LABELS, EMB)[4] == 0.0


def test_reference_embeddings_and_labels_may_be_given():
    ref = _normalized(RNG.normal(size=(3, 4)))
    got = losses.circle(LABELS, EMB, ref_labels=[0, 1, 2], ref_embeddings=ref, remove_diagonal=False).numpy()
    assert got.shape == (6,) and np.isfinite(got).all()


def test_gradient_matches_finite_differences_even_with_empty_rows():
    check_gradients(lambda e: losses.circle(LABELS, e, gamma=4.0), EMB, rtol=1e-5)


def test_config_round_trips():
    loss = losses.Circle(gamma=32.0, margin=0.25, remove_diagonal=False)
    assert losses.Circle.from_config(loss.get_config()).get_config() == loss.get_config()


@pytest.mark.parametrize("q", [0.0, 1.0, -0.5])
def test_generalized_crossentropy_needs_q_in_the_open_unit_interval(q):
    with pytest.raises(ValueError, match=r"q must be in the open interval \(0, 1\)"):
        losses.CategoricalGeneralizedCrossEntropy(q=q)
