"""InceptionV3, Xception and MobileNetV2 against Keras 3: architecture, weights files and outputs.

Keras builds each case with `weights=None` in a fresh session, gives its batch normalizations
random statistics, writes the weights as Keras 2's `.h5` (the layout of the published ImageNet
files) and predicts a fixed batch (applications_b_reference.py). numkeras, also from a fresh
session, builds the same call and must have the same parameter count, model name and output
shape; the same layers in the same order (names, classes, weight shapes, and the configuration
entries that set the math: kernel sizes, strides, padding, epsilon, momentum, ReLU's cap, ...);
and, with Keras's file loaded, the same predictions within float32 tolerance. Small inputs and
`include_top=False` keep the cases cheap.
"""
import os

import numpy as np
import pytest

import numkeras
from keras_parity.applications_b_reference import CONFIG_KEYS
from keras_parity.harness import KerasReference, assert_close
from numkeras import applications

# case id -> (model, kwargs, input batch shape). Keras on JAX takes about half a minute to build any of
# these (its initializers compile per weight shape) and a few seconds to predict, so the cases are few
# and small; the full-size models' parameter counts are checked in the unit tests beside each model.
CASES = {
    "inception_v3_75_avg": ("InceptionV3", {"include_top": False, "input_shape": [75, 75, 3], "pooling": "avg"},
                            (2, 75, 75, 3)),
    "xception_71_max": ("Xception", {"include_top": False, "input_shape": [71, 71, 3], "pooling": "max"},
                        (2, 71, 71, 3)),
    "mobilenet_v2_odd_sides_alpha_0.5": ("MobileNetV2", {"include_top": False, "input_shape": [33, 45, 3],
                                                         "alpha": 0.5, "pooling": "avg"}, (2, 33, 45, 3)),
    "mobilenet_v2_alpha_1.3_96_logits": ("MobileNetV2", {"input_shape": [96, 96, 3], "alpha": 1.3, "classes": 7,
                                                         "classifier_activation": None}, (2, 96, 96, 3)),
}
IDS = list(CASES)


def images(case_id):
    rs = np.random.RandomState(sum(map(ord, case_id)))
    return rs.uniform(-1.0, 1.0, CASES[case_id][2]).astype("float32")


@pytest.fixture(scope="module")
def keras_results(keras_python, tmp_path_factory):
    folder = tmp_path_factory.mktemp("keras_applications_b")
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "applications_b_reference.py")
    ref = KerasReference(keras_python, folder, runner=runner)
    for i, (case_id, (model, kwargs, _)) in enumerate(CASES.items()):
        ref.add(case_id, "application", model=model, kwargs=kwargs, seed=i, inputs=[ref.array(images(case_id))],
                file=f"{case_id}.h5")
    return ref.run(), folder


def build(case_id):
    """numkeras's model for the case, from a fresh session as Keras's was."""
    model, kwargs, _ = CASES[case_id]
    numkeras.utils.clear_session()
    kwargs = dict(kwargs)
    if kwargs.get("input_shape") is not None:
        kwargs["input_shape"] = tuple(kwargs["input_shape"])
    return getattr(applications, model)(weights=None, **kwargs)


@pytest.fixture(scope="module")
def ours():
    """case id -> numkeras's model, built once (the tests read its structure; one loads weights into it)."""
    built = {}
    return lambda case_id: built[case_id] if case_id in built else built.setdefault(case_id, build(case_id))


def layer_table(model):
    table = []
    for layer in model.layers:
        config = layer.get_config()
        table.append({"name": layer.name, "class": type(layer).__name__,
                      "weights": [list(w.shape) for w in layer.weights],
                      "config": {k: _json(config[k]) for k in CONFIG_KEYS if k in config}})
    return table


def _json(value):
    return [_json(v) for v in value] if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize("case_id", IDS)
def test_parameter_count_name_and_output_shape_match_keras(keras_results, ours, case_id):
    meta = keras_results[0][case_id].check().meta
    model = ours(case_id)
    assert model.count_params() == meta["count_params"]
    assert model.name == meta["name"]
    assert list(model.output_shape) == meta["output_shape"]


@pytest.mark.parametrize("case_id", IDS)
def test_layers_match_keras_in_order_name_class_weights_and_config(keras_results, ours, case_id):
    theirs = keras_results[0][case_id].check().meta["layers"]
    table = layer_table(ours(case_id))
    assert [layer["name"] for layer in table] == [layer["name"] for layer in theirs]
    for mine, keras_layer in zip(table, theirs):
        assert mine["class"] == keras_layer["class"], mine["name"]
        assert mine["weights"] == keras_layer["weights"], mine["name"]
        shared = set(mine["config"]) & set(keras_layer["config"])
        assert {k: mine["config"][k] for k in shared} == {k: keras_layer["config"][k] for k in shared}, mine["name"]
        assert set(keras_layer["config"]) <= set(mine["config"]) | {"keepdims"}, mine["name"]


@pytest.mark.parametrize("case_id", IDS)
def test_keras_weights_file_loads_and_predicts_the_same(keras_results, ours, case_id):
    results, folder = keras_results
    expected = results[case_id]["out0"]
    model = ours(case_id)
    model.load_weights(str(folder / f"{case_id}.h5"))
    actual = model.predict(images(case_id), verbose=0)
    scale = float(np.max(np.abs(expected)))
    assert scale > 0
    assert_close(actual, expected, rtol=1e-4, atol=1e-4 * scale, what=case_id)
