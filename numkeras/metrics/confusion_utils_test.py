"""Bucketed confusion counts against the direct comparison of every prediction with every threshold."""
import numpy as np
import pytest

from numkeras.metrics.confusion_utils import (NEG_INF, confusion_counts, divide_no_nan, filter_top_k,
                                              is_evenly_distributed, parse_thresholds)


def brute_force(y_true, y_pred, thresholds, weights=None, axis=None):
    """tp/fp/tn/fn with an explicit (threshold, entry) comparison table, summed over `axis` of the entries."""
    y_true, y_pred = np.asarray(y_true, "float32"), np.asarray(y_pred, "float32")
    weights = np.ones(y_pred.shape) if weights is None else np.broadcast_to(weights, y_pred.shape)
    t = np.asarray(thresholds, "float32").reshape((-1,) + (1,) * y_pred.ndim)
    above, positive = y_pred[None] > t, (y_true != 0)[None]
    reduce = tuple(range(1, y_pred.ndim + 1)) if axis is None else axis + 1

    def count(mask):
        return (mask * weights[None]).sum(axis=reduce)
    return {"tp": count(above & positive), "fp": count(above & ~positive),
            "tn": count(~above & ~positive), "fn": count(~above & positive)}


def assert_counts(got, expected):
    for key in ("tp", "fp", "tn", "fn"):
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-6, atol=1e-9, err_msg=key)


def test_doc_example():
    counts = confusion_counts([0, 1, 1, 1], [1, 0, 1, 1], thresholds=[0.5])
    assert {k: v.tolist() for k, v in counts.items()} == {"tp": [2.0], "fp": [1.0], "tn": [0.0], "fn": [1.0]}


@pytest.mark.parametrize("thresholds", [[0.5], [0.9, 0.1, 0.5, 0.3], [0.0, 1.0], [0.25, 0.25, 0.7]])
def test_arbitrary_thresholds_match_direct_comparison(thresholds):
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, (50, 3)), rng.uniform(size=(50, 3)).astype("float32")
    y_pred[:5] = np.array(thresholds[:1] * 3, "float32")  # predictions equal to a threshold are negative there
    y_pred[5, 0], y_pred[6, 0] = 0.0, 1.0
    weights = rng.uniform(0, 2, (50, 1))
    counts = confusion_counts(y_true, y_pred, thresholds, sample_weight=weights)
    assert_counts(counts, brute_force(y_true, y_pred, thresholds, weights))


def test_even_thresholds_with_epsilon_endpoints():
    n = 200
    thresholds = [-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7]
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 300)
    y_pred = np.concatenate([rng.uniform(size=290), [0, 0, 1, 1, 0.5, 0.25, 1 / 199, 2 / 199, 0.999, 1e-9]])
    counts = confusion_counts(y_true, y_pred, thresholds, evenly=True)
    expected = brute_force(y_true, y_pred, thresholds)
    # predictions of exactly 0 are above -epsilon; of exactly 1, below 1 + epsilon
    assert counts["tp"][0] + counts["fp"][0] == 300 and counts["tp"][-1] + counts["fp"][-1] == 0
    for key in expected:  # the arithmetic bucketing may differ from `>` by float rounding at a tie only
        assert np.abs(counts[key] - expected[key]).max() <= 1, key


def test_even_thresholds_without_epsilon_leave_zero_negative():
    thresholds = [0.0, 0.25, 0.5, 0.75, 1.0]
    assert is_evenly_distributed(thresholds)
    y_true, y_pred = [1, 1, 0, 1, 0], [0.0, 0.3, 0.6, 1.0, 0.9]
    assert_counts(confusion_counts(y_true, y_pred, thresholds, evenly=True), brute_force(y_true, y_pred, thresholds))


def test_predictions_outside_0_1_are_clipped_on_the_even_path():
    counts = confusion_counts([1, 0], [1.7, -0.4], [0.0, 0.5, 1.0], evenly=True)
    assert counts["tp"].tolist() == [1, 1, 0] and counts["fp"].tolist() == [0, 0, 0]


def test_multi_label_keeps_labels_apart():
    rng = np.random.default_rng(2)
    y_true, y_pred = rng.integers(0, 2, (40, 4)), rng.uniform(size=(40, 4))
    thresholds = [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7]
    weights = rng.uniform(size=(40,))
    counts = confusion_counts(y_true, y_pred, thresholds, sample_weight=weights, evenly=True, multi_label=True)
    assert counts["tp"].shape == (5, 4)
    assert_counts(counts, brute_force(y_true, y_pred, thresholds, weights[:, None], axis=0))


def test_label_weights_weigh_the_flattened_entries():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 2, (10, 3)), rng.uniform(size=(10, 3))
    label_weights = np.array([0.5, 2.0, 0.0])
    counts = confusion_counts(y_true, y_pred, [0.3, 0.6], label_weights=label_weights)
    assert_counts(counts, brute_force(y_true, y_pred, [0.3, 0.6], label_weights[None]))


@pytest.mark.parametrize("weight_shape", [(), (12,), (12, 1), (12, 3)])
def test_sample_weight_shapes(weight_shape):
    rng = np.random.default_rng(4)
    y_true, y_pred = rng.integers(0, 2, (12, 3)), rng.uniform(size=(12, 3))
    weights = rng.uniform(size=weight_shape)
    expected_weights = weights[:, None] if weights.ndim == 1 else weights
    assert_counts(confusion_counts(y_true, y_pred, [0.5], sample_weight=weights),
                  brute_force(y_true, y_pred, [0.5], expected_weights))


def test_rank_one_labels_against_column_predictions():
    counts = confusion_counts([1, 0, 1], [[0.9], [0.8], [0.1]], [0.5], sample_weight=[1, 2, 3])
    assert counts["tp"].tolist() == [1] and counts["fp"].tolist() == [2] and counts["fn"].tolist() == [3]


def test_top_k_and_class_id():
    rng = np.random.default_rng(5)
    y_true, y_pred = rng.integers(0, 2, (20, 5)), rng.uniform(size=(20, 5))
    counts = confusion_counts(y_true, y_pred, [NEG_INF], top_k=2)
    in_top2 = np.argsort(-y_pred, axis=1)[:, :2]
    hit = np.zeros_like(y_pred, bool)
    np.put_along_axis(hit, in_top2, True, axis=1)
    assert counts["tp"][0] == (hit & (y_true == 1)).sum() and counts["fp"][0] == (hit & (y_true == 0)).sum()
    counts = confusion_counts(y_true, y_pred, [0.5], class_id=3)
    assert_counts(counts, brute_force(y_true[:, 3], y_pred[:, 3], [0.5]))


def test_nan_predictions_count_as_negative():
    for evenly, thresholds in ((False, [0.5]), (True, [-1e-7, 0.5, 1 + 1e-7])):
        counts = confusion_counts([1, 0], [np.nan, np.nan], thresholds, evenly=evenly)
        assert counts["tp"].sum() == 0 and counts["fp"].sum() == 0 and counts["fn"][0] == 1


def test_filter_top_k_prefers_lower_indices_on_ties():
    x = np.array([[1.0, 1.0, 1.0, 1.0], [0.1, 0.5, 0.4, 0.9]], "float32")
    out = filter_top_k(x, 2)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[0], np.array([1, 1, NEG_INF, NEG_INF], "float32"))
    np.testing.assert_array_equal(out[1], np.array([NEG_INF, 0.5, NEG_INF, 0.9], "float32"))


def test_helpers():
    assert parse_thresholds(None) == [0.5]
    assert parse_thresholds(0.3) == [0.3]
    assert parse_thresholds(np.array([0.1, 0.2])) == [0.1, 0.2]
    with pytest.raises(ValueError, match=r"in \[0, 1\].*1.5"):
        parse_thresholds([0.2, 1.5])
    assert is_evenly_distributed([0, 0.5, 1]) and not is_evenly_distributed([0, 1])
    assert not is_evenly_distributed([0, 0.4, 1])
    np.testing.assert_array_equal(divide_no_nan([1.0, 2.0], [0.0, 4.0]), [0.0, 0.5])


def test_bad_shapes_are_explained():
    with pytest.raises(ValueError, match="same shape"):
        confusion_counts(np.zeros((4, 2)), np.zeros((4, 3)), [0.5])
    with pytest.raises(ValueError, match="sample_weight of shape"):
        confusion_counts(np.zeros(4), np.zeros(4), [0.5], sample_weight=[1, 2, 3])
    with pytest.raises(ValueError, match="class_id=7 is out of range"):
        confusion_counts(np.zeros((4, 3)), np.zeros((4, 3)), [0.5], class_id=7)
    with pytest.raises(ValueError, match="2D array"):
        confusion_counts(np.zeros(4), np.zeros(4), [0.5], class_id=0)
    with pytest.raises(ValueError, match="rank 2"):
        confusion_counts(np.zeros(4), np.zeros(4), [0.5], multi_label=True)
