
import numpy as np
import pytest

from numkeras.datasets import digits


def test_shapes_dtypes_and_values():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (1438, 8, 8), (1438,), (359, 8, 8), (359,)
    )
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert x_train.min() == 0 and max(x_train.max(), x_test.max()) == 16
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(10))


def test_split_is_fixed_stratified_and_partitions_the_data():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    (x_train2, y_train2), (x_test2, y_test2) = digits.load_data()
    for a, b in [(x_train, x_train2), (y_train, y_train2), (x_test, x_test2), (y_test, y_test2)]:
        np.testing.assert_array_equal(a, b)
    # Pinned: a change of split would silently change every reported accuracy.
    assert y_test[:10].tolist() == [6, 7, 6, 6, 1, 2, 4, 3, 3, 4]
    assert np.bincount(y_test).tolist() == [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]
    # Train and test together are the whole file, each row once.
    x_all, y_all = digits._read()
    together = np.concatenate([x_train, x_test]).reshape(-1, 64)
    labels = np.concatenate([y_train, y_test])
    order = np.lexsort(np.column_stack([together, labels]).T)
    expected = np.lexsort(np.column_stack([x_all.reshape(-1, 64), y_all]).T)
    np.testing.assert_array_equal(together[order], x_all.reshape(-1, 64)[expected])
    np.testing.assert_array_equal(labels[order], y_all[expected])


def test_seed_and_test_split():
    (_, y_a), _ = digits.load_data(seed=1)
    (_, y_b), _ = digits.load_data(seed=2)
    assert not np.array_equal(y_a, y_b)
    (x_train, _), (x_test, _) = digits.load_data(test_split=0.5)
    assert abs(len(x_test) - len(x_train)) < 12
    for bad in (0, 1, -0.1, 1.5):
        with pytest.raises(ValueError, match=f"test_split.*Received: test_split={bad}"):
            digits.load_data(test_split=bad)


def test_results_are_copies_and_the_file_is_parsed_once(monkeypatch):
    (x_train, y_train), _ = digits.load_data()
    x_train[:] = 0
    y_train[:] = 0
    (x_again, y_again), _ = digits.load_data()
    assert x_again.max() == 16 and y_again.max() == 9
    monkeypatch.setattr(digits.gzip, "open", lambda *a, **k: pytest.fail("digits.csv.gz was read again"))
    digits.load_data()  # served from memory
