import random
import threading

import numpy as np
import pytest

from numkeras.trainers.data_adapters import (EpochIterator, class_weight_to_sample_weight, is_dataset,
                                              unpack_x_y_sample_weight)
from numkeras.utils.py_dataset import PyDataset


def batch(i):
    return np.full((2, 1), i, "float32"), np.array([0, 1])


def ids(it):
    """One epoch: the id of every batch."""
    return [int(x[0, 0]) for _, (x, _, _) in it]


class Batches:
    """A re-iterable with a length, like a dataset object."""

    def __init__(self, n):
        self.n, self.iterations = n, 0

    def __len__(self):
        return self.n

    def __iter__(self):
        self.iterations += 1
        return (batch(i) for i in range(self.n))


class NoLength:
    def __iter__(self):
        return (batch(i) for i in range(4))


class Numbers(PyDataset):
    def __init__(self, n=5, **kwargs):
        super().__init__(**kwargs)
        self.n, self.begins, self.ends, self.threads = n, 0, 0, set()

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        self.threads.add(threading.get_ident())
        return batch(i)

    def on_epoch_begin(self):
        self.begins += 1

    def on_epoch_end(self):
        self.ends += 1


def test_is_dataset():
    assert is_dataset(Batches(2)) and is_dataset(Numbers()) and is_dataset(batch(i) for i in range(2))
    assert is_dataset(iter([batch(0)]))
    for arrays in (np.zeros(3), [np.zeros(3)], (np.zeros(3), np.zeros(3)), {"a": np.zeros(3)}, None, "x"):
        assert not is_dataset(arrays)


def test_a_generator_without_steps_runs_until_exhausted_then_warns():
    it = EpochIterator(batch(i) for i in range(5))
    assert it.num_batches is None
    assert ids(it) == [0, 1, 2, 3, 4]
    assert it.num_batches == 5  # learnt from the first pass
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == []


def test_a_generator_with_steps_continues_across_epochs():
    it = EpochIterator((batch(i) for i in range(5)), steps_per_epoch=2)
    assert it.num_batches == 2
    assert ids(it) == [0, 1] and ids(it) == [2, 3]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == [4]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == []


def test_a_dataset_is_iterated_afresh_each_epoch():
    data = Batches(3)
    it = EpochIterator(data)
    assert it.num_batches == 3
    assert ids(it) == [0, 1, 2] and ids(it) == [0, 1, 2] and data.iterations == 2


def test_a_dataset_with_steps_continues_and_starts_over_when_used_up():
    it = EpochIterator(Batches(5), steps_per_epoch=2)
    assert ids(it) == [0, 1] and ids(it) == [2, 3]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == [4]
    assert ids(it) == [0, 1]
    exact = EpochIterator(Batches(4), steps_per_epoch=2)
    assert [ids(exact) for _ in range(3)] == [[0, 1], [2, 3], [0, 1]]  # no warning when the steps divide it


def test_more_steps_than_batches_stops_at_the_end_of_the_data():
    it = EpochIterator(Batches(3), steps_per_epoch=5)
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == [0, 1, 2]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == [0, 1, 2]


def test_an_iterable_without_length_is_counted_on_the_first_pass():
    it = EpochIterator(NoLength())
    assert it.num_batches is None and ids(it) == [0, 1, 2, 3]
    assert it.num_batches == 4 and ids(it) == [0, 1, 2, 3]


def test_py_dataset_epoch_hooks_and_order():
    data = Numbers()
    it = EpochIterator(data, shuffle=False)
    assert it.num_batches == 5 and ids(it) == [0, 1, 2, 3, 4] and (data.begins, data.ends) == (1, 1)
    shuffled = EpochIterator(Numbers(), shuffle=True)
    for epoch in range(3):
        expected = list(range(5))
        random.Random(epoch).shuffle(expected)  # Keras's order: the epoch number seeds the shuffle
        assert ids(shuffled) == expected


def test_py_dataset_with_steps_continues_and_calls_hooks_every_epoch():
    data = Numbers(4)
    it = EpochIterator(data, steps_per_epoch=3, shuffle=False)
    assert ids(it) == [0, 1, 2]
    with pytest.warns(UserWarning, match="ran out of data"):
        assert ids(it) == [3]
    assert ids(it) == [0, 1, 2] and data.ends == 3


def test_py_dataset_workers_load_in_threads_and_keep_the_order():
    data = Numbers(12, workers=3, max_queue_size=4)
    assert ids(EpochIterator(data)) == list(range(12))
    assert len(data.threads) > 1 and threading.get_ident() not in data.threads


def test_an_infinite_py_dataset_needs_steps():
    class Forever(PyDataset):
        def __getitem__(self, i):
            return batch(i)
    it = EpochIterator(Forever(), steps_per_epoch=3, shuffle=True)
    assert Forever().num_batches is None
    assert ids(it) == [0, 1, 2] and ids(it) == [3, 4, 5]


def test_a_py_dataset_that_skips_super_init_still_works():
    class Plain(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 2

        def __getitem__(self, i):
            return batch(i)
    assert ids(EpochIterator(Plain())) == [0, 1]


def test_batches_are_unpacked_like_keras():
    x, y, w = np.zeros(2), np.ones(2), np.full(2, 0.5)
    assert unpack_x_y_sample_weight(x)[1:] == (None, None)
    assert unpack_x_y_sample_weight((x,))[1:] == (None, None)
    assert unpack_x_y_sample_weight([x, y])[1] is y
    assert unpack_x_y_sample_weight((x, y, w))[2] is w
    assert isinstance(unpack_x_y_sample_weight({"a": x})[0], dict)
    with pytest.raises(ValueError, match="tuple of 4 elements"):
        unpack_x_y_sample_weight((x, y, w, w))


def test_class_weight_becomes_sample_weight():
    np.testing.assert_array_equal(class_weight_to_sample_weight(np.array([0, 1, 1]), {0: 1.0, 1: 3.0}), [1, 3, 3])
    np.testing.assert_array_equal(class_weight_to_sample_weight(np.eye(2)[[1, 0]], {0: 2.0, 1: 5.0}), [5, 2])
    it = EpochIterator(Batches(1), class_weight={0: 1.0, 1: 4.0})
    [(_, (_, _, w))] = list(it)
    np.testing.assert_array_equal(w, [1, 4])
    # a class the dict leaves out weighs 1.0 (Keras 3); a column of labels reads as the labels
    np.testing.assert_array_equal(class_weight_to_sample_weight(np.array([[0], [1], [2]]), {1: 0.5}), [1, 0.5, 1])


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="when x is a generator, do not pass y"):
        EpochIterator((b for b in []), y=np.zeros(2))
    with pytest.raises(ValueError, match="when x is a PyDataset, do not pass sample_weight"):
        EpochIterator(Numbers(), sample_weight=np.zeros(2), method="evaluate")
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        EpochIterator(Batches(2), steps_per_epoch=0)
    with pytest.raises(TypeError, match="iterable of batches"):
        EpochIterator(np.zeros(3))


def test_drives_a_training_loop_over_an_image_dataset(tmp_path):
    pytest.importorskip("PIL")
    from numkeras import layers, models
    from numkeras.utils.image_dataset import image_dataset_from_directory
    from numkeras.utils.image_utils import save_img
    for c in range(2):
        (tmp_path / f"class_{c}").mkdir()
        for i in range(5):
            save_img(tmp_path / f"class_{c}" / f"{i}.png", np.full((8, 8, 3), 200 * c + i, "uint8"), scale=False)
    ds = image_dataset_from_directory(tmp_path, image_size=(8, 8), batch_size=4, seed=0, verbose=False)
    model = models.Sequential([layers.Input(shape=(8, 8, 3)), layers.Flatten(), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    it = EpochIterator(ds)
    assert it.num_batches == 3
    seen = []
    for epoch in range(2):
        labels = []
        for step, (x, y, w) in it:
            model.train_on_batch(x / 255, y, sample_weight=w)
            labels.append(y)
        seen.append(np.concatenate(labels))
    assert sorted(seen[0]) == [0] * 5 + [1] * 5 and not np.array_equal(seen[0], seen[1])  # reshuffled


def test_a_dataset_gives_its_cardinality_and_an_infinite_one_needs_steps():
    from numkeras.utils.dataset import Dataset
    ds = Dataset.from_tensor_slices((np.arange(10, dtype="float32")[:, None], np.arange(10))).batch(4)
    it = EpochIterator(ds)
    assert is_dataset(ds) and it.num_batches == 3 and [len(x) for _, (x, _, _) in it] == [4, 4, 2]
    unknown = EpochIterator(ds.unbatch().batch(5))
    assert unknown.num_batches is None
    assert [len(x) for _, (x, _, _) in unknown] == [5, 5] and unknown.num_batches == 2  # counted by the first pass
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        EpochIterator(ds.repeat())
    with pytest.raises(ValueError, match="when x is a Dataset, do not pass y"):
        EpochIterator(ds, y=np.zeros(3))
    endless = EpochIterator(ds.repeat(), steps_per_epoch=4)
    assert [[float(x[0, 0]) for _, (x, _, _) in endless] for _ in range(2)] == [[0, 4, 8, 0], [4, 8, 0, 4]]
