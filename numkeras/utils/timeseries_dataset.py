"""timeseries_dataset_from_array: sliding windows over a series, batched, without copying the series.

Every window is a strided view of the series (`numpy.lib.stride_tricks`):
window `i` starts at row `start_index + i * sequence_stride` and takes every
`sampling_rate`-th row, `sequence_length` of them. A batch gathers its
windows' rows of the series into a new array (one `np.take`); the series
itself is never copied or expanded, so the memory a pass needs is the series
plus one batch.

Example:
    >>> import numpy as np
    >>> from numkeras.utils import timeseries_dataset_from_array
    >>> series = np.arange(10)
    >>> ds = timeseries_dataset_from_array(series[:-3], targets=series[3:], sequence_length=3, batch_size=4)
    >>> [(x.tolist(), y.tolist()) for x, y in ds]
    [([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]], [3, 4, 5, 6]), ([[4, 5, 6]], [7])]
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from numkeras.utils.dataset import Dataset
from numkeras.utils.dataset_utils import check_format


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1, batch_size=128,
                                  shuffle=False, seed=None, start_index=None, end_index=None, format="tf"):
    """Returns a `Dataset` of sliding windows over `data` (and the target of each window).

    Window `i` holds the rows `s, s + sampling_rate, ..., s + (sequence_length
    - 1) * sampling_rate` of `data`, where `s = start_index + i *
    sequence_stride`; its target is `targets[s]`. Windows stop where the
    next would run past `end_index` (or past the targets).

    Args:
        data: an array (or list) whose first axis is time; each row is one
            timestep (a scalar or an array of features).
        targets: the target of each timestep, aligned with `data`
            (`targets[s]` belongs to the window starting at row `s`), or
            None for windows alone.
        sequence_length: timesteps per window.
        sequence_stride: rows between the starts of consecutive windows.
            Defaults to 1.
        sampling_rate: rows between consecutive timesteps of a window.
            Defaults to 1.
        batch_size: windows per batch; None yields single windows.
            Defaults to 128.
        shuffle: shuffle the windows: their start rows once with `seed`,
            then through a buffer of `batch_size * 8` windows (1024 without
            batches) that reshuffles every epoch, as Keras does. Defaults to
            False.
        seed: the shuffling seed.
        start_index: the first row windows may use. Defaults to 0.
        end_index: rows from here on are left out. Defaults to `len(data)`.
        format: "tf" (default) or "grain": Keras's choice of pipeline
            library; numkeras accepts either and returns its `Dataset`.

    Returns:
        A `Dataset` of `(windows, targets)` batches, or of windows alone when
        `targets` is None; windows have shape `(batch, sequence_length,
        *data.shape[1:])` and the dtype of `data`.
    """
    check_format(format)
    data = np.asarray(data)
    if data.ndim == 0:
        raise ValueError("timeseries_dataset_from_array: data must be an array of timesteps (time on its first "
                         f"axis). Received a scalar: data={data!r}.")
    n = len(data)
    for name, value in (("sequence_length", sequence_length), ("sequence_stride", sequence_stride),
                        ("sampling_rate", sampling_rate)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"timeseries_dataset_from_array: {name} must be a positive integer. "
                             f"Received: {name}={value!r}.")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value >= n:
            raise ValueError(f"timeseries_dataset_from_array: {name} must be lower than the length of the data. "
                             f"Received: {name}={value}, for data of length {n}.")
    if start_index is not None and not 0 <= start_index < n:
        raise ValueError("timeseries_dataset_from_array: start_index must be 0 or more and lower than the length "
                         f"of the data. Received: start_index={start_index}, for data of length {n}.")
    if end_index is not None:
        if start_index and end_index <= start_index:
            raise ValueError("timeseries_dataset_from_array: end_index must be higher than start_index. Received: "
                             f"start_index={start_index}, end_index={end_index}.")
        if not 0 < end_index < n:
            raise ValueError("timeseries_dataset_from_array: end_index must be above 0 and lower than the length "
                             f"of the data. Received: end_index={end_index}, for data of length {n}.")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size <= 0):
        raise ValueError("timeseries_dataset_from_array: batch_size must be a positive integer or None. "
                         f"Received: batch_size={batch_size!r}.")
    start = start_index or 0
    end = n if end_index is None else end_index
    series = data[start:end]  # a view
    num_windows = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_windows = min(num_windows, len(targets))  # Keras bounds it by the whole targets' length too
        targets = targets[start:end]
    starts = np.arange(0, max(num_windows, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)  # the same seed orders the start rows as Keras does
    windows = sliding_windows(series, sequence_length, sampling_rate)
    offsets = np.arange(sequence_length) * sampling_rate

    def gather(rows):
        if np.ndim(rows):  # a batch: one take of its rows of the series (faster than indexing the strided view)
            x = np.take(series, rows[:, None] + offsets, axis=0)
        else:  # one window: the view itself
            x = windows[rows]
        return x if targets is None else (x, targets[rows])

    dataset = Dataset.from_tensor_slices(starts)
    if shuffle:
        dataset = dataset.shuffle(8 * batch_size if batch_size else 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset.map(gather)


def sliding_windows(series, sequence_length, sampling_rate=1):
    """A read-only view: `view[s]` is `series[s : s + sequence_length * sampling_rate : sampling_rate]`.

    It has one window per start row whose window fits in the series; no
    element of `series` is copied.
    """
    count = max(len(series) - (sequence_length - 1) * sampling_rate, 0)
    step = series.strides[0]
    return as_strided(series, shape=(count, sequence_length) + series.shape[1:],
                      strides=(step, step * sampling_rate) + series.strides[1:], writeable=False)
