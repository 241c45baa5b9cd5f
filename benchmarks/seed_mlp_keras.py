"""The seed workload in Keras 3 on JAX: one benchmark worker, run by the suite under .venv-keras.

Does not import numkeras. The same program as the numkeras worker, in Keras 3: Sequential of
Dense(hidden, relu) and Dense(10, softmax), compile("rmsprop", "categorical_crossentropy",
["accuracy"]), fit(verbose=0) timed per epoch by a callback (the first epoch includes JAX's
tracing and compilation). model(x) is `np.asarray(model(x, training=False))`, so JAX's
asynchronous dispatch is waited for. The backend is $KERAS_BACKEND, "jax" unless set.
Prints ONE JSON line.

Usage (from the repository root):
    .venv-keras/bin/python benchmarks/seed_mlp_keras.py --epochs 5 --evaluate --predict-calls 1000
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import common  # noqa: E402  (numpy only)

import numpy as np  # noqa: E402


def main(argv=None):
    args = common.worker_parser(__doc__.split("\n")[0]).parse_args(argv)
    backend = os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    t0 = time.perf_counter()
    import keras
    import_seconds = time.perf_counter() - t0

    EpochTimer = common.epoch_timer(keras.callbacks.Callback)

    keras.utils.set_random_seed(args.seed)
    x_train, y_train, x_test, y_test = common.prepare(common.load_raw(args))
    phase = common.start_rss_phase()
    model = keras.Sequential([
        keras.Input(shape=(common.INPUTS,)),
        keras.layers.Dense(args.hidden, activation="relu"),
        keras.layers.Dense(common.CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch, verbose=0,
                        callbacks=[timer])
    backend_version = None
    if backend == "jax":
        import jax
        backend_version = jax.__version__
    result = {
        "framework": f"keras-{backend}",
        "version": keras.__version__,
        "backend_version": backend_version,
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 5) for s in timer.seconds],
        "steps_per_epoch": -(-len(x_train) // args.batch),
        "samples": len(x_train),
        "train_loss": [round(float(v), 5) for v in history.history["loss"]],
    }
    common.rss_figures(phase, result)
    if args.evaluate:
        _, acc = model.evaluate(x_test, y_test, batch_size=args.batch, verbose=0)
        result["test_accuracy"] = round(float(acc), 5)
    x1 = x_test[:1]
    result.update(common.predict_figures(
        lambda: model.predict(x1, verbose=0),
        lambda: np.asarray(model(x1, training=False)),
        lambda: model.predict(x_test, batch_size=common.PREDICT_BATCH, verbose=0),
        args))
    common.emit(result)


if __name__ == "__main__":
    main()
