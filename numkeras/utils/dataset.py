"""Dataset: a lazy pipeline of NumPy elements, the part of `tf.data.Dataset` that Keras code calls.

Keras has no dataset class of its own: its loaders (`text_dataset_from_directory`,
`timeseries_dataset_from_array`, ...) return a `tf.data.Dataset`, and the book's code
calls a handful of its methods on them. numkeras returns this class instead, from
`numkeras.utils.Dataset` (a numkeras extra: `keras.utils` has no such name).
It is a subset of tf.data, not a reimplementation of it:

- Elements are NumPy arrays (or NumPy scalars), alone or nested in tuples and
  dicts. A list given to `from_tensor_slices` is one array, as in tf.data.
  Strings are NumPy `str` arrays, not `bytes`.
- Nothing runs until the dataset is iterated; each `iter()` is a fresh pass
  (a new order where `shuffle` reshuffles), so a dataset is one epoch.
- `map` and `batch` accept `num_parallel_calls` and `deterministic` and run
  in order in the calling thread; `prefetch` accepts its buffer and changes
  nothing; `cache` keeps elements in memory only.
- The methods: `from_tensor_slices`, `from_tensors`, `from_generator`,
  `range`, `zip` (static); `map`, `filter`, `batch`, `unbatch`, `shuffle`,
  `take`, `skip`, `repeat`, `cache`, `prefetch`, `concatenate`,
  `as_numpy_iterator`, `cardinality`, `len()` (when finite and known).

`fit`, `evaluate` and `predict` take a Dataset whose elements are batches `x`,
`(x,)`, `(x, y)` or `(x, y, sample_weight)`, as `x=` or `validation_data=`.

Example:
    >>> import numpy as np
    >>> from numkeras.utils import Dataset
    >>> ds = Dataset.from_tensor_slices((np.arange(6), np.arange(6) * 10))
    >>> ds = ds.map(lambda x, y: (x + 1, y)).batch(4)
    >>> [(x.tolist(), y.tolist()) for x, y in ds]
    [([1, 2, 3, 4], [0, 10, 20, 30]), ([5, 6], [40, 50])]
    >>> len(ds), len(ds.take(1).repeat(3)), [x.tolist() for x, y in ds.unbatch().take(2)]
    (2, 3, [1, 2])
"""
import itertools

import numpy as np

from numkeras.backend import random as backend_random

INFINITE_CARDINALITY = -1  # tf.data's values, which code compares cardinality() with
UNKNOWN_CARDINALITY = -2
AUTOTUNE = -1


class Dataset:
    """A re-iterable, lazy sequence of elements (nested tuples/dicts of NumPy arrays).

    Build one with a static constructor (`Dataset.from_tensor_slices(...)`) or
    get one from a loader; every method returns a new Dataset and leaves this
    one as it was.

    Args:
        elements: a function of no arguments returning a fresh iterator over
            the elements (it is called once per pass).
        cardinality: the number of elements, `INFINITE_CARDINALITY` (-1) or
            `UNKNOWN_CARDINALITY` (-2). Defaults to unknown.
    """

    AUTOTUNE = AUTOTUNE
    INFINITE_CARDINALITY = INFINITE_CARDINALITY
    UNKNOWN_CARDINALITY = UNKNOWN_CARDINALITY

    def __init__(self, elements, cardinality=UNKNOWN_CARDINALITY):
        if not callable(elements):
            raise TypeError("Dataset(elements): elements must be a function returning an iterator over the "
                            f"elements. Received: {type(elements).__name__}. To wrap arrays, use "
                            "Dataset.from_tensor_slices(arrays).")
        self._elements = elements
        self._cardinality = int(cardinality)
        self._slices = None  # set by from_tensor_slices: lets batch() slice instead of stacking
        self._batch_size = None  # set by batch()

    # ---- constructors -------------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the rows of `tensors`: element `i` holds row `i` of every array.

        Args:
            tensors: an array (or list, or Tensor), or a tuple/dict nesting
                them; every array must have the same first dimension.
            name: accepted for tf.data compatibility; unused.
        """
        slices = _map(_to_array, tensors)
        arrays = element_leaves(slices)
        if not arrays:
            raise ValueError("Dataset.from_tensor_slices: received no arrays. Pass an array, or a tuple/dict of "
                             "arrays with the same first dimension.")
        for a in arrays:
            if a.ndim == 0:
                raise ValueError("Dataset.from_tensor_slices slices along the first dimension, so every "
                                 f"component needs one. Received a scalar: {a!r}. Use Dataset.from_tensors for "
                                 "a single element.")
        lengths = sorted({len(a) for a in arrays})
        if len(lengths) > 1:
            raise ValueError("Dataset.from_tensor_slices: all components must have the same first dimension. "
                             f"Received lengths {[len(a) for a in arrays]}.")
        n = lengths[0]
        if isinstance(slices, np.ndarray):  # one array: its rows, as iterating it gives them
            ds = Dataset(lambda: iter(slices), n)
        elif type(slices) is tuple and len(arrays) == len(slices):  # a flat tuple of arrays
            ds = Dataset(lambda: zip(*slices), n)
        else:
            ds = Dataset(lambda: (_pack(slices, row) for row in zip(*arrays)), n)
        ds._slices = slices
        return ds

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: `tensors` itself (arrays in a tuple/dict)."""
        element = _map(_to_array, tensors)
        return Dataset(lambda: iter((element,)), 1)

    @staticmethod
    def from_generator(generator, output_signature=None, args=None, name=None):
        """A dataset of what `generator(*args)` yields; it is called again for every pass.

        Args:
            generator: a function returning an iterator (a generator function).
            output_signature: accepted for tf.data compatibility; unused.
            args: a tuple of arguments for `generator`.
        """
        if not callable(generator):
            raise TypeError("Dataset.from_generator: generator must be a callable returning an iterator (a "
                            f"generator function, not a generator). Received: {type(generator).__name__}.")
        args = tuple(args or ())
        return Dataset(lambda: (_map(_to_array, e) for e in generator(*args)))

    @staticmethod
    def range(*args, dtype="int64", name=None):
        """`Dataset.range(stop)`, `(start, stop)` or `(start, stop, step)`: integers as NumPy scalars."""
        values = range(*args)
        return Dataset(lambda: (np.array(v, dtype=dtype)[()] for v in values), len(values))

    @staticmethod
    def zip(*datasets, name=None):
        """Elements of several datasets side by side, until the shortest ends.

        `Dataset.zip(a, b)` and `Dataset.zip((a, b))` yield `(a_element,
        b_element)`; `Dataset.zip({"x": a, "y": b})` yields dicts.
        """
        structure = datasets[0] if len(datasets) == 1 and not isinstance(datasets[0], Dataset) else datasets
        parts = element_leaves(structure)
        if not parts or not all(isinstance(d, Dataset) for d in parts):
            raise TypeError("Dataset.zip takes datasets, or one tuple/dict of datasets. Received: "
                            f"{[type(d).__name__ for d in parts]}.")

        def elements():
            for items in zip(*parts):
                yield _pack(structure, list(items))

        counts = [d._cardinality for d in parts]
        if UNKNOWN_CARDINALITY in counts:
            count = UNKNOWN_CARDINALITY
        else:
            finite = [c for c in counts if c != INFINITE_CARDINALITY]
            count = min(finite) if finite else INFINITE_CARDINALITY
        return Dataset(elements, count)

    # ---- transformations ----------------------------------------------------------------------------

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `map_func` to every element.

        As in tf.data, a tuple element is passed as separate arguments
        (`lambda x, y: ...`); any other element as one argument. What the
        function returns becomes the new element: Tensors and Python values
        are turned into NumPy arrays, a returned list into a tuple.

        Args:
            map_func: the function.
            num_parallel_calls, deterministic: accepted for tf.data
                compatibility; elements are mapped one by one, in order.
        """
        source = self

        def elements():
            for e in source:
                yield _map(_to_array, _call(map_func, e), lists_are_tuples=True)

        return Dataset(elements, self._cardinality)

    def filter(self, predicate, name=None):
        """Keeps the elements for which `predicate` (called like `map_func`) is true."""
        source = self
        return Dataset(lambda: (e for e in source if bool(_call(predicate, e))))

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        """Stacks `batch_size` consecutive elements into one (a new first dimension).

        Args:
            batch_size: elements per batch.
            drop_remainder: drop a last batch smaller than `batch_size`.
                Defaults to False.
            num_parallel_calls, deterministic: accepted; unused.
        """
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"Dataset.batch: batch_size must be a positive integer. Received: "
                             f"batch_size={batch_size!r}.")
        batch_size = int(batch_size)
        count = self._cardinality
        if count >= 0:
            count = count // batch_size if drop_remainder else -(-count // batch_size)
        if self._slices is not None:  # rows of arrays: a batch is a slice of each
            slices, n = self._slices, self._cardinality
            stop = n - n % batch_size if drop_remainder else n
            batched = Dataset(lambda: (_map(lambda a: a[i:i + batch_size], slices)
                                       for i in range(0, stop, batch_size)), count)
        else:
            source = self

            def elements():
                iterator = iter(source)
                while True:
                    chunk = list(itertools.islice(iterator, batch_size))
                    if not chunk or (drop_remainder and len(chunk) < batch_size):
                        return
                    yield stack_elements(chunk)

            batched = Dataset(elements, count)
        batched._batch_size = batch_size  # split_dataset re-batches its halves with it
        return batched

    def unbatch(self, name=None):
        """Splits every element along its first dimension: the inverse of `batch`."""
        source = self

        def elements():
            for e in source:
                leaves = element_leaves(e)
                if any(np.ndim(a) == 0 for a in leaves):
                    raise ValueError("Dataset.unbatch: every component of an element needs a first dimension to "
                                     "split. Received a scalar component.")
                for i in range(len(leaves[0])):
                    yield _map(lambda a: a[i], e)

        return Dataset(elements)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffles through a buffer, as tf.data does.

        The first `buffer_size` elements fill a buffer; each element given
        out is drawn at random from it and its place taken by the next one
        coming in. A buffer as large as the dataset shuffles it uniformly.

        Args:
            buffer_size: elements held in the buffer.
            seed: an integer: the same seed gives the same sequence of
                orders. None draws one from numkeras's generator (so
                `utils.set_random_seed` makes it repeat).
            reshuffle_each_iteration: a new order on every pass (every epoch).
                False repeats the first order. Defaults to True.
        """
        if not isinstance(buffer_size, (int, np.integer)) or isinstance(buffer_size, bool) or \
                (buffer_size <= 0 and buffer_size != AUTOTUNE):
            raise ValueError(f"Dataset.shuffle: buffer_size must be a positive integer. Received: "
                             f"buffer_size={buffer_size!r}.")
        if seed is None:
            seed = int(backend_random.random_generator().integers(2**31))
        size = max(int(buffer_size), 1) if buffer_size != AUTOTUNE else 1024
        source, passes = self, itertools.count()

        def elements():
            import random  # Python's generator: a draw per element is cheaper than NumPy's
            rng = random.Random(f"{seed}/{next(passes) if reshuffle_each_iteration else 0}")
            iterator = iter(source)
            buffer = list(itertools.islice(iterator, size))
            for e in iterator:
                j = rng.randrange(len(buffer))
                yield buffer[j]
                buffer[j] = e
            rng.shuffle(buffer)
            yield from buffer

        return Dataset(elements, self._cardinality)

    def take(self, count, name=None):
        """The first `count` elements (all of them for -1)."""
        count = _check_count(count, "take")
        source = self
        n = self._cardinality
        if count != -1 and n != UNKNOWN_CARDINALITY:
            n = count if n == INFINITE_CARDINALITY else min(n, count)
        return Dataset(lambda: itertools.islice(source, None if count == -1 else count), n)

    def skip(self, count, name=None):
        """All but the first `count` elements (none for -1)."""
        count = _check_count(count, "skip")
        source = self
        n = self._cardinality
        if count == -1:
            n = 0
        elif n >= 0:
            n = max(n - count, 0)
        return Dataset(lambda: iter(()) if count == -1 else itertools.islice(source, count, None), n)

    def repeat(self, count=None, name=None):
        """The elements `count` times over, each pass a fresh one (reshuffled); None or -1 for ever."""
        forever = count is None or count == -1
        if not forever:
            count = _check_count(count, "repeat")
        source = self

        def elements():
            for _ in (itertools.count() if forever else range(count)):
                empty = True
                for e in source:
                    empty = False
                    yield e
                if empty:  # nothing to repeat: end rather than loop for ever
                    return

        n = self._cardinality
        if n > 0:
            n = INFINITE_CARDINALITY if forever else n * count
        elif n == INFINITE_CARDINALITY and count == 0:
            n = 0
        return Dataset(elements, 0 if count == 0 else n)

    def cache(self, filename="", name=None):
        """Keeps the elements of the first complete pass in memory; later passes replay them.

        Everything before `cache()` then runs once (so a shuffle before it
        keeps its first order). tf.data can also cache to a file;
        numkeras caches in memory only.
        """
        if filename:
            raise ValueError("Dataset.cache caches in memory only in numkeras; it cannot write to a file. "
                             f"Received: filename={filename!r}. Call cache() without a filename.")
        source, store = self, []

        def elements():
            if store:
                yield from store[0]
                return
            seen = []
            for e in source:
                seen.append(e)
                yield e
            store.append(seen)  # only a pass that ran to its end is kept

        return Dataset(elements, self._cardinality)

    def prefetch(self, buffer_size=AUTOTUNE, name=None):
        """Accepted for tf.data compatibility: the same dataset (elements are made when asked for)."""
        return self

    def concatenate(self, dataset, name=None):
        """This dataset's elements, then those of `dataset`."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"Dataset.concatenate takes a Dataset. Received: {type(dataset).__name__}.")
        first, second = self, dataset
        counts = (self._cardinality, dataset._cardinality)
        if INFINITE_CARDINALITY in counts:
            n = INFINITE_CARDINALITY
        elif UNKNOWN_CARDINALITY in counts:
            n = UNKNOWN_CARDINALITY
        else:
            n = sum(counts)
        return Dataset(lambda: itertools.chain(first, second), n)

    # ---- reading ------------------------------------------------------------------------------------

    def __iter__(self):
        return iter(self._elements())

    def as_numpy_iterator(self):
        """An iterator over the elements (already NumPy; strings stay `str`, where tf.data gives bytes)."""
        return iter(self)

    def cardinality(self):
        """The number of elements; -1 (`INFINITE_CARDINALITY`) or -2 (`UNKNOWN_CARDINALITY`) when not known."""
        return self._cardinality

    def __len__(self):
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite: it has no len(). Use take(n), or pass steps_per_epoch to fit().")
        if self._cardinality == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown (after filter, unbatch or from_generator). Count it "
                            "with sum(1 for _ in dataset), or pass steps_per_epoch to fit().")
        return self._cardinality

    def __bool__(self):
        return True  # never fall back on len(), which may raise

    def __repr__(self):
        n = {INFINITE_CARDINALITY: "infinite", UNKNOWN_CARDINALITY: "unknown"}.get(self._cardinality,
                                                                                 self._cardinality)
        return f"<{type(self).__name__} cardinality={n}>"


# ---- nested elements: tuples (namedtuples too) and dicts; anything else is a leaf -------------------

def _map(fn, structure, lists_are_tuples=False):
    if isinstance(structure, dict):
        return {k: _map(fn, v, lists_are_tuples) for k, v in structure.items()}
    if isinstance(structure, tuple) or (lists_are_tuples and isinstance(structure, list)):
        items = [_map(fn, v, lists_are_tuples) for v in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return fn(structure)


def element_leaves(structure):
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in element_leaves(structure[k])]
    if isinstance(structure, tuple):
        return [leaf for v in structure for leaf in element_leaves(v)]
    return [structure]


def _pack(structure, flat):
    """`structure` rebuilt with the leaves of `flat`, taken in `element_leaves` order."""
    return _fill(structure, iter(flat))


def _fill(structure, leaves):
    if isinstance(structure, dict):
        values = {k: _fill(structure[k], leaves) for k in sorted(structure)}
        return {k: values[k] for k in structure}
    if isinstance(structure, tuple):
        items = [_fill(v, leaves) for v in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return next(leaves)


def _to_array(x):
    if isinstance(x, (np.ndarray, np.generic)):
        return x
    return np.asarray(x)  # lists, Python scalars and strings, numkeras Tensors (through __array__)


def _call(fn, element):
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return fn(*element)
    return fn(element)


def stack_elements(elements):
    """One element from a list of like elements: each component stacked along a new first axis."""
    first = elements[0]
    leaf = not isinstance(first, (tuple, dict))
    if leaf:
        columns = [elements]
    elif type(first) is tuple and not any(isinstance(v, (tuple, dict)) for v in first):
        columns = zip(*elements)
    else:
        columns = zip(*(element_leaves(e) for e in elements))
    stacked = []
    for k, column in enumerate(columns):
        try:  # NumPy scalars gather faster through np.array; arrays go through np.stack, which checks shapes
            stacked.append(np.array(column) if isinstance(column[0], np.generic) else np.stack(column))
        except ValueError:
            shapes = sorted({np.shape(a) for a in column})
            raise ValueError(f"Dataset.batch: the elements of a batch differ in shape (component {k}: shapes "
                             f"{shapes}). Make them one shape first, e.g. with utils.pad_sequences or a "
                             "cropping function in map().") from None
    return stacked[0] if leaf else _pack(first, stacked)


def _check_count(count, method):
    if not isinstance(count, (int, np.integer)) or isinstance(count, bool) or count < -1:
        raise ValueError(f"Dataset.{method}: count must be a non-negative integer or -1. Received: count={count!r}.")
    return int(count)
