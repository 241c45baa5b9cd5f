"""Long runs: calling fit, evaluate and predict thousands of times keeps memory flat.

These are the K-fold and serving patterns that leak in other frameworks:
one model called over and over, and models built and thrown away in a
loop (without `clear_session`). Each loop checks two things after a warm-up:

- the resident set size (RSS, from /proc/self/statm) stays within 5% of
  what it was after the first 100 calls;
- no numkeras object (tensor, variable, layer, graph node, metric,
  callback) survives its call: their live count does not grow. This is the
  sharper test; RSS alone would let a small per-call leak through.
"""
import gc
import os
import weakref

import numpy as np
import pytest

from numkeras import callbacks, layers, metrics, models
from numkeras.engine.tensor import Tensor
from numkeras.layers import layer as layer_module
from numkeras.layers.keras_tensor import KerasTensor, Node
from numkeras.utils import naming

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads RSS from /proc")

RNG = np.random.default_rng(0)
X = RNG.random((40, 4)).astype("float32")
Y = np.arange(40) % 3
WARMUP = 100
TRACKED = (Tensor, layer_module.Layer, Node, KerasTensor, metrics.Metric, callbacks.Callback)


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def live_numkeras_objects():
    gc.collect()
    counts = {}
    for obj in gc.get_objects():
        try:
            tracked = isinstance(obj, TRACKED)
        except ReferenceError:  # a weakref.proxy whose referent is gone (numba's compiler leaves some)
            continue
        if tracked:
            name = type(obj).__name__
            counts[name] = counts.get(name, 0) + 1
    return counts


def tiny_model():
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def tiny_functional_model():
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dropout(0.1)(layers.Dense(8, activation="relu")(inputs))
    model = models.Model(inputs, layers.Dense(3, activation="softmax")(hidden))
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def assert_memory_flat(call, times):
    """Calls `call` `times` times; memory after the loop matches memory after the warm-up."""
    for _ in range(WARMUP):
        call()
    objects, resident = live_numkeras_objects(), rss()
    for _ in range(times - WARMUP):
        call()
    grown = {k: v - objects.get(k, 0) for k, v in live_numkeras_objects().items() if v > objects.get(k, 0)}
    assert not grown, f"numkeras objects left alive by {times - WARMUP} calls: {grown}"
    assert rss() <= resident * 1.05, f"RSS grew from {resident / 2**20:.1f} MiB to {rss() / 2**20:.1f} MiB"


@pytest.mark.parametrize("make", [tiny_model, tiny_functional_model], ids=["sequential", "functional"])
def test_fit_2000_times(make):
    model = make()
    x_val, y_val = X[:8], Y[:8]  # the K-fold pattern: fit with validation, over and over
    assert_memory_flat(lambda: model.fit(X, Y, batch_size=16, epochs=1, verbose=0,
                                         validation_data=(x_val, y_val)), 2000)
    assert len(model.history.history["loss"]) == 1  # each fit returns a History of its own epochs


def test_evaluate_2000_times():
    model = tiny_model()
    assert_memory_flat(lambda: model.evaluate(X, Y, batch_size=16, verbose=0), 2000)


def test_predict_2000_times():
    model = tiny_model()
    assert_memory_flat(lambda: model.predict(X, batch_size=16, verbose=0), 2000)  # batched, with callbacks


def test_serving_2000_times():
    model = tiny_functional_model()
    one = X[:1]
    expected = model.predict(one, verbose=0)

    def serve():
        np.testing.assert_array_equal(model.predict(one, verbose=0), expected)
        model.predict_on_batch(one)
        model(one, training=False)
    assert_memory_flat(serve, 2000)


def test_train_on_batch_2000_times():
    model = tiny_model()
    assert_memory_flat(lambda: model.train_on_batch(X[:16], Y[:16]), 2000)


@pytest.mark.parametrize("make", [tiny_model, tiny_functional_model], ids=["sequential", "functional"])
def test_models_built_and_discarded_500_times(make):
    def build_use_discard():
        model = make()
        model.fit(X, Y, batch_size=20, epochs=1, verbose=0)
        model.predict(X[:4], verbose=0)
        alive.append(weakref.ref(model))

    alive = []
    names_before = len(naming._name_counts)
    assert_memory_flat(build_use_discard, 500)
    gc.collect()
    assert not [r for r in alive if r() is not None], "discarded models are still referenced"
    # The automatic names (dense, dense_1, ...) are counters per base name: they hold no layer.
    assert len(naming._name_counts) <= names_before + 10

