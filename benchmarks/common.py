"""What the benchmark workers share: the workload's constants, its data, its flags, timing.

NumPy and the standard library only: the PyTorch and Keras-on-JAX workers import this module
from their own virtual environments, where numkeras is not installed (and must not be used).

Every worker (`seed_mlp.py`, `seed_mlp_torch.py`, `seed_mlp_keras.py`, `floor.py`) trains the
seed model, Dense(hidden, relu, input 784) -> Dense(10, softmax) with RMSprop and categorical
cross-entropy, for the flags `worker_parser()` defines, and prints ONE JSON line (`emit`).

Example:
    >>> from benchmarks import common
    >>> common.batch_sizes(300, 128)
    [128, 128, 44]
"""
import argparse
import gzip
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FMNIST_DIR = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist
N_TRAIN, N_TEST, INPUTS, CLASSES = 60000, 10000, 784, 10
SEED_BATCH, SEED_HIDDEN, SEED_EPOCHS = 128, 512, 5
PREDICT_BATCH = 128  # predict of the 10,000 test samples, in every framework


def have_fashion_mnist(data_dir=FMNIST_DIR):
    return os.path.isfile(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))


def read_idx(path):
    """Reads one gzipped uint8 IDX file into an array of the shape its header gives."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def synthetic_raw(n_train=N_TRAIN, n_test=N_TEST):
    """Random uint8 images and labels of Fashion-MNIST's shapes (for machines without the data)."""
    rng = np.random.default_rng(0)
    return ((rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
             rng.integers(0, CLASSES, n_train, dtype=np.uint8)),
            (rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
             rng.integers(0, CLASSES, n_test, dtype=np.uint8)))


def load_raw(args):
    """`(x_train, y_train), (x_test, y_test)` as uint8, cut to `args.samples` / `args.test_samples` rows."""
    if args.synthetic:
        return synthetic_raw(args.samples or N_TRAIN, args.test_samples or N_TEST)
    f = lambda name: read_idx(os.path.join(args.data_dir, name))  # noqa: E731
    raw = ((f("train-images-idx3-ubyte.gz"), f("train-labels-idx1-ubyte.gz")),
           (f("t10k-images-idx3-ubyte.gz"), f("t10k-labels-idx1-ubyte.gz")))
    return cut(raw, args)


def cut(raw, args):
    """The first `args.samples` training and `args.test_samples` test rows (0: all)."""
    (x_train, y_train), (x_test, y_test) = raw
    if args.samples:
        x_train, y_train = x_train[:args.samples], y_train[:args.samples]
    if args.test_samples:
        x_test, y_test = x_test[:args.test_samples], y_test[:args.test_samples]
    return (x_train, y_train), (x_test, y_test)


def prepare(raw, one_hot=None):
    """The seed program's preprocessing: (N, 784) float32 / 255 and one-hot float32 labels."""
    one_hot = one_hot or (lambda y: np.eye(CLASSES, dtype=np.float32)[y])
    (x_train, y_train), (x_test, y_test) = raw
    x_train = x_train.reshape((len(x_train), INPUTS)).astype("float32") / 255
    x_test = x_test.reshape((len(x_test), INPUTS)).astype("float32") / 255
    return x_train, one_hot(y_train), x_test, one_hot(y_test)


def batch_sizes(n, batch):
    """The batch size of every step of one epoch over n samples (the last one may be short)."""
    return [min(batch, n - i) for i in range(0, n, batch)]


def has_module(python, module):
    """Whether the interpreter `python` (a path, or a name on PATH) exists and can import `module`."""
    python = python and shutil.which(python)
    if not python:
        return False
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def epoch_timer(callback_base):
    """A callback class (on numkeras's or Keras's `Callback`) that records each epoch's seconds in `.seconds`."""
    class EpochTimer(callback_base):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)
    return EpochTimer


def worker_parser(description):
    """The flags every worker takes; the suite passes the same ones to all frameworks."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--batch", type=int, default=SEED_BATCH)
    p.add_argument("--hidden", type=int, default=SEED_HIDDEN)
    p.add_argument("--epochs", type=int, default=SEED_EPOCHS)
    p.add_argument("--samples", type=int, default=0, help="train on the first SAMPLES rows (0: all)")
    p.add_argument("--test-samples", type=int, default=0,
                   help="evaluate and predict on the first TEST_SAMPLES test rows (0: all 10,000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--evaluate", action="store_true", help="test accuracy after training")
    p.add_argument("--predict-calls", type=int, default=0,
                   help="time predict and model(x) of one sample over this many calls (0: skip)")
    p.add_argument("--predict-reps", type=int, default=3, help="predicts of the whole test set")
    p.add_argument("--synthetic", action="store_true", help="random data of Fashion-MNIST's shapes")
    p.add_argument("--data-dir", default=FMNIST_DIR)
    return p


def peak_rss_mb():
    """This process's peak resident set size in MB (since the last `start_rss_phase`, on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def start_rss_phase():
    """Returns the peak RSS so far and, on Linux, restarts the peak count so a phase gets its own.

    The seed program's preprocessing briefly holds two float32 copies of the training set; with
    the count restarted after it, the peak of training alone can be told apart from it.
    Returns `(peak_mb_so_far, resident_mb_now, restarted)`.
    """
    before, now = peak_rss_mb(), None
    try:
        with open("/proc/self/status") as f:
            now = next(round(int(line.split()[1]) / 1024, 1) for line in f if line.startswith("VmRSS:"))
        with open("/proc/self/clear_refs", "w") as f:  # "5" resets the peak RSS (Linux >= 4.0)
            f.write("5")
        return before, now, True
    except (OSError, StopIteration):
        return before, now, False


def rss_figures(phase, result):
    """Adds the peak of the whole run and of the phase since `start_rss_phase` to result."""
    before, data_rss, restarted = phase
    peak = peak_rss_mb()
    result["peak_rss_mb"] = max(before, peak)
    result["train_peak_rss_mb"] = peak if restarted else None
    result["data_rss_mb"] = data_rss


def median_seconds(fn, calls, warmup=None):
    """Median wall time of `calls` calls of fn(), after `warmup` untimed calls."""
    for _ in range(calls // 10 + 5 if warmup is None else warmup):
        fn()
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def predict_figures(predict_1, call_1, predict_all, args):
    """The three prediction figures, in milliseconds and seconds, keyed as the suite reads them."""
    if not args.predict_calls:
        return {}
    return {
        "predict_1_ms": round(median_seconds(predict_1, args.predict_calls) * 1e3, 5),
        "call_1_ms": round(median_seconds(call_1, args.predict_calls) * 1e3, 5),
        "predict_10k_s": round(median_seconds(predict_all, args.predict_reps, warmup=1), 5),
    }


def emit(result):
    """Prints the worker's result as one JSON line on stdout (the suite reads the last line)."""
    result.setdefault("python", sys.version.split()[0])
    result.setdefault("numpy", np.__version__)
    print(json.dumps(result), flush=True)


def step_figures(fn, steps, warmup):
    """Median wall and median CPU (process) seconds of `steps` calls of fn(), after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(steps):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


ONE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_json_worker(cmd, one_thread):
    """Runs a peer-comparison worker in a fresh process and returns the JSON of its last stdout line.

    The caller's thread settings are dropped, so "default" threads means each framework's own default;
    `one_thread` pins every BLAS and the worker (`--threads 1`) to one. Keras workers run on JAX. A worker
    that fails returns {"error": the end of its output}.
    """
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env.setdefault("KERAS_BACKEND", "jax")
    if one_thread:
        env.update(ONE_THREAD_ENV)
        cmd = cmd + ["--threads", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (proc.stderr or proc.stdout)[-2000:]}


def rnn_worker_parser(description):
    """The flags of the IMDB recurrent workers (benchmarks/imdb_rnn*.py --json)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--layer", choices=["gru", "lstm", "simple_rnn"], default="lstm")
    p.add_argument("--steps", type=int, default=20, help="timed training steps (the median is reported)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (compilation, slots)")
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (0: the framework's default)")
    return p


def cpu_model():
    """The CPU's model name as /proc/cpuinfo gives it (what every report names the machine by)."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()
