"""Accuracy functions and classes against Keras's documented numbers and hand computations."""
import numpy as np
import pytest

from numkeras import metrics, ops


def test_accuracy_keras_example():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert float(m.result()) == 0.75
    m.reset_state()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 0.5


def test_binary_accuracy_keras_example():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert float(m.result()) == 0.75
    m.reset_state()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], sample_weight=[1, 0, 0, 1])
    assert float(m.result()) == 0.5


def test_categorical_accuracy_keras_example():
    m = metrics.CategoricalAccuracy()
    y, p = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m.update_state(y, p)
    assert float(m.result()) == 0.5
    m.reset_state()
    m.update_state(y, p, sample_weight=[0.7, 0.3])
    assert float(m.result()) == pytest.approx(0.3)


def test_sparse_categorical_accuracy_keras_example():
    m = metrics.SparseCategoricalAccuracy()
    y, p = [[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]
    m.update_state(y, p)
    assert float(m.result()) == 0.5
    m.reset_state()
    m.update_state(y, p, sample_weight=[0.7, 0.3])
    assert float(m.result()) == pytest.approx(0.3)


def test_functions_return_per_sample_float32():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=(20, 5))
    labels = rng.integers(0, 5, 20)
    expected = (p.argmax(-1) == labels).astype("float32")
    for out in (metrics.categorical_accuracy(np.eye(5)[labels], p),
                metrics.sparse_categorical_accuracy(labels, p),
                metrics.sparse_categorical_accuracy(labels[:, None].astype("float32"), p)):
        assert out.shape == (20,) and out.dtype == "float32"
        np.testing.assert_array_equal(out.numpy(), expected)
    y, q = rng.integers(0, 2, (20, 1)), rng.uniform(size=(20, 1))
    np.testing.assert_array_equal(metrics.binary_accuracy(y, q).numpy(), (y == (q > 0.5)).astype("float32"))
    np.testing.assert_array_equal(metrics.binary_accuracy(y[:, 0], q, threshold=0.8).numpy().ravel(),
                                  (y == (q > 0.8)).astype("float32").ravel())
    assert metrics.accuracy([1, 2], [1, 3]).numpy().tolist() == [1.0, 0.0]


def test_binary_threshold_is_strict():
    assert metrics.binary_accuracy([[1.0]], [[0.5]]).numpy().item() == 0.0
    m = metrics.BinaryAccuracy(threshold=0.2)
    m.update_state([1, 0, 1], [0.3, 0.1, 0.2])
    assert float(m.result()) == pytest.approx(2 / 3)


def test_accumulates_across_weighted_batches():
    rng = np.random.default_rng(1)
    m = metrics.SparseCategoricalAccuracy()
    hits, weights = [], []
    for _ in range(4):
        labels, p, w = rng.integers(0, 3, 9), rng.uniform(size=(9, 3)), rng.uniform(0, 1, 9)
        m.update_state(labels, p, sample_weight=w)
        hits.append(p.argmax(-1) == labels)
        weights.append(w)
    h, w = np.concatenate(hits), np.concatenate(weights)
    assert float(m.result()) == pytest.approx((h * w).sum() / w.sum(), rel=1e-6)
    m.reset_state()
    assert float(m.result()) == 0.0


def test_accepts_tensors():
    p = ops.softmax(np.array([[1.0, 2.0], [3.0, 0.0]], "float32"))
    m = metrics.CategoricalAccuracy()
    m.update_state(ops.convert_to_tensor([[0.0, 1.0], [0.0, 1.0]]), p)
    assert float(m.result()) == 0.5


@pytest.mark.parametrize("cls, name", [(metrics.Accuracy, "accuracy"), (metrics.BinaryAccuracy, "binary_accuracy"),
                                       (metrics.CategoricalAccuracy, "categorical_accuracy"),
                                       (metrics.SparseCategoricalAccuracy, "sparse_categorical_accuracy"),
                                       (metrics.TopKCategoricalAccuracy, "top_k_categorical_accuracy"),
                                       (metrics.SparseTopKCategoricalAccuracy, "sparse_top_k_categorical_accuracy")])
def test_names_and_configs(cls, name):
    m = cls()
    assert m.name == name and m.dtype == "float32"
    assert cls.from_config(m.get_config()).get_config() == m.get_config()
    assert metrics.BinaryAccuracy(threshold=0.7).get_config()["threshold"] == 0.7


def test_top_k_keras_examples():
    y, p = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m = metrics.TopKCategoricalAccuracy(k=1)
    m.update_state(y, p)
    assert float(m.result()) == 0.5
    m.reset_state()
    m.update_state(y, p, sample_weight=[0.7, 0.3])
    assert float(m.result()) == pytest.approx(0.3)
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    m.update_state([2, 1], p)
    assert float(m.result()) == 0.5
    m.reset_state()
    m.update_state([2, 1], p, sample_weight=[0.7, 0.3])
    assert float(m.result()) == pytest.approx(0.3)
    m = metrics.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)
    m.update_state([2, 1], [[1, 0, 3], [1, 2, 3]])
    assert float(m.result()) == 0.5
    assert m.get_config()["from_sorted_ids"] is True
    assert "from_sorted_ids" not in metrics.SparseTopKCategoricalAccuracy().get_config()


@pytest.mark.parametrize("k", [1, 2, 5])
def test_top_k_against_numpy(k):
    rng = np.random.default_rng(2)
    labels, p, w = rng.integers(0, 10, 64), rng.uniform(size=(64, 10)), rng.uniform(size=64)
    in_top = (np.argsort(-p, axis=1)[:, :k] == labels[:, None]).any(axis=1)
    expected = (in_top * w).sum() / w.sum()
    for m, y in ((metrics.TopKCategoricalAccuracy(k=k), np.eye(10)[labels]),
                 (metrics.SparseTopKCategoricalAccuracy(k=k), labels),
                 (metrics.SparseTopKCategoricalAccuracy(k=k), labels[:, None])):
        m.update_state(y[:40], p[:40], sample_weight=w[:40])
        m.update_state(y[40:], p[40:], sample_weight=w[40:])
        assert float(m.result()) == pytest.approx(expected, rel=1e-6)
    assert metrics.TopKCategoricalAccuracy().k == 5  # Keras's default


def test_top_k_ties_count_as_in_and_nan_as_out():
    out = metrics.sparse_top_k_categorical_accuracy([0, 1, 2], [[0.5, 0.5, 0.1], [0.5, 0.5, 0.1],
                                                                [0.2, 0.3, np.nan]], k=1)
    assert out.numpy().tolist() == [1.0, 1.0, 0.0]
    seq = metrics.sparse_top_k_categorical_accuracy(np.array([[0, 1]]), np.array([[[0.9, 0.1], [0.8, 0.2]]]), k=1)
    assert seq.shape == (1, 2) and seq.numpy().tolist() == [[1.0, 0.0]]  # one value per timestep


def test_top_k_config_round_trip():
    m = metrics.TopKCategoricalAccuracy(k=3, name="top3")
    assert m.get_config() == {"name": "top3", "dtype": "float32", "k": 3}
    clone = metrics.deserialize(metrics.serialize(m))
    assert type(clone) is metrics.TopKCategoricalAccuracy and clone.k == 3 and clone.name == "top3"
    wrapper = metrics.MeanMetricWrapper(metrics.top_k_categorical_accuracy, k=2)
    assert metrics.MeanMetricWrapper.from_config(wrapper.get_config())._fn is metrics.top_k_categorical_accuracy
