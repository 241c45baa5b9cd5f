"""What `fit`, `evaluate` and `predict` do differently under `DataParallel`: the trainer's hooks.

The trainer asks `distribution_lib.active()` for the runtime (None when no distribution is set,
and then nothing here runs). The runtime, one per communicator:

- shards the data: `shard(iterator)` wraps an epoch iterator so that this rank yields its rows of
  every global batch. Arrays are shuffled by a generator seeded with (a seed drawn on rank 0 and
  broadcast, the epoch number), identical on every rank with no message per epoch; a batch of B
  rows gives rank r the rows [r*B//N + min(r, B%N) ...) of a `numpy.array_split`, so the ranks'
  shares concatenate to the batch one process would take;
- starts every rank from rank 0's weights and optimizer state (`before_step`, at the first step,
  after the model is built);
- averages gradients: during fit the optimizer's `apply` is wrapped (as Horovod's
  DistributedOptimizer does) to sum `rows_r * gradient_r` over the ranks and divide by the global
  rows, in contiguous buckets of at most `BUCKET_BYTES`, last layers first, one nonblocking
  Iallreduce started as each bucket is packed; this rank's row count travels in the last bucket.
  In the trainer's own `train_step` the buckets are filled during the backward pass (the tape's
  `on_ready` hook, `gradient_stream`): a bucket's Iallreduce starts as soon as its gradients and
  those of every earlier bucket are final, so communication overlaps the rest of the backward
  pass; the buckets start in the same fixed order on every rank, and all are waited on before
  the optimizer step;
- reduces metrics (`reduce_logs`): every metric's state variables (totals and counts) are summed
  over the ranks, and the result is computed from the sums;
- agrees on stopping (`agree_stop`), averages non-trainable float weights (batch-norm statistics)
  at the end of each epoch, keeps file-writing and printing callbacks on rank 0, and stops the
  whole job when a rank fails (`fail`).
"""
import numpy as np

from numkeras.backend import random_generator
from numkeras.distribution import communicator
from numkeras.engine.tensor import Tensor
from numkeras.trainers.array_iterator import ArrayEpochIterator, take
from numkeras.trainers.data_adapters import EpochIterator
from numkeras.utils.tree import flatten, pack_sequence_as

BUCKET_BYTES = 25 * 2**20  # PyTorch DDP's default bucket cap
RANK0_ONLY_CALLBACKS = ("ProgbarLogger", "ModelCheckpoint", "CSVLogger", "BackupAndRestore", "TensorBoard",
                        "RemoteMonitor")
_RUNTIMES = {}


def runtime(distribution):
    """The runtime of `distribution` (one per distribution object)."""
    key = id(distribution)
    if key not in _RUNTIMES or _RUNTIMES[key].distribution is not distribution:
        _RUNTIMES[key] = DataParallelRuntime(distribution)
    return _RUNTIMES[key]


def split_rows(rows, rank, size):
    """The slice of `rows` rows that `rank` of `size` takes (numpy.array_split's shares).

    Example:
        >>> [split_rows(10, r, 4) for r in range(4)]
        [slice(0, 3, None), slice(3, 6, None), slice(6, 8, None), slice(8, 10, None)]
    """
    base, extra = divmod(rows, size)
    start = rank * base + min(rank, extra)
    return slice(start, start + base + (rank < extra))


class DataParallelRuntime:
    """The trainer's hooks for one `DataParallel` distribution (see the module docstring)."""

    def __init__(self, distribution):
        self.distribution = distribution
        self.comm = communicator.world()
        self.rank, self.size = self.comm.rank, self.comm.size
        self.local_rows = None  # rows of this rank's share of the running step's batch
        self._synced = set()  # ids of the models whose weights were broadcast in this fit
        self._plans = {}
        self._stream = None  # the _GradientStream of the running step, between the tape and `apply`
        self._fitting = False  # the optimizer's `apply` is wrapped

    @property
    def is_chief(self):
        return self.rank == 0

    # -- data -----------------------------------------------------------------
    def shard(self, iterator):
        """`iterator` (an epoch iterator of the trainer) yielding this rank's rows of every batch."""
        if isinstance(iterator, ArrayEpochIterator):
            seed = np.zeros(1, dtype=np.int64)
            if iterator.shuffle:
                if self.is_chief:
                    seed[0] = random_generator().integers(2**62)
                self.comm.broadcast([seed])
            return _rebuilt(ShardedArrayIterator, iterator, runtime=self, seed=int(seed[0]))
        if isinstance(iterator, EpochIterator) and self.distribution.auto_shard_dataset and self.size > 1:
            return _rebuilt(ShardedEpochIterator, iterator, runtime=self)
        return iterator

    def _local(self, batch):
        """This rank's rows of `batch = (x, y, sample_weight)`."""
        return batch if self.size == 1 else take(batch, split_rows(len(flatten(batch[0])[0]), self.rank, self.size))

    # -- fit ------------------------------------------------------------------
    def begin_fit(self, model):
        """Wraps the optimizer's `apply` so that it averages gradients over the ranks."""
        self._synced.discard(id(model))
        optimizer = model.optimizer
        if "apply" in optimizer.__dict__:  # already wrapped (a fit inside a callback)
            return
        original = optimizer.apply

        def apply(grads, trainable_variables=None):
            stream, self._stream = self._stream, None
            grads = list(grads)
            averaged = stream.finish(grads) if stream is not None else None
            return original(self.average_gradients(grads) if averaged is None else averaged, trainable_variables)

        optimizer.apply = apply
        self._fitting = True

    def end_fit(self, model):
        model.optimizer.__dict__.pop("apply", None)
        self._fitting = False
        self._stream = None
        self._synced.discard(id(model))

    def count_rows(self, data):
        """The rows of this rank's batch `data = (x, y, sample_weight)` (recorded for the gradient weighting)."""
        self.local_rows = len(flatten(data[0])[0])
        return self.local_rows

    def before_step(self, model, data):
        """At the first step of a fit: rank 0's weights and optimizer state to every rank. Returns whether this
        rank has rows in its batch `data` (else the trainer calls `empty_step`)."""
        self.count_rows(data)
        if id(model) not in self._synced:
            self._synced.add(id(model))
            if self.size > 1:
                optimizer = model.optimizer
                if not optimizer.built:
                    optimizer.build(model.trainable_weights)
                self.broadcast_variables(list(model.weights) + list(optimizer.variables))
        return bool(self.local_rows)

    def empty_step(self, model):
        """This rank's part of a step when its share of the batch is empty: zero gradients, zero rows."""
        weights = model._trained_weights if model._trained_weights is not None else model.trainable_weights
        model.optimizer.apply([np.zeros(w.shape, dtype=w.dtype) for w in weights], weights)
        return model.get_metrics_result()

    def broadcast_variables(self, variables):
        """Rank 0's values of `variables` to every rank, one contiguous buffer per dtype."""
        by_dtype = {}
        for v in variables:
            by_dtype.setdefault(np.dtype(v.dtype), []).append(v)
        for dtype, group in by_dtype.items():
            buffer = np.concatenate([np.asarray(v.data, dtype=dtype).ravel() for v in group])
            self.comm.broadcast([buffer])
            offset = 0
            for v in group:
                v.data[...] = buffer[offset:offset + v.data.size].reshape(v.data.shape)
                offset += v.data.size

    def gradient_stream(self, weights):
        """The tape's `on_ready` hook for this step's gradients of `weights` (None when there is nothing to
        overlap: one rank, or outside fit). The wrapped `apply` then finishes the stream instead of packing."""
        if self.size == 1 or not self._fitting:
            return None
        key = tuple((tuple(w.shape), np.dtype(w.dtype).str) for w in weights)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans.setdefault(key, _bucket_plan([np.empty(shape, dtype) for shape, dtype in key]))
        self._stream = _GradientStream(self, plan, [int(np.prod(shape)) for shape, _ in key])
        return self._stream.ready

    def average_gradients(self, grads):
        """The row-weighted mean of `grads` over the ranks (None stays None), bucketed (see the module docstring)."""
        if self.size == 1:
            return grads
        arrays = [None if g is None else np.asarray(g.data if isinstance(g, Tensor) else g) for g in grads]
        key = tuple(None if a is None else (a.shape, a.dtype.str) for a in arrays)
        plan = self._plans.get(key) or self._plans.setdefault(key, _bucket_plan(arrays))
        rows = float(self.local_rows if self.local_rows is not None else 1)
        requests, buffers = [], []
        for b, (dtype, members, size) in enumerate(plan):
            last = b == len(plan) - 1
            buffer = np.empty(size + last, dtype=dtype)
            for i, offset in members:
                np.multiply(arrays[i].reshape(-1), dtype.type(rows), out=buffer[offset:offset + arrays[i].size])
            if last:
                buffer[-1] = rows
            requests.append(self.comm.start_sum(buffer))
            buffers.append(buffer)
        self.comm.wait(requests)
        total = buffers[-1][-1] if buffers else 1.0
        out = list(grads)
        for (dtype, members, _), buffer in zip(plan, buffers):
            buffer /= dtype.type(total) if total else dtype.type(1)
            for i, offset in members:
                out[i] = buffer[offset:offset + arrays[i].size].reshape(arrays[i].shape)
        return out

    def reduce_logs(self, model, logs):
        """`logs` with every metric computed from its state summed over the ranks (this rank's state is kept)."""
        if self.size == 1:
            return logs
        variables = _metric_variables(model)
        local = [np.array(v.data, copy=True) for v in variables]
        total = np.concatenate([a.ravel().astype(np.float64) for a in local] + [np.zeros(0)])
        self.comm.allreduce_sum([total])
        offset = 0
        for v in variables:
            v.data[...] = total[offset:offset + v.data.size].reshape(v.data.shape).astype(v.data.dtype)
            offset += v.data.size
        try:
            reduced = model.get_metrics_result()
        finally:
            for v, a in zip(variables, local):
                v.data[...] = a
        out = dict(logs)
        out.update((k, v) for k, v in reduced.items() if k in logs)
        return out

    def agree_stop(self, flag):
        """True on every rank when any rank wants to stop."""
        return self.comm.any(flag) if self.size > 1 else bool(flag)

    def end_epoch(self, model):
        """Averages the non-trainable float weights (batch-norm statistics) so every rank holds the same."""
        weights = [w for w in model.non_trainable_weights if np.dtype(w.dtype).kind == "f"]
        if self.size == 1 or not weights:
            return
        total = np.concatenate([np.asarray(w.data, dtype=np.float64).ravel() for w in weights])
        self.comm.allreduce_sum([total])
        total /= self.size
        offset = 0
        for w in weights:
            w.data[...] = total[offset:offset + w.data.size].reshape(w.data.shape)
            offset += w.data.size

    # -- callbacks, files, failures -------------------------------------------
    def writes_files(self):
        """Whether this rank writes files (`save`, `save_weights`): rank 0 only."""
        return self.is_chief

    def rank_callbacks(self, callbacks, verbose):
        """The callbacks and verbosity of this rank: rank 0 keeps all; the others print nothing and write no file."""
        if self.is_chief:
            return callbacks, verbose
        kept = [c for c in (callbacks or []) if not {t.__name__ for t in type(c).__mro__} & set(RANK0_ONLY_CALLBACKS)]
        return kept, 0

    def gather_predictions(self, outputs):
        """Every rank's per-batch outputs, interleaved into the global batches (rank order within a batch)."""
        if self.size == 1:
            return outputs
        everyone = self.comm.comm.allgather(outputs)
        return [_concat_structures([rank_outputs[k] for rank_outputs in everyone]) for k in range(len(outputs))]

    def fail(self, error, where):
        """Ends every rank of the job after `error` on this one, naming the rank and the cause."""
        if self.size == 1:
            return
        if isinstance(error, communicator.PeerFailure):
            self.comm.fail(str(error))
        self.comm.fail(f"numkeras.distribution: {self.comm.describe()} failed {where}: {type(error).__name__}: "
                       f"{error}. Stopping every rank of the job (MPI_Abort).")


class ShardedArrayIterator(ArrayEpochIterator):
    """ArrayEpochIterator yielding this rank's rows of each global batch; shuffled by (shared seed, epoch)."""

    def _new_order(self):  # the same on every rank: drawn from the shared seed and the pass
        return np.random.default_rng([self.seed, self.passes]).permutation(self.rows) if self.shuffle else None

    def __iter__(self):
        for step, b in self._positions():
            order = self._order
            index = np.arange(b * self.batch_size, min((b + 1) * self.batch_size, self.rows))
            index = index[split_rows(len(index), self.runtime.rank, self.runtime.size)]
            if order is not None:
                index = np.sort(order[index])
            yield step, take(self.data, index if order is not None or len(index) == 0 else
                             slice(index[0], index[-1] + 1))


class ShardedEpochIterator(EpochIterator):
    """EpochIterator keeping this rank's rows of every batch the source yields."""

    def _standardize(self, batch):
        return self.runtime._local(super()._standardize(batch))


def _rebuilt(cls, iterator, **extra):
    """`iterator`'s state in an instance of the subclass `cls`, with `extra` attributes."""
    new = object.__new__(cls)
    new.__dict__.update(iterator.__dict__)
    new.__dict__.update(extra)
    return new


class _GradientStream:
    """One step's buckets, packed as the tape hands over each final gradient, started in plan order."""

    def __init__(self, runtime, plan, sizes):
        self.runtime, self.plan, self.sizes = runtime, plan, sizes
        count = len(sizes)
        self.rows = float(runtime.local_rows if runtime.local_rows is not None else 1)
        self.bucket_of = [None] * count  # index -> (bucket number, offset)
        for b, (_, members, _) in enumerate(plan):
            for i, offset in members:
                self.bucket_of[i] = (b, offset)
        self.missing = [len(members) for _, members, _ in plan]
        self.buffers = [np.empty(size + (b == len(plan) - 1), dtype=dtype) for b, (dtype, _, size) in enumerate(plan)]
        self.arrays = [None] * count
        self.requests = []

    def ready(self, i, g):
        """The tape's hook: gradient `g` of weight `i` is final."""
        where = self.bucket_of[i]
        if where is None or self.arrays[i] is not None:
            return
        b, offset = where
        self.arrays[i] = g
        dtype = self.plan[b][0]
        np.multiply(g.reshape(-1), dtype.type(self.rows), out=self.buffers[b][offset:offset + g.size])
        self.missing[b] -= 1
        self._start_complete()

    def _start_complete(self):
        """Starts every bucket that is complete and follows only started buckets (the order is the plan's)."""
        while len(self.requests) < len(self.plan) and not self.missing[len(self.requests)]:
            b = len(self.requests)
            if b == len(self.plan) - 1:
                self.buffers[b][-1] = self.rows
            self.requests.append(self.runtime.comm.start_sum(self.buffers[b]))

    def finish(self, grads):
        """The averaged `grads` (the tape's result), or None when they are not the streamed arrays (then the
        started buckets are completed and the caller averages `grads` the ordinary way, as every rank does)."""
        streamed = all((a is None) == (g is None) and (a is None or _array(g) is a) for a, g in zip(self.arrays, grads))
        if len(grads) != len(self.arrays) or not streamed:
            self.runtime.comm.wait(self.requests)
            return None
        for b, (_, members, _) in enumerate(self.plan):  # unconnected weights: zeros in their slots, None out
            for i, offset in members:
                if self.arrays[i] is None:
                    self.buffers[b][offset:offset + self.sizes[i]] = 0
            self.missing[b] = 0
        self._start_complete()
        self.runtime.comm.wait(self.requests)
        total = self.buffers[-1][-1] if self.buffers else 1.0
        out = list(grads)
        for (dtype, members, _), buffer in zip(self.plan, self.buffers):
            buffer /= dtype.type(total) if total else dtype.type(1)
            for i, offset in members:
                if self.arrays[i] is not None:
                    out[i] = buffer[offset:offset + self.arrays[i].size].reshape(self.arrays[i].shape)
        return out


def _array(g):
    return g.data if isinstance(g, Tensor) else g


def _bucket_plan(arrays):
    """[(dtype, [(index, offset)], size)]: the gradients in reverse order (the backward pass finishes the last
    layers first), grouped by dtype into buckets of at most BUCKET_BYTES (a bigger gradient gets its own)."""
    plan = []
    open_buckets = {}
    for i in reversed(range(len(arrays))):
        a = arrays[i]
        if a is None:
            continue
        bucket = open_buckets.get(a.dtype)
        if bucket is None or (bucket[2] + a.size) * a.dtype.itemsize > BUCKET_BYTES and bucket[2]:
            bucket = [a.dtype, [], 0]
            open_buckets[a.dtype] = bucket
            plan.append(bucket)
        bucket[1].append((i, bucket[2]))
        bucket[2] += a.size
    return [tuple(b) for b in plan]


def _metric_variables(model):
    """Every state variable of the model's metrics (compile_metrics opened), in a fixed order."""
    out = []
    for metric in model.metrics:
        inner = metric.all_metrics() if hasattr(metric, "all_metrics") else [metric]
        for m in inner:
            out.extend(getattr(m, "variables", []))
    return out


def _concat_structures(parts):
    flat = [flatten(p) for p in parts]
    return pack_sequence_as(parts[0], [np.concatenate(c) for c in zip(*flat)])
