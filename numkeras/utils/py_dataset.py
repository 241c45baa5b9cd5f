"""PyDataset: the base class for a dataset written in Python, one batch per index.

Example:
    >>> import numpy as np
    >>> from numkeras.utils import PyDataset
    >>> class Squares(PyDataset):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, index):
    ...         x = np.arange(4, dtype="float32") + 4 * index
    ...         return x[:, None], x[:, None] ** 2
    >>> [x.shape for x, y in Squares()]
    [(4, 1), (4, 1), (4, 1)]
"""


class PyDataset:
    """A dataset of batches: subclasses implement `__getitem__` (and `__len__` when finite).

    `__getitem__(index)` returns a whole batch: `x`, `(x,)`, `(x, y)` or
    `(x, y, sample_weight)`; `__len__` returns the number of batches. Without
    `__len__` the dataset is infinite and `fit` needs `steps_per_epoch`.
    `fit` calls `on_epoch_begin` and `on_epoch_end` around every epoch and,
    with `shuffle=True`, visits the batches in a new order each epoch.

    Args:
        workers: how many threads load batches ahead of the model in `fit`,
            `evaluate` and `predict`. Defaults to 1 (no threads).
        use_multiprocessing: accepted for Keras compatibility; numkeras loads
            batches with threads either way (NumPy and image decoding release
            the GIL). Defaults to False.
        max_queue_size: how many batches the threads may prepare ahead.
            Defaults to 10.
    """

    workers, use_multiprocessing, max_queue_size = 1, False, 10  # if a subclass skips super().__init__()

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __getitem__(self, index):
        """Returns batch number `index`."""
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(self, index), "
                                  "returning one batch.")

    @property
    def num_batches(self):
        """The number of batches, or None for an infinite dataset (one without `__len__`)."""
        return len(self) if hasattr(self, "__len__") else None

    def __iter__(self):
        index = 0
        while self.num_batches is None or index < self.num_batches:
            yield self[index]
            index += 1

    def on_epoch_begin(self):
        """Called at the start of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch (reshuffle the samples here, say)."""
