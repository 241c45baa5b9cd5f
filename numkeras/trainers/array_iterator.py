"""ArrayEpochIterator: batches of in-memory arrays, with the same interface as EpochIterator.

Each pass over the data draws a new order (when shuffling) from numkeras's
generator and slices every array of the (x, y, sample_weight) structure by it.
Epochs follow Keras 3's array adapter:
- Without `steps`, an epoch is one pass over the data.
- With `steps=N`, an epoch takes N batches and the next epoch continues the
  same pass where the last stopped; a pass that runs out ends its epoch early
  (with a warning) and the next epoch starts a new pass.
- Without a batch size, `steps` sets it: the fewest rows per batch that cover
  the data in `steps` batches (else 32 rows).
- `shuffle="batch"` keeps the batches in order and shuffles the rows inside each.

Example:
    >>> import numpy as np
    >>> it = ArrayEpochIterator((np.arange(5), np.arange(5), None), batch_size=2)
    >>> [x.tolist() for _, (x, y, w) in it]
    [[0, 1], [2, 3], [4]]
    >>> it = ArrayEpochIterator((np.arange(8), None, None), batch_size=2, steps=2)
    >>> [[x.tolist() for _, (x, y, w) in it] for epoch in range(2)][1]
    [[4, 5], [6, 7]]
"""
import warnings

import numpy as np

from numkeras.backend import random_generator
from numkeras.utils.tree import flatten, map_structure


class ArrayEpochIterator:
    """Yields `(step, (x, y, sample_weight))` for one epoch per iteration.

    Args:
        data: `(x, y, sample_weight)`; each a NumPy array, a list/dict of
            arrays, or None.
        batch_size: rows per batch; None: enough for `steps` batches to cover
            the data, or 32 without `steps`.
        shuffle: True for a new random order every pass over the data;
            "batch" to shuffle the rows within each batch only.
        steps: batches per epoch, continuing the pass over the data from one
            epoch to the next. Defaults to one whole pass per epoch.
    """

    def __init__(self, data, batch_size, shuffle=False, steps=None):
        self.data, self.shuffle = data, shuffle
        self.rows = len(flatten(data[0])[0])
        self.steps = None if steps is None else int(steps)
        if batch_size is None:
            batch_size = -(-self.rows // self.steps) if self.steps else 32
        self.batch_size = batch_size
        self.pass_batches = -(-self.rows // batch_size)  # batches in one pass over the data
        self.num_batches = self.steps or self.pass_batches  # steps per epoch, as the callbacks' params say
        self.passes = 0  # passes over the data begun
        self._next = None  # the next batch of the running pass; None: the next epoch starts a new pass
        self._order = None

    def restart(self):
        """Makes the next epoch start a new pass over the data (Keras resets its validation data so each time)."""
        self._next = None

    def _positions(self):
        """`(step, b)` for each batch of this epoch, `b` its place in the pass over the data."""
        if self._next is None or self.steps is None:
            self._next, self.passes = 0, self.passes + 1
            self._order = self._new_order()
        for step in range(self.num_batches):
            if self._next >= self.pass_batches:
                if self.steps is not None:
                    warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset "
                                  "or generator can generate at least `steps_per_epoch * epochs` batches.",
                                  UserWarning, stacklevel=4)
                break
            self._next += 1
            yield step, self._next - 1
        if self._next >= self.pass_batches:
            self._next = None

    def _new_order(self):
        """The order of the rows for a new pass (None: as they are)."""
        return random_generator().permutation(self.rows) if self.shuffle is True else None

    def __iter__(self):
        for step, b in self._positions():
            start, stop = b * self.batch_size, min((b + 1) * self.batch_size, self.rows)
            if self._order is not None:
                index = np.sort(self._order[start:stop])  # sorted rows gather faster; the batch is the same
            elif self.shuffle == "batch":
                index = start + random_generator().permutation(stop - start)
            else:
                index = slice(start, stop)
            yield step, take(self.data, index)


def take(data, index):
    """Rows `index` of every array in a nested structure (None stays None)."""
    return map_structure(lambda a: None if a is None else a[index], data)
