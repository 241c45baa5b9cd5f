"""class_weight in train_on_batch: the loss, the metrics (unweighted) and weighted_metrics, and the weights after
one step match Keras's."""
import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model

SPEC = {"inputs": {"x": [4]}, "nodes": [["h", "Dense", {"units": 5, "activation": "relu"}, ["x"]],
                                        ["p", "Dense", {"units": 3, "activation": "softmax"}, ["h"]]],
        "outputs": ["p"]}
RNG = np.random.default_rng(11)
X = RNG.random((8, 4)).astype("float32")
LABELS = np.array([0, 1, 2, 2, 1, 0, 2, 1])
CLASS_WEIGHT = {0: 1.0, 1: 3.0, 2: 0.25}
FORMS = {"sparse": ("sparse_categorical_crossentropy", LABELS.astype("float32")),
         "one-hot": ("categorical_crossentropy", np.eye(3, dtype="float32")[LABELS]),
         "a column": ("sparse_categorical_crossentropy", LABELS.astype("float32")[:, None])}
PARTIAL = {1: 3.0}  # classes 0 and 2 left out: Keras 3 weighs them 1.0


def fresh(loss):
    numkeras.utils.set_random_seed(5)
    model = build_model(numkeras, SPEC)
    weights = [np.asarray(w) for w in model.get_weights()]
    model.compile(optimizer=numkeras.optimizers.SGD(0.5), loss=loss, metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    return model, weights


@pytest.fixture(scope="module")
def theirs(keras_reference):
    ref = keras_reference
    for form, (loss, y) in FORMS.items():
        _, weights = fresh(loss)
        ref.add(form, "compiled_train_step", spec=SPEC, weights=[ref.array(w) for w in weights],
                compile={"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.5}}, "loss": loss,
                         "metrics": ["accuracy"], "weighted_metrics": ["accuracy"]},
                data={"x": [ref.array(X)], "y": [ref.array(y)]}, class_weight=sorted(CLASS_WEIGHT.items()))
        ref.add(f"{form}, partial", "compiled_train_step", spec=SPEC, weights=[ref.array(w) for w in weights],
                compile={"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.5}}, "loss": loss,
                         "metrics": ["accuracy"], "weighted_metrics": ["accuracy"]},
                data={"x": [ref.array(X)], "y": [ref.array(y)]}, class_weight=sorted(PARTIAL.items()))
    return ref.run()


@pytest.mark.parametrize("form", FORMS)
def test_a_class_left_out_of_class_weight_weighs_one_as_in_keras(theirs, form):
    loss, y = FORMS[form]
    model, _ = fresh(loss)
    logs = model.train_on_batch(X, y, class_weight=PARTIAL, return_dict=True)
    expected = theirs[f"{form}, partial"]
    for name in logs:
        assert_close(np.float32(logs[name]), expected[f"log_{name}"], atol=1e-6, rtol=1e-5, what=f"{form}: {name}")
    for i, w in enumerate(model.get_weights()):
        assert_close(w, expected[f"weight{i}"], atol=1e-6, rtol=1e-5, what=f"{form}: weight {i} after one step")


@pytest.mark.parametrize("form", FORMS)
def test_train_on_batch_weighs_each_class_as_keras_does(theirs, form):
    loss, y = FORMS[form]
    model, _ = fresh(loss)
    logs = model.train_on_batch(X, y, class_weight=CLASS_WEIGHT, return_dict=True)
    assert sorted(logs) == sorted(k[len("log_"):] for k in theirs[form].check().arrays if k.startswith("log_"))
    assert logs["accuracy"] != logs["weighted_accuracy"]  # the weights reached only the weighted metric
    for name in logs:
        assert_close(np.float32(logs[name]), theirs[form][f"log_{name}"], atol=1e-6, rtol=1e-5, what=f"{form}: {name}")
    for i, w in enumerate(model.get_weights()):
        assert_close(w, theirs[form][f"weight{i}"], atol=1e-6, rtol=1e-5, what=f"{form}: weight {i} after one step")

