"""The floor: the seed workload's matrix multiplies alone, timed with NumPy (a benchmark worker).

One training step of Dense(hidden, relu, input 784) -> Dense(10) needs five matmuls (the input
batch needs no gradient): X@W1, H@W2, H.T@G (dW2), G@W2.T (dH), X.T@dH (dW1). This worker runs
exactly those, into preallocated outputs, for the same steps (batch sizes, last short batch
included) and epochs as a training run, after a short warm-up; nothing else. An epoch of a
framework can only approach this time. It loads and preprocesses the data like the other
workers, so its training-only peak RSS is the "NumPy with the data set loaded" baseline. Its
prediction figures are a hand-written NumPy forward pass (matmul, bias, relu, matmul, bias,
softmax): a reference, not a floor in the same sense. Prints ONE JSON line.

Usage (from the repository root):
    python -m benchmarks.floor --epochs 5 --predict-calls 1000
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import common  # noqa: E402  (numpy only)

import numpy as np  # noqa: E402

WARMUP_STEPS = 20


def matmul_epochs(x_train, hidden, batch, epochs):
    """Seconds of each epoch of the five matmuls per step, after WARMUP_STEPS untimed steps."""
    rng = np.random.default_rng(0)
    r = lambda *shape: rng.standard_normal(shape, dtype=np.float32)  # noqa: E731
    w1, w2, h, g, dh = r(common.INPUTS, hidden), r(hidden, common.CLASSES), r(batch, hidden), \
        r(batch, common.CLASSES), r(batch, hidden)
    z1, z2, dh_out = (np.empty((batch, n), np.float32) for n in (hidden, common.CLASSES, hidden))
    dw1, dw2 = np.empty_like(w1), np.empty_like(w2)
    sizes = common.batch_sizes(len(x_train), batch)

    def step(i, b):
        x = x_train[i * batch:i * batch + b]
        np.matmul(x, w1, out=z1[:b])                    # forward, layer 1
        np.matmul(h[:b], w2, out=z2[:b])                # forward, layer 2
        np.matmul(h[:b].T, g[:b], out=dw2)              # dW2
        np.matmul(g[:b], w2.T, out=dh_out[:b])          # dH
        np.matmul(x.T, dh[:b], out=dw1)                 # dW1 (no dX: the input needs none)

    for i in range(min(WARMUP_STEPS, len(sizes))):  # BLAS threads up, caches warm
        step(i, sizes[i])
    seconds = []
    for _ in range(epochs):
        t = time.perf_counter()
        for i, b in enumerate(sizes):
            step(i, b)
        seconds.append(time.perf_counter() - t)
    return seconds


def numpy_forward(hidden):
    """A hand-written float32 forward pass of the model with softmax output."""
    rng = np.random.default_rng(1)
    w1 = rng.standard_normal((common.INPUTS, hidden), dtype=np.float32) * 0.05
    b1 = np.zeros(hidden, np.float32)
    w2 = rng.standard_normal((hidden, common.CLASSES), dtype=np.float32) * 0.05
    b2 = np.zeros(common.CLASSES, np.float32)

    def forward(x):
        z = x @ w1
        z += b1
        np.maximum(z, 0, out=z)
        y = z @ w2
        y += b2
        y -= y.max(axis=1, keepdims=True)
        np.exp(y, out=y)
        y /= y.sum(axis=1, keepdims=True)
        return y
    return forward


def main(argv=None):
    args = common.worker_parser(__doc__.split("\n")[0]).parse_args(argv)
    x_train, y_train, x_test, y_test = common.prepare(common.load_raw(args))
    phase = common.start_rss_phase()
    seconds = matmul_epochs(x_train, args.hidden, args.batch, args.epochs)
    result = {
        "framework": "floor",
        "version": np.__version__,
        "epoch_seconds": [round(s, 5) for s in seconds],
        "steps_per_epoch": -(-len(x_train) // args.batch),
        "samples": len(x_train),
    }
    common.rss_figures(phase, result)
    forward = numpy_forward(args.hidden)
    x1 = x_test[:1]
    result.update(common.predict_figures(
        lambda: forward(x1), lambda: forward(x1),
        lambda: np.concatenate([forward(x_test[i:i + common.PREDICT_BATCH])
                                for i in range(0, len(x_test), common.PREDICT_BATCH)]),
        args))
    try:  # which BLAS and how many threads, when threadpoolctl happens to be installed
        from threadpoolctl import threadpool_info
        result["blas"] = [{k: d.get(k) for k in ("internal_api", "num_threads", "architecture")}
                          for d in threadpool_info()]
    except ImportError:
        pass
    common.emit(result)


if __name__ == "__main__":
    main()
