import numpy as np
import pytest

from numkeras import losses
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(0)
Y_TRUE = (RNG.random((2, 4, 4)) > 0.5).astype("float32")
Y_PRED = RNG.random((2, 4, 4)).astype("float32")
EPS = 1e-7


def test_dice_is_one_minus_twice_the_overlap_over_the_sizes():
    t, p = Y_TRUE.astype("float64"), Y_PRED.astype("float64")
    want = 1 - 2 * (t * p).sum() / (t.sum() + p.sum() + EPS)
    np.testing.assert_allclose(losses.dice(Y_TRUE, Y_PRED).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(losses.Dice()(Y_TRUE, Y_PRED).numpy(), want, rtol=1e-6)
    per_image = 1 - 2 * (t * p).sum((1, 2)) / (t.sum((1, 2)) + p.sum((1, 2)) + EPS)
    np.testing.assert_allclose(losses.dice(Y_TRUE, Y_PRED, axis=(1, 2)).numpy(), per_image, rtol=1e-6)
    np.testing.assert_allclose(losses.Dice(axis=(1, 2), reduction="sum")(Y_TRUE, Y_PRED).numpy(), per_image.sum(),
                               rtol=1e-6)


def test_tversky_weighs_missed_foreground_by_alpha_and_false_alarms_by_beta():
    t, p = Y_TRUE.astype("float64"), Y_PRED.astype("float64")
    tp, missed, alarm = (t * p).sum(), ((1 - p) * t).sum(), (p * (1 - t)).sum()
    want = 1 - tp / (tp + 0.7 * missed + 0.3 * alarm + EPS)
    np.testing.assert_allclose(losses.Tversky(alpha=0.7, beta=0.3)(Y_TRUE, Y_PRED).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(losses.tversky(Y_TRUE, Y_PRED).numpy(), losses.dice(Y_TRUE, Y_PRED).numpy(), rtol=1e-6)


def test_perfect_masks_give_zero_loss_and_configs_round_trip():
    assert float(losses.Dice()(Y_TRUE, Y_TRUE).numpy()) < 1e-6
    loss = losses.Tversky(alpha=0.2, beta=0.8, axis=(1, 2), name="tv")
    clone = losses.Tversky.from_config(loss.get_config())
    assert clone.get_config() == {"name": "tv", "reduction": "sum_over_batch_size", "alpha": 0.2, "beta": 0.8,
                                  "axis": (1, 2)}


@pytest.mark.parametrize("fn", [lambda t, p: losses.dice(t, p, axis=(1, 2)),
                                lambda t, p: losses.tversky(t, p, alpha=0.3, beta=0.9)])
def test_gradients_match_finite_differences(fn):
    labels = Y_TRUE.astype("float64")
    check_gradients(lambda p: fn(labels, p), Y_PRED.astype("float64"))
    check_float32(lambda p: fn(Y_TRUE, p), Y_PRED)
