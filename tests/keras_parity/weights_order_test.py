"""The order of a model's weights against Keras: `weights`, `get_weights`, `set_weights` and the trainable lists.

Keras 3 lists weights layer by layer: a layer's own weights (those created trainable first, then the
others), then each sublayer's in turn, depth first (a functional model's layers in Keras's graph
order, deepest first); `trainable_weights` and `non_trainable_weights` are that list filtered, so
BatchNormalization's moving statistics and a frozen layer's weights stay in their layer's place in
`weights`. Each model below is built by both libraries from one spec (`keras_reference.build_model`),
some layers (un)frozen by path; the six lists must name the same weights with the same shapes in the
same order, and `get_weights()` lists must move across both ways: Keras given numkeras's random
weights, and numkeras given Keras's, compute the same outputs.
"""
import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model, find_layer, randomize_weights, weight_lists


def seq(input_shape, *layers, **fields):
    return {"sequential": [list(input_shape), [[cls, kwargs] for cls, kwargs in layers]], **fields}


INNER = seq((3,), ("Dense", {"units": 4, "name": "i1"}), ("BatchNormalization", {"name": "ibn"}), name="inner")
BRANCHED = {  # two branches: Keras's graph order (deepest first) is not the order the layers were called in
    "inputs": {"x": [3], "side_in": [2]},
    "nodes": [["pre", "Dense", {"units": 3}, ["x"]], ["inner", "Model", INNER, ["pre"]],
              ["side", "Dense", {"units": 4}, ["side_in"]], ["cat", "Concatenate", {}, ["inner", "side"]],
              ["post", "Dense", {"units": 2}, ["cat"]]],
    "outputs": ["post"], "name": "branched"}
BLOCK = {"inputs": {"x": [3]}, "nodes": [["block", "WeightOrderBlock", {"units": 4}, ["x"]],
                                         ["out", "Dense", {"units": 2}, ["block"]]], "outputs": ["out"]}

# case id -> (spec, toggles [[layer path, trainable], ...] applied after building); every layer is
# named, so both libraries' names are the same whatever was built before
CASES = {
    "dense_batchnorm_dense": (seq((3,), ("Dense", {"units": 4, "name": "d_in"}),
                                  ("BatchNormalization", {"name": "bn"}), ("Dense", {"units": 2, "name": "d_out"})),
                              []),
    "frozen_layers_in_the_middle": (seq((3,), ("Dense", {"units": 4, "name": "a"}),
                                        ("Dense", {"units": 4, "name": "frozen", "trainable": False}),
                                        ("BatchNormalization", {"name": "frozen_bn", "trainable": False}),
                                        ("Dense", {"units": 2, "name": "c"})), []),
    "functional_with_frozen_sub_model": ({**BRANCHED, "nodes": [
        node if node[0] != "inner" else ["inner", "Model", {**INNER, "trainable": False}, ["pre"]]
        for node in BRANCHED["nodes"]]}, []),
    "sub_model_with_a_frozen_layer": (BRANCHED, [["inner/i1", False]]),
    "layer_with_own_weights_and_sublayers": (BLOCK, []),
    "frozen_layer_with_own_weights_and_sublayers": (BLOCK, [["block", False]]),
    # Keras: a sublayer unfrozen inside a frozen layer is trainable again for the model around them.
    "sublayer_unfrozen_inside_a_frozen_layer": (BLOCK, [["block", False], ["block/d1", True]]),
}


def build(name):
    spec, toggles = CASES[name]
    model = build_model(numkeras, spec)
    for path, trainable in toggles:
        find_layer(model, path).trainable = trainable
    return model


def inputs_for(model):
    rs = np.random.RandomState(11)
    return [rs.normal(size=(4,) + tuple(t.shape[1:])).astype("float32") for t in model.inputs]


def call(model, xs):
    return np.asarray(model(xs[0] if len(xs) == 1 else xs, training=False))


@pytest.fixture(scope="module")
def results(keras_reference):
    ref = keras_reference
    for name in CASES:
        model = build(name)
        randomize_weights(model, seed=3)
        ref.add(name, "weight_order", spec=CASES[name][0], toggles=CASES[name][1],
                inputs=[ref.array(x) for x in inputs_for(model)],
                weights=[ref.array(w) for w in model.get_weights()])
    return ref.run()


@pytest.mark.parametrize("name", list(CASES))
def test_weight_lists_match_keras(results, name):
    keras_lists = results[name].check().meta["lists"]
    ours = weight_lists(build(name))
    for attr, theirs in keras_lists.items():
        assert ours[attr] == theirs, f"{name}: {attr} differs from Keras's"


@pytest.mark.parametrize("name", list(CASES))
def test_get_weights_lists_move_between_the_libraries(results, name):
    theirs = results[name].check()
    model = build(name)
    randomize_weights(model, seed=3)
    sent, xs = model.get_weights(), inputs_for(model)
    for i, w in enumerate(sent):  # numkeras's list, through Keras's set_weights and get_weights
        assert_close(theirs[f"back{i}"], w, rtol=0, atol=0, what=f"{name}: weight {i} back from Keras")
    assert_close(call(model, xs), theirs["out0"], what=f"{name}: Keras's outputs with numkeras's weights")
    keras_weights = theirs.outputs("kw")
    model.set_weights(keras_weights)  # and Keras's list into numkeras
    for i, (w, k) in enumerate(zip(model.get_weights(), keras_weights)):
        assert_close(w, k, rtol=0, atol=0, what=f"{name}: Keras's weight {i} back from numkeras")
    assert_close(call(model, xs), theirs["kout0"], what=f"{name}: numkeras's outputs with Keras's weights")


def test_the_model_copies_its_weights_into_a_twin():
    """The book's `model.set_weights(other.get_weights())` between two builds of one spec."""
    for name in CASES:
        source, twin = build(name), build(name)
        randomize_weights(source, seed=1)
        twin.set_weights(source.get_weights())
        xs = inputs_for(source)
        np.testing.assert_array_equal(call(twin, xs), call(source, xs), err_msg=name)
