import collections

import numpy as np
import pytest

from numkeras.engine.tensor import Tensor
from numkeras.utils.dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset


def values(ds):
    """Every element as plain Python (lists, tuples, dicts)."""
    def plain(e):
        if isinstance(e, dict):
            return {k: plain(v) for k, v in e.items()}
        if isinstance(e, tuple):
            return tuple(plain(v) for v in e)
        return np.asarray(e).tolist()
    return [plain(e) for e in ds]


def test_from_tensor_slices_of_arrays_tuples_dicts_and_lists():
    assert values(Dataset.from_tensor_slices(np.arange(6).reshape(3, 2))) == [[0, 1], [2, 3], [4, 5]]
    assert values(Dataset.from_tensor_slices(([1, 2], np.array(["a", "b"])))) == [(1, "a"), (2, "b")]
    ds = Dataset.from_tensor_slices({"x": np.zeros((2, 3), "float32"), "y": (np.arange(2), np.ones(2))})
    first = next(iter(ds))
    assert first["x"].shape == (3,) and first["x"].dtype == np.float32 and values(ds)[1]["y"] == (1, 1.0)
    assert len(ds) == 2 and ds.cardinality() == 2
    assert values(Dataset.from_tensor_slices(Tensor(np.ones((2, 1), "float32")))) == [[1.0], [1.0]]
    with pytest.raises(ValueError, match=r"same first dimension.*\[3, 2\]"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(2)))
    with pytest.raises(ValueError, match="scalar"):
        Dataset.from_tensor_slices(5)


def test_map_passes_tuple_components_as_arguments_and_converts_results():
    calls = []
    ds = Dataset.from_tensor_slices((np.arange(3), np.arange(3) * 2))
    mapped = ds.map(lambda x, y: calls.append(1) or [x + y, Tensor(np.float32(y))], num_parallel_calls=Dataset.AUTOTUNE)
    assert calls == []  # lazy: nothing runs before iteration
    out = list(mapped)
    assert len(calls) == 3 and values(mapped) == [(0, 0.0), (3, 2.0), (6, 4.0)]
    assert isinstance(out[0], tuple) and isinstance(out[0][1], np.ndarray) and out[0][1].dtype == np.float32
    as_dict = Dataset.from_tensor_slices({"a": np.arange(2)}).map(lambda d: d["a"] * 10)
    assert values(as_dict) == [0, 10]
    Pair = collections.namedtuple("Pair", "p q")
    named = Dataset.from_tensor_slices(Pair(np.arange(2), np.arange(2))).map(lambda pair: pair.p + pair.q)
    assert values(named) == [0, 2]


def test_batch_stacks_or_slices_and_drops_the_remainder():
    x, y = np.arange(10).reshape(5, 2), np.array(list("abcde"))
    sliced = Dataset.from_tensor_slices((x, y)).batch(2)
    stacked = Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, b)).batch(2)  # the general path
    assert values(sliced) == values(stacked) == [([[0, 1], [2, 3]], ["a", "b"]), ([[4, 5], [6, 7]], ["c", "d"]),
                                                 ([[8, 9]], ["e"])]
    assert len(sliced) == len(stacked) == 3
    for ds in (Dataset.from_tensor_slices(x), Dataset.from_tensor_slices(x).map(lambda a: a)):
        dropped = ds.batch(2, drop_remainder=True)
        assert len(dropped) == 2 and [b.shape for b in dropped] == [(2, 2), (2, 2)]
    ragged = Dataset.from_generator(lambda: iter([np.zeros(2), np.zeros(3)])).batch(2)
    with pytest.raises(ValueError, match=r"differ in shape.*\(2,\), \(3,\)"):
        list(ragged)
    with pytest.raises(ValueError, match="batch_size"):
        Dataset.range(3).batch(0)


def test_unbatch_inverts_batch():
    ds = Dataset.from_tensor_slices({"x": np.arange(7), "y": np.arange(7) * 2}).batch(3)
    assert values(ds.unbatch()) == [{"x": i, "y": 2 * i} for i in range(7)]
    assert ds.unbatch().cardinality() == UNKNOWN_CARDINALITY
    with pytest.raises(ValueError, match="scalar"):
        list(Dataset.range(2).unbatch())


def test_shuffle_follows_the_buffer_and_the_seed():
    ds = Dataset.range(50)
    assert values(ds.shuffle(1, seed=0)) == list(range(50))  # a buffer of one changes nothing
    full = ds.shuffle(50, seed=3)
    first, second = values(full), values(full)
    assert sorted(first) == list(range(50)) and first != list(range(50)) and first != second
    assert values(ds.shuffle(50, seed=3)) == first and values(ds.shuffle(50, seed=3).skip(0)) == first
    fixed = ds.shuffle(50, seed=3, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    small = values(ds.shuffle(4, seed=1))
    assert sorted(small) == list(range(50))
    # With a buffer of 4, output k comes from the first k + 4 inputs.
    assert all(v < k + 4 for k, v in enumerate(small))
    assert len(ds.shuffle(4)) == 50


def test_take_skip_repeat_concatenate_and_cardinality():
    ds = Dataset.range(5)
    assert values(ds.take(2)) == [0, 1] and len(ds.take(2)) == 2 and len(ds.take(-1)) == 5 and len(ds.take(9)) == 5
    assert values(ds.skip(3)) == [3, 4] and len(ds.skip(3)) == 2 and values(ds.skip(-1)) == [] and len(ds.skip(9)) == 0
    assert values(ds.repeat(2)) == [0, 1, 2, 3, 4] * 2 and len(ds.repeat(2)) == 10
    forever = ds.repeat()
    assert forever.cardinality() == INFINITE_CARDINALITY and len(forever.take(12)) == 12
    assert values(forever.take(7)) == [0, 1, 2, 3, 4, 0, 1]
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    assert values(ds.concatenate(Dataset.range(7, 9))) == [0, 1, 2, 3, 4, 7, 8] and len(ds.concatenate(ds)) == 10
    odd = ds.filter(lambda v: v % 2 == 1)
    assert values(odd) == [1, 3] and odd.cardinality() == UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="unknown"):
        len(odd)
    assert values(Dataset.range(0).repeat()) == []  # nothing to repeat ends instead of spinning
    assert bool(forever) and "infinite" in repr(forever)
    # A fresh pass of repeat reshuffles, as every new epoch does.
    passes = values(Dataset.range(6).shuffle(6, seed=2).repeat(2))
    assert passes[:6] != passes[6:] and sorted(passes[:6]) == sorted(passes[6:])


def test_zip_tuples_dicts_and_shortest_length():
    a, b = Dataset.range(3), Dataset.from_tensor_slices(np.array(["x", "y", "z", "w"]))
    assert values(Dataset.zip(a, b)) == values(Dataset.zip((a, b))) == [(0, "x"), (1, "y"), (2, "z")]
    assert values(Dataset.zip({"n": a, "s": b}).take(1)) == [{"n": 0, "s": "x"}]
    assert len(Dataset.zip(a, b)) == 3 and len(Dataset.zip(a.repeat(), b)) == 4
    assert Dataset.zip(a, b.filter(bool)).cardinality() == UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="datasets"):
        Dataset.zip(a, [1, 2])


def test_cache_runs_the_pipeline_once():
    calls = []
    ds = Dataset.range(4).map(lambda v: calls.append(int(v)) or v * 2).cache()
    assert values(ds.take(2)) == [0, 2] and calls == [0, 1]  # an unfinished pass is not kept
    assert values(ds) == values(ds) == [0, 2, 4, 6] and calls == [0, 1, 0, 1, 2, 3]
    shuffled = Dataset.range(20).shuffle(20, seed=4).cache()
    assert values(shuffled) == values(shuffled)
    with pytest.raises(ValueError, match="memory only"):
        Dataset.range(2).cache("/tmp/cache")


def test_generators_tensors_prefetch_and_numpy_iterator():
    ds = Dataset.from_generator(lambda n: ((np.full(2, i), i) for i in range(n)), args=(3,))
    assert values(ds) == values(ds) == [([0, 0], 0), ([1, 1], 1), ([2, 2], 2)]  # called again for each pass
    assert ds.cardinality() == UNKNOWN_CARDINALITY
    assert values(Dataset.from_tensors((np.arange(3), 1))) == [([0, 1, 2], 1)]
    assert ds.prefetch(Dataset.AUTOTUNE) is ds
    numbers = list(Dataset.range(2, 8, 3).as_numpy_iterator())
    assert numbers == [2, 5] and all(isinstance(v, np.int64) for v in numbers)
    with pytest.raises(TypeError, match="generator function"):
        Dataset.from_generator(iter([1]))
    with pytest.raises(ValueError, match="count"):
        Dataset.range(3).take(-2)
