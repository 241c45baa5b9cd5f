"""ArrayEpochIterator: batches of in-memory arrays, with the same interface as EpochIterator.

Each epoch draws a new order (when shuffling) from numkeras's generator and
slices every array of the (x, y, sample_weight) structure by it.

Example:
    >>> import numpy as np
    >>> it = ArrayEpochIterator((np.arange(5), np.arange(5), None), batch_size=2)
    >>> [x.tolist() for _, (x, y, w) in it]
    [[0, 1], [2, 3], [4]]
"""
import numpy as np

from numkeras.backend import random_generator
from numkeras.utils.tree import flatten, map_structure


class ArrayEpochIterator:
    """Yields `(step, (x, y, sample_weight))` for one epoch per iteration.

    Args:
        data: `(x, y, sample_weight)`; each a NumPy array, a list/dict of
            arrays, or None.
        batch_size: rows per batch.
        shuffle: a new random order every epoch.
        steps: stop an epoch after this many batches. Defaults to all.
    """

    def __init__(self, data, batch_size, shuffle=False, steps=None):
        self.data, self.batch_size, self.shuffle = data, batch_size, shuffle
        self.rows = len(flatten(data[0])[0])
        self.num_batches = -(-self.rows // batch_size)
        if steps is not None:
            self.num_batches = min(self.num_batches, int(steps))

    def __iter__(self):
        order = random_generator().permutation(self.rows) if self.shuffle else None
        for step in range(self.num_batches):
            index = slice(step * self.batch_size, (step + 1) * self.batch_size)
            if order is not None:
                index = np.sort(order[index])  # sorted rows gather faster; the batch is the same
            yield step, take(self.data, index)


def take(data, index):
    """Rows `index` of every array in a nested structure (None stays None)."""
    return map_structure(lambda a: None if a is None else a[index], data)
