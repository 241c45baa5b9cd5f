"""Every public method that fails on bad arguments leaves the model exactly as it was, and usable.

Each case takes a model that has been compiled and trained for one epoch, snapshots everything a
failed call could disturb (weights, optimizer state, the compile configuration, metrics' state,
`stop_training`, History, the layer list, `built`), makes one bad call, checks that the call raised a
TypeError or ValueError (or FileNotFoundError for a missing file), compares the snapshot, and trains
one more epoch to show the model still works.

What "as it was" does not cover: a `fit` that fails after its first step (a callback raising at the end
of epoch 2, Ctrl-C) keeps the steps it completed, as the interrupted-run guarantee in docs/reliability.md
says; only failures before the first step are rolled back to nothing.
"""
import numpy as np
import pytest

from numkeras import callbacks, layers, models, optimizers

RNG = np.random.default_rng(3)
X = RNG.random((24, 4)).astype("float32")
Y = np.arange(24) % 3


def trained():
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    model.evaluate(X, Y, verbose=0)
    return model


def snapshot(model):
    history = getattr(model, "history", None)
    return {
        "weights": [w.copy() for w in model.get_weights()],
        "optimizer": model.optimizer,
        "optimizer_state": [np.array(v.numpy(), copy=True) for v in model.optimizer.variables],
        "loss": model.loss,
        "objectives": model._objectives,
        "compiled": model.compiled,
        "metrics": [(m.name, [np.array(v.numpy(), copy=True) for v in getattr(m, "variables", [])])
                    for m in model.metrics],
        "stop_training": model.stop_training,
        "history": None if history is None else {k: list(v) for k, v in history.history.items()},
        "layers": list(model.layers),
        "built": model.built,
        "input_shape": tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else None,
    }


def assert_same(before, after):
    assert after["optimizer"] is before["optimizer"]
    assert after["objectives"] is before["objectives"]
    assert after["loss"] == before["loss"] and after["compiled"] == before["compiled"]
    assert after["stop_training"] == before["stop_training"]
    assert after["history"] == before["history"]
    assert after["layers"] == before["layers"] and after["built"] == before["built"]
    assert after["input_shape"] == before["input_shape"]
    for a, b in zip(before["weights"], after["weights"], strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(before["optimizer_state"], after["optimizer_state"], strict=True):
        np.testing.assert_array_equal(a, b)
    assert [n for n, _ in before["metrics"]] == [n for n, _ in after["metrics"]]
    for (_, va), (_, vb) in zip(before["metrics"], after["metrics"]):
        for a, b in zip(va, vb, strict=True):
            np.testing.assert_array_equal(a, b)


def _other_weights_file(tmp_path):
    other = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8), layers.Dense(5)])
    path = tmp_path / "other.weights.h5"
    other.save_weights(path)
    return path


class Boom(callbacks.Callback):
    def on_train_begin(self, logs=None):
        raise ValueError("boom: a callback that fails before the first step")


# name -> (the bad call, the exception types it may raise)
CASES = {
    "compile keras2 positional order": (lambda m, p: m.compile("rmsprop", "categorical_crossentropy", ["accuracy"]),
                                        TypeError),
    "compile unknown optimizer": (lambda m, p: m.compile(optimizer="adamm", loss="mse"), ValueError),
    "compile unknown loss": (lambda m, p: m.compile(optimizer="adam", loss="nope"), ValueError),
    "compile unknown metric": (lambda m, p: m.compile(optimizer="adam", loss="mse", metrics=["nope"]), ValueError),
    "compile metrics as a string": (lambda m, p: m.compile(optimizer="adam", loss="mse", metrics="accuracy"),
                                    TypeError),
    "compile loss_weights of text": (lambda m, p: m.compile(optimizer="adam", loss="mse", loss_weights="x"),
                                     TypeError),
    "compile loss dict with an unknown output": (
        lambda m, p: m.compile(optimizer="adam", loss={"nope": "mse"}), ValueError),
    "compile a metric that is not one": (lambda m, p: m.compile(optimizer="adam", loss="mse", metrics=[3]),
                                         ValueError),
    "fit x of the wrong width": (lambda m, p: m.fit(X[:, :3], Y, verbose=0), ValueError),
    "fit y of another length": (lambda m, p: m.fit(X, Y[:10], verbose=0), ValueError),
    "fit labels out of range": (lambda m, p: m.fit(X, Y + 5, verbose=0), ValueError),
    "fit NaN in x": (lambda m, p: m.fit(np.where(X > 0.5, np.nan, X), Y, verbose=0), ValueError),
    "fit batch_size 0": (lambda m, p: m.fit(X, Y, batch_size=0, verbose=0), ValueError),
    "fit epochs as text": (lambda m, p: m.fit(X, Y, epochs="3", verbose=0), (TypeError, ValueError)),
    "fit validation_split 1.5": (lambda m, p: m.fit(X, Y, validation_split=1.5, verbose=0), ValueError),
    "fit sample_weight of another length": (lambda m, p: m.fit(X, Y, sample_weight=np.ones(5), verbose=0),
                                            ValueError),
    "fit sample_weight dict naming no output": (
        lambda m, p: m.fit(X, Y, sample_weight={"nope": np.ones(len(X))}, verbose=0), ValueError),
    "fit class_weight for a negative class": (lambda m, p: m.fit(X, Y, class_weight={-1: 2.0}, verbose=0),
                                              ValueError),
    "fit a callback that is not one": (lambda m, p: m.fit(X, Y, callbacks=["early"], verbose=0),
                                       (TypeError, ValueError)),
    "fit a callback failing before the first step": (lambda m, p: m.fit(X, Y, callbacks=[Boom()], verbose=0),
                                                     ValueError),
    "fit validation_data of the wrong width": (
        lambda m, p: m.fit(X, Y, validation_data=(X[:, :2], Y), verbose=0), ValueError),
    "evaluate x of the wrong width": (lambda m, p: m.evaluate(X[:, :2], Y, verbose=0), ValueError),
    "evaluate labels out of range": (lambda m, p: m.evaluate(X, Y + 9, verbose=0), ValueError),
    "evaluate batch_size -1": (lambda m, p: m.evaluate(X, Y, batch_size=-1, verbose=0), ValueError),
    "predict x of the wrong width": (lambda m, p: m.predict(X[:, :2], verbose=0), ValueError),
    "predict batch_size as text": (lambda m, p: m.predict(X, batch_size="8", verbose=0), (TypeError, ValueError)),
    "load_weights a missing file": (lambda m, p: m.load_weights(p / "missing.weights.h5"),
                                    (FileNotFoundError, ValueError)),
    "load_weights another model's file": (lambda m, p: m.load_weights(_other_weights_file(p)), ValueError),
    "set_weights too few arrays": (lambda m, p: m.set_weights(m.get_weights()[:2]), ValueError),
    "set_weights the last array misshapen": (
        lambda m, p: m.set_weights([w + 1 for w in m.get_weights()[:-1]] + [np.zeros(7, "float32")]), ValueError),
    "set_weights text": (lambda m, p: m.set_weights("weights"), (TypeError, ValueError)),
    "add something that is not a layer": (lambda m, p: m.add("Dense"), TypeError),
    "add a layer that cannot take the output": (lambda m, p: m.add(layers.Conv2D(2, 3)), ValueError),
    "add a second Input": (lambda m, p: m.add(layers.Input(shape=(3,))), ValueError),
    "build with another input shape": (lambda m, p: m.build((None, 7)), ValueError),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_failed_call_leaves_the_model_as_it_was(case, tmp_path):
    call, errors = CASES[case]
    model = trained()
    before = snapshot(model)
    with pytest.raises(errors):
        call(model, tmp_path)
    assert_same(before, snapshot(model))
    history = model.fit(X, Y, epochs=1, batch_size=8, verbose=0)  # still usable
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.array_equal(a, b) for a, b in zip(before["weights"], model.get_weights()))


def test_a_failed_compile_keeps_the_previous_optimizer_state_for_the_next_fit():
    model = trained()
    steps = int(model.optimizer.iterations.numpy())
    with pytest.raises(TypeError, match="Keras 2"):
        model.compile("rmsprop", "categorical_crossentropy", ["accuracy"])
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == steps + 3  # the same Adam went on counting


def test_the_keras2_positional_order_message_names_both_orders():
    model = trained()
    with pytest.raises(TypeError) as info:
        model.compile("rmsprop", "categorical_crossentropy", ["accuracy"])
    message = str(info.value)
    assert "loss_weights" in message and "Keras 2" in message and "metrics=['accuracy']" in message


def test_an_optimizer_with_a_bad_rate_never_reaches_the_model():
    model = trained()
    before = snapshot(model)
    with pytest.raises(ValueError, match="learning_rate"):
        model.compile(optimizer=optimizers.RMSprop(learning_rate=-1e-4), loss="mse")
    assert_same(before, snapshot(model))
