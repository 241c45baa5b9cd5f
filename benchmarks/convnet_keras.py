"""The book's MNIST convnet in Keras 3 on JAX, for the speed comparison in `convnet.py`.

Runs under a Python that has keras and jax (e.g. `.venv-keras/bin/python`) and does not import
numkeras: the data comes from Debian's IDX files through `convnet_torch.load` (numpy only). The
program is the book's, unchanged: Sequential of Conv2D(32/64/64, 3, relu) with MaxPooling2D(2),
Flatten, Dense(64, relu), Dense(10, softmax); rmsprop, sparse_categorical_crossentropy, accuracy;
batch 64. Epoch times come from a callback, so the first includes JAX's tracing and compilation.
Prints ONE JSON line; the backend is $KERAS_BACKEND, "jax" unless set.

Usage:
    python benchmarks/convnet_keras.py [--seed 1] [--epochs 1] [--steps N] [--synthetic]
"""
import json
import os
import resource
import time

import numpy as np

from common import epoch_timer  # this folder is sys.path[0] when run as a script
from convnet_torch import BATCH, load, worker_parser


def main(argv=None):
    parser = worker_parser(__doc__.split("\n")[0])
    args = parser.parse_args(argv)
    backend = os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")

    t0 = time.perf_counter()
    import keras
    from keras import layers
    import_seconds = time.perf_counter() - t0

    EpochTimer = epoch_timer(keras.callbacks.Callback)

    keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = load(args.data_dir, args.synthetic)
    if args.steps:
        x_train, y_train = x_train[:args.steps * BATCH], y_train[:args.steps * BATCH]
    x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255
    x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    history = model.fit(x_train, y_train.astype("int32"), epochs=args.epochs, batch_size=BATCH, verbose=0,
                        callbacks=[timer])
    _, test_acc = model.evaluate(x_test, y_test.astype("int32"), batch_size=256, verbose=0)
    print(json.dumps({
        "framework": f"keras-{backend}",
        "version": keras.__version__,
        "seed": args.seed,
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 4) for s in timer.seconds],
        "train_loss": [round(float(v), 5) for v in history.history["loss"]],
        "test_accuracy": round(float(test_acc), 5),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "steps_per_epoch": -(-len(x_train) // BATCH),
        "params": model.count_params(),
    }))


if __name__ == "__main__":
    main()
