import warnings

import numpy as np
import pytest

from numkeras import metrics

RNG = np.random.default_rng(0)


def reference_iou(y_true, y_pred, num_classes, targets, weights=None, ignore_class=None):
    """Per-class TP / (TP + FP + FN) from explicit counts, averaged over the target classes present."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    weights = np.ones(y_true.shape) if weights is None else np.ravel(weights)
    keep = (y_true >= 0) & (y_true < num_classes) & (y_pred >= 0) & (y_pred < num_classes)
    if ignore_class is not None:
        keep &= y_true != ignore_class
    values = []
    for c in targets:
        tp = weights[keep & (y_true == c) & (y_pred == c)].sum()
        fp = weights[keep & (y_true != c) & (y_pred == c)].sum()
        fn = weights[keep & (y_true == c) & (y_pred != c)].sum()
        if tp + fp + fn > 0:
            values.append(tp / (tp + fp + fn))
    return np.mean(values) if values else 0.0


def test_mean_iou_over_batches_matches_explicit_counts():
    m = metrics.MeanIoU(num_classes=4)
    batches = [(RNG.integers(0, 4, (3, 5, 5)), RNG.integers(0, 4, (3, 5, 5))) for _ in range(2)]
    for t, p in batches:
        m.update_state(t, p)
    t = np.concatenate([b[0].ravel() for b in batches])
    p = np.concatenate([b[1].ravel() for b in batches])
    np.testing.assert_allclose(m.result(), reference_iou(t, p, 4, range(4)), rtol=1e-5)
    assert m.result().dtype == np.float32 and m.dtype == "int64"
    m.reset_state()
    assert float(m.result()) == 0.0


def test_iou_of_target_classes_with_integer_weights_and_an_ignored_class():
    t, p = RNG.integers(0, 3, 40), RNG.integers(0, 3, 40)
    w = RNG.integers(0, 3, 40)
    m = metrics.IoU(num_classes=3, target_class_ids=[0, 2], ignore_class=1)
    m.update_state(t, p, sample_weight=w)
    np.testing.assert_allclose(m.result(), reference_iou(t, p, 3, [0, 2], w, ignore_class=1), rtol=1e-5)


def test_float_weights_are_truncated_with_a_warning_unless_the_dtype_is_float():
    t, p = [0, 0, 1, 1], [0, 1, 1, 1]
    with pytest.warns(UserWarning, match="truncated to integers"):
        metrics.MeanIoU(num_classes=2).update_state(t, p, sample_weight=[0.5, 1.5, 1.0, 1.0])
    m = metrics.MeanIoU(num_classes=2, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.update_state(t, p, sample_weight=[0.5, 1.5, 1.0, 1.0])
    np.testing.assert_allclose(m.result(), reference_iou(t, p, 2, [0, 1], np.array([0.5, 1.5, 1.0, 1.0])), rtol=1e-5)


def test_out_of_range_ids_are_left_out_and_absent_classes_do_not_count():
    m = metrics.MeanIoU(num_classes=3)
    m.update_state([0, 0, 5, -1], [0, 0, 0, 0])  # the 5 and -1 pairs are dropped; classes 1, 2 never appear
    assert float(m.result()) == pytest.approx(1.0, abs=1e-6)


def test_binary_iou_thresholds_the_predictions():
    t = RNG.integers(0, 2, 30)
    scores = RNG.random(30)
    m = metrics.BinaryIoU(threshold=0.3)
    m.update_state(t, scores)
    np.testing.assert_allclose(m.result(), reference_iou(t, (scores >= 0.3).astype(int), 2, [0, 1]), rtol=1e-5)
    assert metrics.BinaryIoU.from_config(m.get_config()).get_config() == m.get_config()


def test_one_hot_variants_take_the_argmax():
    t = np.eye(3)[RNG.integers(0, 3, 20)]
    scores = RNG.random((20, 3))
    m, mean = metrics.OneHotIoU(num_classes=3, target_class_ids=[1, 2]), metrics.OneHotMeanIoU(num_classes=3)
    m.update_state(t, scores)
    mean.update_state(t, scores)
    np.testing.assert_allclose(m.result(), reference_iou(t.argmax(1), scores.argmax(1), 3, [1, 2]), rtol=1e-5)
    np.testing.assert_allclose(mean.result(), reference_iou(t.argmax(1), scores.argmax(1), 3, range(3)), rtol=1e-5)
    assert "sparse_y_true" not in mean.get_config()
    assert metrics.OneHotIoU.from_config(m.get_config()).target_class_ids == [1, 2]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"target_class_ids must be class ids in \[0, 2\)"):
        metrics.IoU(num_classes=2, target_class_ids=[2])
    with pytest.raises(ValueError, match="num_classes must be a positive integer"):
        metrics.MeanIoU(num_classes=0)


def test_iou_works_in_compile_and_by_name():
    from numkeras import layers, models
    model = models.Sequential([layers.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=[metrics.OneHotMeanIoU(num_classes=3)])
    logs = model.evaluate(np.ones((6, 4), "float32"), np.eye(3)[[0, 1, 2, 0, 1, 2]], return_dict=True, verbose=0)
    assert 0.0 <= logs["one_hot_mean_io_u"] <= 1.0
    assert isinstance(metrics.get({"class_name": "MeanIoU", "config": {"num_classes": 2}}), metrics.MeanIoU)


def test_one_weight_per_sample_covers_all_its_pixels():
    t, p = RNG.integers(0, 3, (4, 5)), RNG.integers(0, 3, (4, 5))
    w = np.array([1, 0, 2, 1])
    m = metrics.MeanIoU(num_classes=3)
    m.update_state(t, p, sample_weight=w)
    np.testing.assert_allclose(m.result(), reference_iou(t, p, 3, range(3), np.repeat(w, 5)), rtol=1e-5)
    with pytest.raises(ValueError, match="does not broadcast"):
        m.update_state(t, p, sample_weight=np.ones(3, "int64"))
