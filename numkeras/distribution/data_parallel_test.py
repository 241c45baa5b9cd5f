import numpy as np
import pytest

from numkeras.distribution import data_parallel
from numkeras.distribution.data_parallel import DataParallelRuntime, _bucket_plan, split_rows


@pytest.mark.parametrize("rows,size", [(128, 2), (2, 4), (0, 3), (103, 4)])
def test_split_rows_cover_the_batch_once_in_order(rows, size):
    parts = [split_rows(rows, r, size) for r in range(size)]
    assert np.concatenate([np.arange(rows)[p] for p in parts]).tolist() == list(range(rows))
    sizes = [p.stop - p.start for p in parts]
    assert max(sizes) - min(sizes) <= 1


def test_buckets_go_last_layer_first_and_respect_the_cap(monkeypatch):
    monkeypatch.setattr(data_parallel, "BUCKET_BYTES", 40)  # ten float32
    arrays = [np.zeros(6, "float32"), np.zeros((2, 2), "float32"), None, np.zeros(30, "float32"),
              np.zeros(3, "float64")]
    plan = _bucket_plan(arrays)
    assert [(str(d), [i for i, _ in m], n) for d, m, n in plan] == [
        ("float64", [4], 3), ("float32", [3], 30), ("float32", [1, 0], 10)]


class _Recorder:
    """A rank of two that records what it would send."""
    rank, size = 0, 2

    def __init__(self):
        self.sent = []

    def start_sum(self, buffer):
        self.sent.append(buffer.copy())

    def wait(self, requests):
        pass


class _Adder(_Recorder):
    """A rank of two whose peer sends `peer` buffers."""

    def __init__(self, peer):
        self.peer = list(peer)

    def start_sum(self, buffer):
        buffer += self.peer.pop(0)


def _runtime(comm, rows):
    rt = object.__new__(DataParallelRuntime)
    rt.comm, rt.rank, rt.size, rt.local_rows, rt._plans = comm, comm.rank, comm.size, rows, {}
    rt._stream, rt._fitting = None, False
    return rt


def test_gradients_are_averaged_weighted_by_rows():
    rng = np.random.default_rng(0)
    mine = [rng.random((3, 2), dtype=np.float32), None, rng.random(4, dtype=np.float32)]
    theirs = [rng.random((3, 2), dtype=np.float32), None, rng.random(4, dtype=np.float32)]
    recorder = _Recorder()
    _runtime(recorder, rows=5).average_gradients(theirs)  # the peer has 5 rows
    averaged = _runtime(_Adder(recorder.sent), rows=3).average_gradients(mine)  # this rank has 3
    assert averaged[1] is None
    for m, t, a in zip(mine, theirs, averaged):
        if m is not None:
            np.testing.assert_allclose(a, (3 * m + 5 * t) / 8, rtol=1e-6)
            assert a.dtype == np.float32 and a.shape == m.shape


class _Weight:
    def __init__(self, shape, dtype="float32"):
        self.shape, self.dtype = shape, dtype


def test_a_gradient_stream_starts_buckets_in_plan_order_and_averages_as_after_the_pass(monkeypatch):
    monkeypatch.setattr(data_parallel, "BUCKET_BYTES", 40)  # ten float32: a bucket per weight here
    rng = np.random.default_rng(1)
    weights = [_Weight((6,)), _Weight((2, 2)), _Weight((3,)), _Weight((30,))]
    mine = [rng.random(w.shape, dtype=np.float32) for w in weights]
    theirs = [rng.random(w.shape, dtype=np.float32) for w in weights]
    recorder = _Recorder()
    _runtime(recorder, rows=5).average_gradients(theirs)  # the peer averages after its backward pass
    rt = _runtime(_Adder(recorder.sent), rows=3)
    rt._fitting = True
    started = []
    start_sum = rt.comm.start_sum
    rt.comm.start_sum = lambda buffer: started.append(buffer.size) or start_sum(buffer)
    ready = rt.gradient_stream(weights)  # plan: [3], [2, 1], [0] (+ the row count)
    ready(1, mine[1])
    ready(2, mine[2])  # bucket [2, 1] is complete, but bucket [3] comes first in the plan
    assert started == []
    ready(3, mine[3])
    assert started == [30, 7]
    ready(0, mine[0])
    assert started == [30, 7, 7]
    averaged = rt._stream.finish(list(mine))
    for m, t, a in zip(mine, theirs, averaged):
        np.testing.assert_allclose(a, (3 * m + 5 * t) / 8, rtol=1e-6)
        assert a.dtype == np.float32 and a.shape == m.shape


def test_a_gradient_stream_gives_way_when_apply_gets_other_arrays():
    rt = _runtime(_Recorder(), rows=2)
    rt._fitting = True
    ready = rt.gradient_stream([_Weight((2,))])
    ready(0, np.ones(2, "float32"))
    assert rt._stream.finish([np.ones(2, "float32")]) is None  # not the streamed array: average the usual way
    assert _runtime(_Recorder(), rows=2).gradient_stream([_Weight((2,))]) is None  # outside fit: no stream
