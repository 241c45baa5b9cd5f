"""Per-output sample weights: a two-output model's losses, metrics (unweighted), weighted metrics and weights after
one step match Keras's."""
import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model

SPEC = {"inputs": {"x": [3]}, "nodes": [["h", "Dense", {"units": 4, "activation": "tanh"}, ["x"]],
                                        ["a", "Dense", {"units": 1}, ["h"]],
                                        ["b", "Dense", {"units": 2, "activation": "softmax"}, ["h"]]],
        "outputs": ["a", "b"]}
COMPILE = {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1}},
           "loss": ["mse", "categorical_crossentropy"], "loss_weights": [1.0, 0.5]}
RNG = np.random.default_rng(3)
X = RNG.random((6, 3)).astype("float32")
YA = RNG.random((6, 1)).astype("float32")
YB = np.eye(2, dtype="float32")[[0, 1, 1, 0, 1, 0]]
WA = np.array([0.0, 1.0, 2.0, 0.5, 1.0, 3.0], "float32")
WB = np.array([1.0, 0.25, 0.0, 2.0, 1.0, 1.0], "float32")
METRICS = {"metrics": {"a": ["mae"], "b": ["accuracy"]}, "weighted_metrics": {"a": ["mae"], "b": ["accuracy", "mae"]}}


def fresh():
    numkeras.utils.set_random_seed(7)
    model = build_model(numkeras, SPEC)
    return model, [np.asarray(w) for w in model.get_weights()]


@pytest.fixture(scope="module")
def theirs(keras_reference):
    ref = keras_reference
    _, weights = fresh()
    ref.add("per_output", "compiled_train_step", spec=SPEC, weights=[ref.array(w) for w in weights],
            compile=COMPILE, data={"x": [ref.array(X)], "y": [ref.array(YA), ref.array(YB)]},
            sample_weight=[ref.array(WA), ref.array(WB)])
    ref.add("with_metrics", "compiled_train_step", spec=SPEC, weights=[ref.array(w) for w in weights],
            compile={**COMPILE, **METRICS}, data={"x": [ref.array(X)], "y": [ref.array(YA), ref.array(YB)]},
            sample_weight=[ref.array(WA), ref.array(WB)])
    return ref.run()


@pytest.mark.parametrize("form", ["list", "dict"])
def test_one_step_with_per_output_sample_weights_matches_keras(theirs, form):
    model, _ = fresh()
    model.compile(optimizer=numkeras.optimizers.SGD(0.1), loss=COMPILE["loss"], loss_weights=COMPILE["loss_weights"])
    sample_weight = [WA, WB] if form == "list" else {"b": WB, "a": WA}
    logs = model.train_on_batch(X, [YA, YB], sample_weight=sample_weight, return_dict=True)
    for name in ("loss", "a_loss", "b_loss"):
        assert_close(np.float32(logs[name]), theirs["per_output"][f"log_{name}"], atol=1e-6, rtol=1e-5,
                     what=f"{form}: {name}")
    for i, w in enumerate(model.get_weights()):
        assert_close(w, theirs["per_output"][f"weight{i}"], atol=1e-6, rtol=1e-5,
                     what=f"{form}: weight {i} after one step")


def test_sample_weights_reach_only_the_weighted_metrics_named_as_keras_names_them(theirs):
    model, _ = fresh()
    model.compile(optimizer=numkeras.optimizers.SGD(0.1), loss=COMPILE["loss"], loss_weights=COMPILE["loss_weights"],
                  **METRICS)
    logs = model.train_on_batch(X, [YA, YB], sample_weight=[WA, WB], return_dict=True)
    expected = theirs["with_metrics"]
    assert sorted(logs) == sorted(k[len("log_"):] for k in expected.check().arrays if k.startswith("log_"))
    assert logs["a_mae"] != logs["a_weighted_mae"]
    for name in logs:
        assert_close(np.float32(logs[name]), expected[f"log_{name}"], atol=1e-6, rtol=1e-5, what=name)
