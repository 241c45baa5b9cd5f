import numpy as np
import pytest

from numkeras.utils.timeseries_dataset import sliding_windows, timeseries_dataset_from_array


def loop_windows(data, targets, sequence_length, sequence_stride=1, sampling_rate=1, start_index=None,
                 end_index=None):
    """The windows and targets written out one index at a time, from Keras's documented definition."""
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    xs, ys = [], []
    s = start
    while s + (sequence_length - 1) * sampling_rate < end and (targets is None or s - start < len(targets)):
        xs.append([data[s + j * sampling_rate] for j in range(sequence_length)])
        if targets is not None:
            ys.append(targets[s])
        s += sequence_stride
    return np.array(xs), np.array(ys)


def epoch(ds):
    xs, ys = zip(*ds)
    return np.concatenate(xs), np.concatenate(ys)


@pytest.mark.parametrize("sequence_length, sequence_stride, sampling_rate, start_index, end_index, batch_size", [
    (3, 1, 1, None, None, 4), (5, 2, 3, None, None, 7), (4, 3, 2, 5, 90, 128), (1, 1, 1, 10, 20, 3),
    (6, 1, 5, 2, None, 1)])
def test_windows_match_a_loop_index_by_index(sequence_length, sequence_stride, sampling_rate, start_index, end_index,
                                             batch_size):
    rng = np.random.default_rng(0)
    data = rng.standard_normal((100, 3)).astype("float32")
    targets = np.arange(100) * 10
    ds = timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride, sampling_rate, batch_size,
                                       start_index=start_index, end_index=end_index)
    x, y = epoch(ds)
    want_x, want_y = loop_windows(data, targets, sequence_length, sequence_stride, sampling_rate, start_index,
                                  end_index)
    assert x.dtype == np.float32 and x.shape == want_x.shape
    np.testing.assert_array_equal(x, want_x)
    np.testing.assert_array_equal(y, want_y)
    assert len(ds) == -(-len(want_x) // batch_size) and all(len(b[0]) <= batch_size for b in ds)


def test_hand_computed_windows_targets_and_no_targets():
    data = np.arange(10)
    ds = timeseries_dataset_from_array(data, None, sequence_length=3, sampling_rate=2, sequence_stride=3,
                                       batch_size=None)
    assert [w.tolist() for w in ds] == [[0, 2, 4], [3, 5, 7]]
    # Fewer targets than windows: the targets bound the windows (Keras's rule).
    x, y = epoch(timeseries_dataset_from_array(data, np.arange(4) + 100, sequence_length=2, batch_size=3))
    assert x.tolist() == [[0, 1], [1, 2], [2, 3], [3, 4]] and y.tolist() == [100, 101, 102, 103]
    # Windows that cannot fit give an empty dataset.
    assert list(timeseries_dataset_from_array(np.arange(5), None, sequence_length=6)) == []


def test_windows_are_views_of_the_series_until_a_batch_gathers_them():
    series = np.arange(40, dtype="float32").reshape(20, 2)
    view = sliding_windows(series, 4, sampling_rate=3)
    assert np.shares_memory(view, series) and view.shape == (11, 4, 2) and not view.flags.writeable
    np.testing.assert_array_equal(view[5], series[5:17:3])
    single = next(iter(timeseries_dataset_from_array(series, None, 4, sampling_rate=3, batch_size=None)))
    assert np.shares_memory(single, series)
    batch = next(iter(timeseries_dataset_from_array(series, None, 4, sampling_rate=3, batch_size=2)))
    assert not np.shares_memory(batch, series) and batch.flags.writeable and batch.shape == (2, 4, 2)
    # A strided column of a wider array is read through its own strides.
    wide = np.arange(60).reshape(20, 3)
    x, _ = epoch(timeseries_dataset_from_array(wide[:, 1], np.zeros(20), 3, batch_size=5))
    np.testing.assert_array_equal(x, loop_windows(wide[:, 1], np.zeros(20), 3)[0])


def test_shuffle_orders_start_rows_by_seed_and_reshuffles_each_epoch():
    data, targets = np.arange(300), np.arange(300)
    ds = timeseries_dataset_from_array(data, targets, 5, batch_size=16, shuffle=True, seed=7)
    (x1, y1), (x2, y2) = epoch(ds), epoch(ds)
    assert sorted(y1) == list(range(296)) and sorted(y1) == sorted(y2) and not np.array_equal(y1, y2)
    np.testing.assert_array_equal(x1[:, 0], y1)  # each window still starts at its target's row
    np.testing.assert_array_equal(x1, y1[:, None] + np.arange(5))
    again = timeseries_dataset_from_array(data, targets, 5, batch_size=16, shuffle=True, seed=7)
    np.testing.assert_array_equal(epoch(again)[1], y1)
    # The buffer is 8 batches: with the start rows pre-shuffled by RandomState(seed), output k is drawn
    # from the first k + 128 of them.
    starts = np.arange(296)
    np.random.RandomState(7).shuffle(starts)
    position = {s: i for i, s in enumerate(starts)}
    assert all(position[v] < k + 128 for k, v in enumerate(y1))


@pytest.mark.parametrize("kwargs, match", [
    (dict(sequence_length=0), "sequence_length must be a positive integer"),
    (dict(sampling_rate=0), "sampling_rate must be a positive integer"),
    (dict(sampling_rate=10), "sampling_rate must be lower than the length"),
    (dict(sequence_stride=12), "sequence_stride must be lower"),
    (dict(start_index=10), "start_index must be 0 or more"),
    (dict(start_index=4, end_index=3), "end_index must be higher than start_index"),
    (dict(end_index=10), "end_index must be above 0 and lower"),
    (dict(batch_size=0), "batch_size must be a positive integer or None"),
])
def test_bad_arguments_name_what_was_received(kwargs, match):
    args = {"data": np.arange(10), "targets": None, "sequence_length": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        timeseries_dataset_from_array(**args)


def test_fit_and_evaluate_take_the_windows_as_the_book_does():
    # The weather chapter's pattern, small: windows of a series predict a value a few steps ahead.
    from numkeras import layers, models
    from numkeras.utils import set_random_seed
    set_random_seed(0)
    t = np.arange(600, dtype="float32")
    series = np.stack([np.sin(t / 10), np.cos(t / 10)], axis=1).astype("float32")
    delay = 2 * (8 + 3 - 1)
    train = timeseries_dataset_from_array(series[:-delay], series[delay:, 0], sequence_length=8, sampling_rate=2,
                                          batch_size=32, shuffle=True, seed=1, end_index=400)
    val = timeseries_dataset_from_array(series[:-delay], series[delay:, 0], sequence_length=8, sampling_rate=2,
                                        batch_size=32, start_index=400)
    model = models.Sequential([layers.Input((8, 2)), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(train, epochs=30, validation_data=val, verbose=0)
    assert history.history["val_loss"][-1] < history.history["val_loss"][0] / 10
    predictions = model.predict(val, verbose=0)
    assert predictions.shape == (sum(len(x) for x, _ in val), 1) and predictions.dtype == np.float32
