"""Keras 2's whole-model `.h5` files move between numkeras and Keras 3, both ways.

Keras 3 (on JAX) still writes the legacy HDF5 format for `model.save('x.h5')` and reads it with
`load_model`. Each model below (specs shared with saving_test.py) is built by both libraries with
random weights; the compiled ones are trained two epochs first. Keras saves `.h5` and numkeras loads
it: same outputs, same optimizer (class, iterations, every slot), and one more training step gives
what one more step gave Keras. numkeras saves `.h5` and Keras loads it: same outputs, compiled with
the same loss. Two defects of Keras 3.15's own legacy reader limit that direction, so it is not
asked more: it builds the optimizer of a loaded model on no variables (a model it loads from its own
`.h5` cannot train: "optimizer was built with 0 variables"), and it cannot read the loss name
"mse" back (the compiled models here spell losses out).
"""
import warnings

import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model, compile_kwargs, randomize_weights, slot_values
from keras_parity.saving_test import COMPILED, MODELS, TRAIN_STEP_TOL, assert_outputs, assert_same_slots
from numkeras.saving import load_model
from numkeras.utils.keras2_idioms import Keras2IdiomWarning

BATCH = 6
SPECS = {name: MODELS[name] for name in ("core", "conv2d", "normalization", "merging", "sequence", "recurrent")}
SPECS.update({name: COMPILED[name][0] for name in ("compiled_sequential", "compiled_functional",
                                                   "compiled_rmsprop", "compiled_recurrent")})
LOSS_NAMES = {"mse": "mean_squared_error", "mae": "mean_absolute_error"}


def legacy_compile(name):
    """saving_test's compile arguments, with loss names Keras's legacy reader can read."""
    if name not in COMPILED:
        return None
    fields = dict(COMPILED[name][1])
    loss = fields["loss"]
    fields["loss"] = [LOSS_NAMES.get(x, x) for x in loss] if isinstance(loss, list) else LOSS_NAMES.get(loss, loss)
    return fields


NAMES = list(SPECS)


def data(name):
    rs = np.random.RandomState(sum(map(ord, name)) + 7)
    spec = SPECS[name]
    shapes = [spec["sequential"][0]] if "sequential" in spec else list(spec["inputs"].values())
    xs = [rs.uniform(-1.0, 1.0, (BATCH, *s)).astype("float32") for s in shapes]
    if name == "sequence":
        xs = [rs.randint(0, 10, (BATCH, shapes[0][0])).astype("int32")]
    if name not in COMPILED:
        return xs, []
    if COMPILED[name][1]["loss"] == "categorical_crossentropy":
        return xs, [np.eye(3, dtype="float32")[rs.randint(0, 3, BATCH)]]
    return xs, [rs.uniform(0.0, 1.0, (BATCH, *s)).astype("float32") for s in COMPILED[name][2]]


def one(values):
    return values[0] if len(values) == 1 else values


def outputs(model, xs):
    y = model.predict(one(xs), verbose=0)
    return [np.asarray(t) for t in (y if isinstance(y, (list, tuple)) else [y])]


@pytest.fixture(scope="module")
def saved(keras_reference):
    ref, folder, ours = keras_reference, keras_reference.folder, {}
    for name in NAMES:
        xs, ys = data(name)
        inputs = [ref.array(x) for x in xs]
        train = {"x": inputs, "y": [ref.array(y) for y in ys]} if name in COMPILED else None
        ref.add(f"save-{name}", "save", spec=SPECS[name], seed=2, inputs=inputs, file=f"k_{name}.h5",
                weights_file=f"k_{name}.weights.h5", train_after=train,
                **({"compile": legacy_compile(name), "fit": {**train, "epochs": 2, "batch_size": BATCH // 2}}
                   if name in COMPILED else {}))
        try:
            numkeras.utils.set_random_seed(1)
            model = build_model(numkeras, SPECS[name])
            randomize_weights(model, seed=1)
            if name in COMPILED:
                model.compile(**compile_kwargs(numkeras, legacy_compile(name)))
                model.fit(one(xs), one(ys), epochs=2, batch_size=BATCH // 2, shuffle=False, verbose=0)
            with warnings.catch_warnings():  # the note that Keras 3 writes .keras (its own test is in saving/)
                warnings.simplefilter("ignore", Keras2IdiomWarning)
                model.save(f"{folder}/nk_{name}.h5")
            ours[name] = {"outputs": outputs(model, xs)}
        except Exception as e:
            ours[name] = e
            continue
        ref.add(f"load-{name}", "load", file=f"nk_{name}.h5", inputs=inputs)
    return folder, ours, ref.run()


def loss_names(loss):
    """Keras's compile_config names a loss it read from a legacy file as a serialized function."""
    if isinstance(loss, list):
        return [loss_names(x) for x in loss]
    return loss["config"] if isinstance(loss, dict) and loss.get("class_name") == "function" else loss


# Outputs reach ~5 in size; reductions in another float32 order (GroupNormalization's) move them ~1.5e-6.
TOL = {"rtol": 1e-5, "atol": 1e-5}


def ours_for(saved, name):
    if isinstance(saved[1][name], Exception):
        raise saved[1][name]
    return saved[1][name]


@pytest.mark.parametrize("name", NAMES)
def test_numkeras_h5_loads_in_keras(saved, name):
    ours, theirs = ours_for(saved, name), saved[2][f"load-{name}"]
    assert_outputs(ours["outputs"], theirs.outputs(), f"{name}: Keras on numkeras's .h5", **TOL)
    assert theirs.meta["warnings"] == [], f"{name}: Keras warned loading numkeras's .h5"
    if name in COMPILED:
        assert loss_names(theirs.meta["compiled"]["loss"]) == legacy_compile(name)["loss"]


@pytest.mark.parametrize("name", NAMES)
def test_keras_h5_loads_in_numkeras(saved, name):
    folder, theirs = saved[0], saved[2][f"save-{name}"].check()
    model = load_model(f"{folder}/k_{name}.h5")
    xs, ys = data(name)
    assert_outputs(outputs(model, xs), theirs.outputs(), f"{name}: numkeras on Keras's .h5", **TOL)
    if name in COMPILED:
        assert model.compiled
        assert type(model.optimizer).__name__ == COMPILED[name][1]["optimizer"]["class_name"]
        assert model.loss == legacy_compile(name)["loss"]
        assert int(model.optimizer.iterations.numpy()) == theirs.meta["iterations"] == 4
        assert_same_slots(slot_values(model, model.optimizer, lambda v: np.asarray(v.numpy())), theirs.meta["slots"],
                          name)
        model.train_on_batch(one(xs), one(ys))
        assert_outputs(outputs(model, xs), theirs.outputs("after"), f"{name}: one more train step after loading",
                       **TRAIN_STEP_TOL)


def test_keras_h5_weights_load_into_numkeras_model(saved):
    """model.load_weights on a Keras-written whole-model .h5 reads its model_weights group."""
    folder, theirs = saved[0], saved[2]["save-core"].check()
    model = build_model(numkeras, SPECS["core"])
    model.load_weights(f"{folder}/k_core.h5")
    assert_close(outputs(model, data("core")[0])[0], theirs.outputs()[0], what="core: load_weights from .h5")
    assert numkeras.__name__ == "numkeras"
