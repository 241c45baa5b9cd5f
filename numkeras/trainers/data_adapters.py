"""Data adapters: turn a dataset, a generator or a PyDataset into batches, one epoch at a time.

`fit`, `evaluate` and `predict` read arrays by slicing them; every other
source of data goes through this module. The API is two names:

    is_dataset(x) -> bool
        True when `x` is read batch by batch: a `utils.PyDataset`, a
        `utils.Dataset` (what the `*_dataset_from_*` loaders return), or any
        other iterable or generator of batches. False for arrays, Tensors, and lists, tuples or
        dicts of them (the array path).

    EpochIterator(x, y=None, sample_weight=None, steps_per_epoch=None, shuffle=False,
                  class_weight=None, method="fit")
        Raises if `y` or `sample_weight` is given (the batches carry them).
        `iter(it)` runs ONE epoch and yields `(step, (x, y, sample_weight))`
        for each batch (`y` and `sample_weight` None when a batch lacks them);
        iterate it again for the next epoch. `it.num_batches` is the number
        of steps in an epoch, or None while unknown (a generator before it
        first runs out).

Epochs follow Keras 3:
- Without `steps_per_epoch`, an epoch runs through the data once: a fresh
  pass over a re-iterable source (a PyDataset, a dataset, a list of
  batches), or a generator until it is exhausted; an exhausted generator
  has nothing left for later epochs (a warning says so).
- With `steps_per_epoch=N`, an epoch takes N batches and the next epoch
  continues where the last stopped; a source of known length starts over
  once it is used up (an epoch that ends early warns that the data ran out).
- A PyDataset gets `on_epoch_begin()`/`on_epoch_end()` around every epoch;
  with `shuffle=True` (fit's default) its batches come in a new order each
  epoch, and with `workers > 1` threads load batches ahead.

Example:
    >>> import numpy as np
    >>> batches = ((np.full((2, 1), i, "float32"), np.zeros(2)) for i in range(5))
    >>> it = EpochIterator(batches, steps_per_epoch=2)
    >>> [[float(x[0, 0]) for _, (x, y, w) in it] for epoch in range(2)]
    [[0.0, 1.0], [2.0, 3.0]]
"""
import collections
import itertools
import warnings

import numpy as np

from numkeras.engine.tensor import Tensor, unwrap
from numkeras.utils.dataset import INFINITE_CARDINALITY, Dataset
from numkeras.utils.py_dataset import PyDataset
from numkeras.utils.tree import flatten


def is_dataset(x):
    """True when `x` is read batch by batch (see the module docstring); False for array data."""
    if isinstance(x, PyDataset):
        return True
    if x is None or isinstance(x, (np.ndarray, Tensor, list, tuple, dict, str, bytes)) or hasattr(x, "__array__"):
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


class EpochIterator:
    """Yields one epoch of `(step, (x, y, sample_weight))` batches per iteration.

    Args:
        x: a PyDataset, a dataset, or any iterable or generator of batches:
            `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
        y, sample_weight: must be None; given only to report the mistake.
        steps_per_epoch: batches per epoch; None runs through the data once.
        shuffle: visit a finite PyDataset's batches in a new order each epoch.
            Other sources are expected to shuffle themselves.
        class_weight: optional `{class_index: weight}` turned into sample
            weights for `(x, y)` batches.
        method: the calling method's name, for error messages.
    """

    def __init__(self, x, y=None, sample_weight=None, steps_per_epoch=None, shuffle=False, class_weight=None,
                 method="fit"):
        kind = _kind(x)
        for name, value in (("y", y), ("sample_weight", sample_weight)):
            if value is not None:
                raise ValueError(f"{method}(): when x is a {kind}, do not pass {name}; the {kind} must yield it "
                                 f"in each batch, as (x, y) or (x, y, sample_weight).")
        if not is_dataset(x):
            raise TypeError(f"{method}(): x must be a PyDataset, a dataset or an iterable of batches. Received: "
                            f"{type(x).__name__}.")
        if steps_per_epoch is not None and (not isinstance(steps_per_epoch, (int, np.integer)) or
                                            isinstance(steps_per_epoch, bool) or steps_per_epoch <= 0):
            raise ValueError(f"{method}(): steps must be a positive integer or None. Received: {steps_per_epoch!r}.")
        if steps_per_epoch is None and isinstance(x, Dataset) and x.cardinality() == INFINITE_CARDINALITY:
            steps = "steps_per_epoch" if method == "fit" else "validation_steps" if "validation" in method else "steps"
            raise ValueError(f"{method}(): the dataset is infinite (it repeats for ever), so an epoch has no end. "
                             f"Pass {steps}=..., or repeat() it a finite number of times.")
        self.source, self.method, self.shuffle = x, method, shuffle
        self.steps_per_epoch = None if steps_per_epoch is None else int(steps_per_epoch)
        self.class_weight = class_weight
        self._iterator = None  # the running pass over the data, kept across epochs with steps_per_epoch
        self._taken = 0  # batches taken from it
        self._counted = None  # the length of a source without len(), learnt when a full pass ends
        self._epoch = 0

    def _length(self):
        """Batches in one pass over the source, when known without running it."""
        x = self.source
        if isinstance(x, PyDataset):
            return x.num_batches
        if isinstance(x, Dataset):
            return x.cardinality() if x.cardinality() >= 0 else None
        if isinstance(x, collections.abc.Iterator) or not hasattr(x, "__len__"):
            return None
        return len(x)

    @property
    def num_batches(self):
        """Steps per epoch: `steps_per_epoch`, else the source's length, else None until a pass has ended."""
        return self.steps_per_epoch or self._length() or self._counted

    def __iter__(self):
        if isinstance(self.source, PyDataset):
            self.source.on_epoch_begin()
        try:
            yield from self._epoch_batches()
        finally:
            if isinstance(self.source, PyDataset):
                self.source.on_epoch_end()
            self._epoch += 1

    def _cycles(self):
        """A PyDataset marked `endless` (Keras 2's image iterators) keeps going past its length when
        `steps_per_epoch` asks for more batches, as Keras 2's generators did."""
        return self.steps_per_epoch is not None and isinstance(self.source, PyDataset) and \
            getattr(self.source, "endless", False)

    def _epoch_batches(self):
        length, limit = (None if self._cycles() else self._length()), self.num_batches
        if self._iterator is None or self.steps_per_epoch is None:
            self._iterator, self._taken = self._new_pass(), 0
        step = 0
        while limit is None or step < limit:
            if length is not None and self._taken >= length:  # the data is used up: start over next epoch
                self._ran_out_warning()
                self._iterator = None
                return
            try:
                batch = next(self._iterator)
            except StopIteration:
                if self.steps_per_epoch is None and self._counted is None and step:
                    self._counted = step
                if self.steps_per_epoch or not step:
                    self._ran_out_warning()
                self._iterator = None
                return
            self._taken += 1
            yield step, self._standardize(batch)
            step += 1
        if length is not None and self._taken >= length:
            self._iterator = None

    def _ran_out_warning(self):
        warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or generator "
                      "can generate at least `steps_per_epoch * epochs` batches.", UserWarning, stacklevel=4)

    def _new_pass(self):
        x = self.source
        if not isinstance(x, PyDataset):
            return iter(x)
        length = None if self._cycles() else x.num_batches
        indices = itertools.count() if length is None else list(range(length))
        if self.shuffle and length is not None:
            import random  # stdlib's, loaded only for PyDataset shuffling
            random.Random(self._epoch).shuffle(indices)  # a new, repeatable order every epoch
        if x.workers > 1:
            return _prefetch(x.__getitem__, iter(indices), x.workers, x.max_queue_size)
        return (x[i] for i in indices)

    def _standardize(self, batch):
        x, y, sample_weight = unpack_x_y_sample_weight(batch, self.method)
        if self.class_weight is not None and y is not None:
            sample_weight = weights_for_classes(y, sample_weight, self.class_weight, self.method)
        return x, y, sample_weight


def unpack_x_y_sample_weight(batch, method="fit"):
    """`(x, y, sample_weight)` from a batch `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        return batch, None, None
    if not 1 <= len(batch) <= 3:
        raise ValueError(f"{method}(): each batch must be x, (x,), (x, y) or (x, y, sample_weight). Received a "
                         f"tuple of {len(batch)} elements.")
    return tuple(batch) + (None,) * (3 - len(batch))


def weights_for_classes(y, sample_weight, class_weight, method):
    """The per-sample weights that `class_weight` gives the labels `y`, for `fit` and `train_on_batch`.

    Refuses what Keras refuses: class weights beside sample weights, and
    class weights for a model with more than one output (whose labels say
    nothing about which output a weight belongs to).
    """
    if sample_weight is not None:
        raise ValueError(f"{method}(): pass class_weight or sample_weight, not both. Fold the class weights into the "
                         "sample weights (sample_weight[i] * class_weight[label of i]) and pass only sample_weight.")
    labels = flatten(y)
    if len(labels) > 1:
        raise ValueError(f"{method}(): class_weight is only supported for a model with a single output; this one has "
                         f"{len(labels)}. Pass sample_weight instead: a dict keyed by output name (or a list) with "
                         "one per-sample weight array per output.")
    return class_weight_to_sample_weight(labels[0], class_weight)


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights `class_weight[label]` for integer labels or one-hot rows; a class the dict leaves out
    weighs 1.0, as in Keras 3."""
    y = np.asarray(unwrap(y))
    labels = y.argmax(axis=-1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(len(y))
    labels = np.round(labels).astype(int)
    return np.array([class_weight.get(int(c), 1.0) for c in labels], dtype="float32")


def _prefetch(fetch, indices, workers, queue_size):
    """`fetch(i)` for each index, in order, computed by `workers` threads up to `queue_size` ahead."""
    import concurrent.futures  # only PyDataset workers need it
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        pending = collections.deque(pool.submit(fetch, i) for i in itertools.islice(indices, max(queue_size, 1)))
        try:
            while pending:
                batch = pending.popleft().result()
                for i in itertools.islice(indices, 1):
                    pending.append(pool.submit(fetch, i))
                yield batch
        finally:  # an abandoned pass should not leave work queued
            for future in pending:
                future.cancel()


def _kind(x):
    if isinstance(x, PyDataset):
        return "PyDataset"
    if isinstance(x, Dataset):
        return "Dataset"
    return "generator" if isinstance(x, collections.abc.Iterator) else "dataset"
