"""The seed workload in numkeras: one benchmark worker, run by the suite (`python -m benchmarks`).

Trains Dense(hidden, relu, input 784) -> Dense(10, softmax) with rmsprop and
categorical_crossentropy (metrics=["accuracy"]) through `fit`, times every epoch, and with
`--evaluate` / `--predict-calls` also reports the test accuracy and the prediction latencies.
Prints ONE JSON line. Fashion-MNIST comes from `numkeras.datasets.fashion_mnist`, as in the seed
program; the preprocessing is the seed program's.

Usage (from the repository root):
    python -m benchmarks.seed_mlp --epochs 5 --evaluate --predict-calls 1000
    python -m benchmarks.seed_mlp --epochs 1 --samples 1280 --synthetic   # a few seconds
"""
import time

import numpy as np

from benchmarks import common


def main(argv=None):
    args = common.worker_parser(__doc__.split("\n")[0]).parse_args(argv)
    t0 = time.perf_counter()
    import numkeras
    from numkeras import callbacks, layers, models
    from numkeras.utils import set_random_seed, to_categorical
    import_seconds = time.perf_counter() - t0
    from numkeras.backend import compiled_kernels

    EpochTimer = common.epoch_timer(callbacks.Callback)

    set_random_seed(args.seed)
    if args.synthetic:
        raw = common.load_raw(args)
    else:
        from numkeras.datasets import fashion_mnist
        raw = common.cut(fashion_mnist.load_data(), args)
    x_train, y_train, x_test, y_test = common.prepare(raw, lambda y: to_categorical(y, common.CLASSES))
    del raw
    phase = common.start_rss_phase()  # training's peak apart from the preprocessing's

    model = models.Sequential()
    model.add(layers.Dense(args.hidden, activation="relu", input_shape=(common.INPUTS,)))
    model.add(layers.Dense(common.CLASSES, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch, verbose=0,
                        callbacks=[timer])
    result = {
        "framework": "numkeras",
        "version": getattr(numkeras, "__version__", "?"),
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 5) for s in timer.seconds],
        "steps_per_epoch": -(-len(x_train) // args.batch),
        "samples": len(x_train),
        "train_loss": [round(float(v), 5) for v in history.history["loss"]],
        "fused_kernels": compiled_kernels.is_enabled(),  # numba kernels (optional): numkeras.backend.compiled_kernels
    }
    common.rss_figures(phase, result)  # before evaluate and predict add anything
    if args.evaluate:
        _, acc = model.evaluate(x_test, y_test, batch_size=args.batch, verbose=0)
        result["test_accuracy"] = round(float(acc), 5)
    x1 = x_test[:1]
    result.update(common.predict_figures(
        lambda: model.predict(x1, verbose=0),
        lambda: np.asarray(model(x1)),
        lambda: model.predict(x_test, batch_size=common.PREDICT_BATCH, verbose=0),
        args))
    common.emit(result)


if __name__ == "__main__":
    main()
