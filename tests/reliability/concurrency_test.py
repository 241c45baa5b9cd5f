"""Concurrency: models used from several threads at once give the answers they give alone.

- predict called from 8 threads at once on one model returns what
  sequential calls return (batched and single-batch paths);
- one thread trains a model while another predicts with a different one:
  the training ends with the same weights as training alone, and the
  predicting thread records no autodiff graph, because the tape's recording
  state is per thread (`numkeras.engine.tensor._Recording`);
- a fit and a GradientTape loop on two models in two threads end bit for bit
  where they end one after the other, and the tape's record of which
  gradient a running vjp may overwrite is per thread too.
"""
import threading

import numpy as np

from numkeras import GradientTape, layers, losses, models, ops, utils

THREADS = 8
RNG = np.random.default_rng(0)


def mlp(seed, dropout=0.0):
    utils.set_random_seed(seed)
    model = models.Sequential([layers.Input(shape=(32,)), layers.Dense(64, activation="relu"),
                               layers.Dropout(dropout), layers.Dense(64, activation="tanh"),
                               layers.Dense(5, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def run_in_threads(targets):
    """Starts one thread per target at the same moment; re-raises the first error any of them hit."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrapped(target):
        try:
            barrier.wait()
            target()
        except BaseException as e:  # noqa: BLE001 - handed to the main thread
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]


def assert_same(a, b):
    # Same shapes and batches give the same arithmetic; the tolerance only allows a BLAS that
    # splits a product differently when other threads keep it busy.
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_predict_from_8_threads_matches_sequential_calls():
    model = mlp(seed=1, dropout=0.5)  # dropout must stay off in predict, whatever the thread
    inputs = [RNG.standard_normal((300, 32)).astype("float32") for _ in range(THREADS)]
    expected = [model.predict(x, batch_size=64, verbose=0) for x in inputs]
    expected_one = [model.predict(x[:8], verbose=0) for x in inputs]
    results = [[] for _ in range(THREADS)]

    def worker(i):
        def run():
            for _ in range(15):
                results[i].append((model.predict(inputs[i], batch_size=64, verbose=0),  # batched, callbacks
                                   model.predict(inputs[i][:8], verbose=0)))  # the one-batch serving path
        return run

    weights = model.get_weights()
    run_in_threads([worker(i) for i in range(THREADS)])
    for i in range(THREADS):
        assert len(results[i]) == 15
        for batched, one in results[i]:
            assert_same(batched, expected[i])
            assert_same(one, expected_one[i])
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_training_in_one_thread_while_another_predicts():
    x = RNG.standard_normal((256, 32)).astype("float32")
    y = RNG.integers(0, 5, 256)
    reference = mlp(seed=2)
    reference.fit(x, y, batch_size=32, epochs=4, shuffle=False, verbose=0)

    trained, served = mlp(seed=2), mlp(seed=3)
    queries = RNG.standard_normal((64, 32)).astype("float32")
    answer = served.predict(queries, verbose=0)
    served_weights = served.get_weights()
    calls = []
    done = threading.Event()

    def train():
        try:
            trained.fit(x, y, batch_size=32, epochs=4, shuffle=False, verbose=0)
        finally:
            done.set()

    def serve():
        while not done.is_set() or len(calls) < 20:
            out = served(queries, training=False)
            # Trainable variables have requires_grad set, yet no tape is open in this thread.
            assert not out.requires_grad and out._parents == (), "the serving thread recorded a graph"
            assert_same(out.numpy(), answer)
            assert_same(served.predict(queries, batch_size=16, verbose=0), answer)
            calls.append(1)

    run_in_threads([train, serve])
    for a, b in zip(reference.get_weights(), trained.get_weights()):
        assert_same(a, b)
    for a, b in zip(served_weights, served.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert trained.history.history["loss"] == reference.history.history["loss"]


def test_a_tape_open_in_one_thread_does_not_record_another_threads_ops():
    model = mlp(seed=4)
    x = RNG.standard_normal((16, 32)).astype("float32")
    tape_open, predicted = threading.Event(), threading.Event()
    seen = {}

    def with_tape():
        with GradientTape() as tape:
            tape_open.set()
            assert predicted.wait(60)
            loss = ops.mean(model(x, training=True))
        seen["grads"] = tape.gradient(loss, model.trainable_weights)

    def without_tape():
        assert tape_open.wait(60)
        out = model(x, training=False)
        seen["recorded"] = out.requires_grad or out._parents != ()
        predicted.set()

    run_in_threads([with_tape, without_tape])
    assert seen["recorded"] is False
    assert all(g is not None for g in seen["grads"])


def test_two_models_training_in_two_threads():
    data = [(RNG.standard_normal((128, 32)).astype("float32"), RNG.integers(0, 5, 128)) for _ in range(2)]
    references = []
    for seed, (x, y) in zip((5, 6), data):
        model = mlp(seed)
        model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
        references.append(model.get_weights())
    models_ = [mlp(5), mlp(6)]
    run_in_threads([lambda m=m, d=d: m.fit(*d, batch_size=16, epochs=3, shuffle=False, verbose=0)
                    for m, d in zip(models_, data)])
    for model, expected in zip(models_, references):
        for a, b in zip(expected, model.get_weights()):
            assert_same(a, b)


def tape_loop(model, x, y, epochs, batch_size):
    """The training fit does, written as a GradientTape loop (no shuffling)."""
    loss_fn = losses.SparseCategoricalCrossentropy()  # what compile("...crossentropy") builds
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            with GradientTape() as tape:
                loss = loss_fn(yb, model(xb, training=True))
            grads = tape.gradient(loss, model.trainable_weights)
            model.optimizer.apply_gradients(zip(grads, model.trainable_weights))


def test_fit_and_a_tape_loop_in_two_threads_match_running_them_one_after_the_other():
    # Two different models whose backward passes both use the tape's in-place gradient bookkeeping
    # (the relu masks overwrite gradients they own): run at once, each must end bit for bit where
    # it ends alone.
    x_fit, y_fit = RNG.standard_normal((256, 32)).astype("float32"), RNG.integers(0, 5, 256)
    x_tape, y_tape = RNG.standard_normal((256, 32)).astype("float32"), RNG.integers(0, 5, 256)

    def train_both(run):
        fitted, looped = mlp(seed=7), mlp(seed=8)
        looped.optimizer.build(looped.trainable_weights)
        run([lambda: fitted.fit(x_fit, y_fit, batch_size=16, epochs=3, shuffle=False, verbose=0),
             lambda: tape_loop(looped, x_tape, y_tape, epochs=3, batch_size=16)])
        return fitted.get_weights(), looped.get_weights()

    alone = train_both(lambda targets: [t() for t in targets])
    for _ in range(3):
        together = train_both(run_in_threads)
        for expected, got in zip(alone, together):
            for a, b in zip(expected, got):
                np.testing.assert_array_equal(a, b)


def test_a_backward_pass_in_one_thread_does_not_see_another_threads_owned_gradient():
    # Thread A stops inside a vjp that owns its incoming gradient; thread B, meanwhile, must not
    # be told it may overwrite that array, and B's own backward pass must not disturb A's entry.
    from numkeras.engine.tape import Donated, overwritable
    from numkeras.engine.tensor import make

    inside, checked = threading.Event(), threading.Event()
    seen = {}

    def owner_op(x):
        def vjp(g):
            seen["a_owns_before"] = overwritable(g)
            seen["a_gradient"] = g
            inside.set()
            assert checked.wait(60)
            seen["a_owns_after"] = overwritable(g)
            return (g,)
        return make(x.data.copy(), (x,), vjp)

    def donor_op(x):
        return make(x.data * 2, (x,), lambda g: (Donated(g * 2),))

    def thread_a():
        v = ops.convert_to_tensor(np.ones(3, "float32"))
        with GradientTape() as tape:
            tape.watch(v)
            y = donor_op(owner_op(v))
        tape.gradient(y, v)

    def thread_b():
        assert inside.wait(60)
        seen["b_sees_a"] = overwritable(seen["a_gradient"])
        w = ops.convert_to_tensor(np.ones(3, "float32"))
        with GradientTape() as tape:  # a whole backward pass of its own, pushing and popping
            tape.watch(w)
            z = donor_op(ops.relu(donor_op(w)))
        tape.gradient(z, w)
        checked.set()

    run_in_threads([thread_a, thread_b])
    assert seen["a_owns_before"] is True and seen["a_owns_after"] is True
    assert seen["b_sees_a"] is False
