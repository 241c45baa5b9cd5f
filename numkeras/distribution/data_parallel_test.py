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
