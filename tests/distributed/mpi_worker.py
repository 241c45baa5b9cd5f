"""One rank of the data-parallel tests (tests/distributed/mpi_jobs_test.py starts it with mpiexec).

    python mpi_worker.py SCENARIO OUT_DIR [options as key=value]

Every scenario trains the seed program's MLP (784 -> 512 relu -> 10 softmax, RMSprop) on a fixed
synthetic set under `set_distribution(DataParallel())`, unless `plain=1` (one process, no
distribution: the reference). Rank 0 writes OUT_DIR/result.npz: the final weights, the History, the
evaluate results of every rank and the per-epoch weight checksums of every rank (gathered with MPI
by the test harness itself, not by numkeras).
"""
import hashlib
import json
import os
import signal
import sys
import time

import numpy as np

import numkeras
from numkeras import callbacks, layers, models


def options(argv):
    out = {"rows": "2048", "epochs": "1", "batch": "128", "shuffle": "0", "plain": "0"}
    out.update(a.split("=", 1) for a in argv)
    return out


def synthetic(rows):
    rng = np.random.default_rng(0)
    x = rng.random((rows, 784), dtype=np.float32)
    labels = (x[:, :10].argmax(axis=1) + (x[:, 10] > 0.9)) % 10
    return x, np.eye(10, dtype=np.float32)[labels]


def build(optimizer="rmsprop"):
    model = models.Sequential([layers.Input((784,)), layers.Dense(512, activation="relu"),
                               layers.Dense(10, activation="softmax")])
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def checksum(model):
    digest = hashlib.sha256()
    for w in model.get_weights():
        digest.update(np.ascontiguousarray(w).tobytes())
    return digest.hexdigest()


class Checksums(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.per_epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.per_epoch.append(checksum(self.model))


class Sabotage(callbacks.Callback):
    """On rank `rank`, at (epoch, step): SIGKILL itself, or raise."""

    def __init__(self, rank, epoch, step, how):
        super().__init__()
        self.rank, self.epoch, self.step, self.how = rank, epoch, step, how
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self._epoch, batch) == (self.epoch, self.step) and comm_rank() == self.rank:
            if self.how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if self.how == "hang":
                time.sleep(600)
            raise ValueError(f"a bad batch at epoch {self._epoch}, step {batch} (raised on purpose)")


class Batches(numkeras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, i):
        part = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self.x[part], self.y[part]


def comm_rank():
    return int(numkeras.distribution.list_devices().index(f"cpu:{_RANK[0]}"))


_RANK = [0]


def count_streamed_steps(overlap):
    """[steps whose gradients were averaged during the backward pass]; overlap=0 turns the overlap off."""
    from numkeras.distribution import data_parallel
    streamed, original = [0], data_parallel.DataParallelRuntime.gradient_stream

    def gradient_stream(self, weights):
        hook = original(self, weights) if overlap else None
        streamed[0] += hook is not None
        return hook

    data_parallel.DataParallelRuntime.gradient_stream = gradient_stream
    return streamed


def main():
    scenario, out_dir, opts = sys.argv[1], sys.argv[2], options(sys.argv[3:])
    numkeras.utils.set_random_seed(int(opts.get("seed", 1)))
    if opts["plain"] != "1":
        numkeras.distribution.set_distribution(numkeras.distribution.DataParallel())
    streamed = count_streamed_steps(opts.get("overlap", "1") == "1")
    if "bucket_bytes" in opts:  # small buckets: several per step, so that some start during the backward pass
        from numkeras.distribution import data_parallel
        data_parallel.BUCKET_BYTES = int(opts["bucket_bytes"])
    comm = None
    if numkeras.distribution.get_device_count() > 1:
        from mpi4py import MPI
        comm = MPI.COMM_WORLD
        _RANK[0] = comm.Get_rank()
    rank = _RANK[0]
    x, y = synthetic(int(opts["rows"]))
    model = build(opts.get("optimizer", "rmsprop"))
    rank_dir = os.path.join(out_dir, f"rank{rank}")
    os.makedirs(rank_dir, exist_ok=True)  # every rank's own folder: the files in it say who wrote them
    sums = Checksums()
    cbs = [sums]
    if scenario in ("files", "kill", "raise", "hang"):
        cbs += [callbacks.ModelCheckpoint(os.path.join(rank_dir, "ckpt.keras")),
                callbacks.CSVLogger(os.path.join(rank_dir, "log.csv"))]
    if scenario in ("kill", "raise", "hang"):
        cbs.append(Sabotage(int(opts.get("victim", 1)), int(opts.get("at_epoch", 1)), int(opts.get("at_step", 3)),
                            scenario))
    if scenario == "early":  # no epoch improves the loss by 10: the second stops the training
        cbs.append(callbacks.EarlyStopping(monitor="loss", min_delta=10.0, patience=1, restore_best_weights=True))
    if scenario == "resume":
        model = models.load_model(opts["checkpoint"])
    if opts.get("source") == "pydataset":  # the same batches, read through a PyDataset
        history = model.fit(Batches(x, y, int(opts["batch"])), epochs=int(opts["epochs"]), shuffle=False,
                            callbacks=cbs, verbose=0)
    else:
        history = model.fit(x, y, batch_size=int(opts["batch"]), epochs=int(opts["epochs"]),
                            initial_epoch=int(opts.get("initial_epoch", 0)), shuffle=opts["shuffle"] == "1",
                            callbacks=cbs, verbose=0)
    evaluated = model.evaluate(x[:1000], y[:1000], batch_size=96, verbose=0)
    predicted = model.predict(x[:300], batch_size=64, verbose=0)
    if scenario == "files":
        model.save(os.path.join(rank_dir, "final.keras"))
    from numkeras.distribution import blas_threads
    report = {"rank": rank, "streamed_steps": streamed[0], "blas_threads": blas_threads.get_threads(), "history": history.history, "evaluate": evaluated, "checksums": sums.per_epoch,
              "predict_sum": float(np.float64(predicted).sum()), "predict_shape": list(predicted.shape)}
    everyone = comm.allgather(report) if comm is not None else [report]
    if rank == 0:
        os.makedirs(out_dir, exist_ok=True)
        np.savez(os.path.join(out_dir, "weights.npz"), *model.get_weights())
        with open(os.path.join(out_dir, "report.json"), "w") as f:
            json.dump(everyone, f)


if __name__ == "__main__":
    main()
