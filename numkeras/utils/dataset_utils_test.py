import random

import numpy as np
import pytest

from numkeras.utils.dataset import Dataset
from numkeras.utils.dataset_utils import encode_labels, split_dataset


def rows(ds):
    return [tuple(np.asarray(v).tolist() for v in e) if isinstance(e, tuple) else np.asarray(e).tolist() for e in ds]


def test_split_sizes_from_ints_fractions_and_either_side():
    x, y = np.arange(10), np.arange(10) * 10
    left, right = split_dataset((x, y), left_size=0.75)  # round(7.5) = 8, as Keras rounds
    assert len(left) == 8 and len(right) == 2 and rows(right) == [(8, 80), (9, 90)]
    left, right = split_dataset(x, right_size=3)
    assert rows(left) == list(range(7)) and rows(right) == [7, 8, 9]
    left, right = split_dataset([x, y], left_size=2, right_size=0.3)  # a list of arrays gives tuples
    assert rows(left) == [(0, 0), (1, 10)] and rows(right) == [(7, 70), (8, 80), (9, 90)]


def test_shuffle_gives_the_order_of_kerass_random_shuffle():
    x = np.arange(20)
    left, right = split_dataset(x, left_size=0.5, shuffle=True, seed=42)
    state = random.getstate()
    try:
        random.seed(42)  # what Keras's split_dataset does with the global generator
        order = list(range(20))
        random.shuffle(order)
    finally:
        random.setstate(state)
    assert rows(left) == order[:10] and rows(right) == order[10:]


def test_a_batched_dataset_is_split_by_sample_and_batched_again():
    ds = Dataset.from_tensor_slices({"a": np.arange(10), "b": np.arange(10) + 100}).batch(4)
    left, right = split_dataset(ds, left_size=6)
    assert [b["a"].tolist() for b in left] == [[0, 1, 2, 3], [4, 5]]
    assert [b["b"].tolist() for b in right] == [[106, 107, 108, 109]]
    unbatched_left, _ = split_dataset(Dataset.range(5), right_size=0.4)
    assert rows(unbatched_left) == [0, 1, 2]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(), ValueError, "give left_size or right_size"),
    (dict(left_size=0), ValueError, "left_size must be a positive integer smaller than the 10"),
    (dict(left_size=10), ValueError, "smaller than the 10"),
    (dict(right_size=1.5), ValueError, r"right_size must be a float in \(0, 1\)"),
    (dict(left_size=0.6, right_size=0.6), ValueError, "at most 1"),
    (dict(left_size=6, right_size=5), ValueError, "11 samples, more than the 10"),
    (dict(left_size=0.01), ValueError, "the left split would be empty"),
    (dict(left_size="half"), TypeError, "left_size must be an int, a float or None"),
])
def test_bad_sizes_are_explained(kwargs, error, match):
    with pytest.raises(error, match=match):
        split_dataset(np.arange(10), **kwargs)


def test_bad_datasets_are_explained():
    with pytest.raises(ValueError, match="same first dimension"):
        split_dataset((np.zeros(3), np.zeros(4)), left_size=1)
    with pytest.raises(TypeError, match="Received: str"):
        split_dataset("abc", left_size=1)


def test_encode_labels_as_keras_loaders_do():
    labels = np.array([0, 2, 1])
    assert encode_labels(labels, "int", 3).dtype == np.int32
    np.testing.assert_array_equal(encode_labels(labels, "categorical", 3), np.eye(3, dtype="float32")[[0, 2, 1]])
    binary = encode_labels(np.array([1, 0]), "binary", 2)
    assert binary.dtype == np.float32 and binary.tolist() == [[1.0], [0.0]]
    with pytest.raises(ValueError, match="from 0 to 1.*from 5 to 7"):
        encode_labels(np.array([5, 7]), "categorical", 2)


def test_format_is_kerass_choice_of_library_and_either_gives_a_dataset():
    from numkeras.utils.timeseries_dataset import timeseries_dataset_from_array
    for format in ("tf", "grain"):
        assert isinstance(timeseries_dataset_from_array(np.arange(5), None, 2, format=format), Dataset)
    with pytest.raises(ValueError, match="format must be 'tf' or 'grain'"):
        timeseries_dataset_from_array(np.arange(5), None, 2, format="torch")
