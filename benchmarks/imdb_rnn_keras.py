"""The book's IMDB recurrent model in Keras 3 (JAX, CPU): one worker of `python -m benchmarks.imdb_rnn --jax-python`.

Does not import numkeras. The same Keras model as numkeras's: Sequential of Input((500,), int32),
Embedding(10000, 32), LSTM / GRU / SimpleRNN(32), Dense(1, sigmoid); RMSprop (lr 1e-3), binary
crossentropy; synthetic ids, batch 128. `train_on_batch` as Keras runs it by default (jit-compiled; the
first --warmup calls compile and are not timed; it returns the loss as a float, so each step is waited for).
Prints ONE JSON line: the median wall and CPU seconds per step and the peak RSS. The backend is
$KERAS_BACKEND, "jax" unless set. --threads 1 asks XLA for one intra-op thread (XLA_FLAGS, set before the
import).

Usage (from the repository root):
    /path/to/.venv-keras/bin/python benchmarks/imdb_rnn_keras.py --layer lstm --threads 1
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import common  # noqa: E402  (numpy only)
from benchmarks.imdb_rnn import BATCH, EMBED, TIMESTEPS, UNITS, VOCAB  # noqa: E402  (numpy only at import)

import numpy as np  # noqa: E402


def main(argv=None):
    args = common.rnn_worker_parser(__doc__.split("\n")[0]).parse_args(argv)
    backend = os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.threads == 1:
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                                   " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
    t0 = time.perf_counter()
    import keras
    import_seconds = time.perf_counter() - t0
    keras.utils.set_random_seed(0)
    recurrent = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU,
                 "simple_rnn": keras.layers.SimpleRNN}[args.layer](UNITS)
    model = keras.Sequential([keras.Input((TIMESTEPS,), dtype="int32"), keras.layers.Embedding(VOCAB, EMBED),
                              recurrent, keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3), loss="binary_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.integers(1, VOCAB, (BATCH, TIMESTEPS)).astype("int32")
    y = rng.integers(0, 2, (BATCH, 1)).astype("float32")
    t0 = time.perf_counter()
    model.train_on_batch(x, y)
    first_step_seconds = time.perf_counter() - t0
    wall, cpu = common.step_figures(lambda: float(model.train_on_batch(x, y)), args.steps, max(0, args.warmup - 1))
    result = {"framework": "keras-" + backend, "version": keras.__version__, "layer": args.layer,
              "import_seconds": round(import_seconds, 3), "first_step_seconds": round(first_step_seconds, 3),
              "step_seconds": round(wall, 6), "step_cpu_seconds": round(cpu, 6), "steps": args.steps,
              "warmup": args.warmup, "threads": args.threads or "default", "peak_rss_mb": common.peak_rss_mb()}
    if backend == "jax":
        import jax
        result["jax"] = jax.__version__
    common.emit(result)


if __name__ == "__main__":
    main()
