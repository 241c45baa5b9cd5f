"""Masks against Keras: the same models, weights and zero-padded ids give the same outputs and masks.

Each model is one spec (`keras_reference.build_model`) built by both libraries with the same weights.
Keras hands back each output and the mask it carries (`_keras_mask`); for the compiled models also
`evaluate`'s loss and metrics and the weights after one `train_on_batch`, so a masked timestep that
leaked into the loss, a metric or a gradient shows. One Keras process runs them all.
"""
import warnings

import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model, compile_kwargs, randomize_weights

BATCH, STEPS = 6, 5


def seq(input_shape, *layers):
    return {"sequential": [list(input_shape), [[cls, kwargs] for cls, kwargs in layers]]}


EMBED = ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True})
MODELS = {
    "embedding_mask": seq((STEPS,), EMBED),
    "embedding_no_mask": seq((STEPS,), ("Embedding", {"input_dim": 9, "output_dim": 4})),
    "masking": seq((STEPS, 3), ("Masking", {"mask_value": 0.0}), ("Dense", {"units": 2})),
    "masking_value": seq((STEPS, 3), ("Masking", {"mask_value": 0.5}), ("Activation", {"activation": "tanh"})),
    "passes_through": seq((STEPS,), EMBED, ("Dense", {"units": 3, "activation": "relu"}), ("Dropout", {"rate": 0.5}),
                          ("LayerNormalization", {}), ("Activation", {"activation": "softmax"})),
    "masked_average": seq((STEPS,), EMBED, ("Dense", {"units": 3}), ("GlobalAveragePooling1D", {}),
                          ("Dense", {"units": 2})),
    "merges": {
        "inputs": {"a": [STEPS], "b": [STEPS]},
        "nodes": [["ea", *EMBED, ["a"]], ["eb", *EMBED, ["b"]],
                  ["add", "Add", {}, ["ea", "eb"]], ["maximum", "Maximum", {}, ["ea", "eb"]],
                  ["minimum", "Minimum", {}, ["ea", "eb"]], ["multiply", "Multiply", {}, ["ea", "eb"]],
                  ["cat", "Concatenate", {}, ["ea", "eb"]], ["cat_time", "Concatenate", {"axis": 1}, ["ea", "eb"]],
                  ["dot", "Dot", {"axes": 2}, ["ea", "eb"]]],
        "outputs": ["add", "maximum", "minimum", "multiply", "cat", "cat_time", "dot"], "name": "merges"},
    "nested": {
        "inputs": {"ids": [STEPS]},
        "nodes": [["e", *EMBED, ["ids"]],
                  ["inner", "Model", {"inputs": {"inner_in": [STEPS, 4]}, "nodes": [
                      ["inner_dense", "Dense", {"units": 3}, ["inner_in"]]], "outputs": ["inner_dense"],
                      "name": "inner"}, ["e"]],
                  ["pool", "GlobalAveragePooling1D", {}, ["inner"]]],
        "outputs": ["pool"], "name": "nested"},
}
COMPILED = {  # per-timestep outputs of a masked sequence: the loss and metrics skip the padding
    "per_timestep_sparse": (seq((STEPS,), EMBED, ("Dense", {"units": 3, "activation": "softmax"})),
                            {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.5}},
                             "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}),
    "per_timestep_mse": (seq((STEPS,), EMBED, ("Dense", {"units": 2})),
                         {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.1}},
                          "loss": "mse", "metrics": ["mae"]}),
    "per_timestep_batchnorm": (seq((STEPS,), EMBED, ("BatchNormalization", {"momentum": 0.5}), ("Dense", {"units": 2})),
                               {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.1}},
                                "loss": "mse"}),
}
NAMES = list(MODELS) + list(COMPILED)
# Masked Multiply: where neither input counts, Keras writes 0 and numkeras too; masked positions elsewhere
# are compared like the rest.


def spec_of(name):
    return MODELS[name] if name in MODELS else COMPILED[name][0]


def inputs_for(name):
    """Zero-padded ids (every length from 1 to STEPS, one sequence all padding-free) or float steps, some all-zero."""
    rs = np.random.RandomState(sum(map(ord, name)))
    spec = spec_of(name)
    shapes = [spec["sequential"][0]] if "sequential" in spec else list(spec["inputs"].values())
    xs = []
    for shape in shapes:
        if len(shape) == 1:
            ids = rs.randint(1, 9, size=(BATCH, *shape))
            ids[np.arange(shape[0]) >= rs.randint(1, shape[0] + 1, size=BATCH)[:, None]] = 0
            xs.append(ids.astype("int32"))
        else:
            x = rs.normal(size=(BATCH, *shape)).astype("float32")
            x[rs.uniform(size=(BATCH, shape[0])) < 0.4] = 0.0
            x[0, 1] = 0.5  # a step equal to mask_value=0.5 everywhere
            xs.append(x)
    return xs


def targets_for(name):
    rs = np.random.RandomState(7)
    if COMPILED[name][1]["loss"] == "sparse_categorical_crossentropy":
        return rs.randint(0, 3, size=(BATCH, STEPS)).astype("int32")
    return rs.normal(size=(BATCH, STEPS, 2)).astype("float32")


def one(values):
    return values[0] if len(values) == 1 else values


@pytest.fixture(scope="module")
def results(keras_reference):
    ref, ours = keras_reference, {}
    for name in NAMES:
        xs = inputs_for(name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # no layer of these models may drop a mask
                model = build_model(numkeras, spec_of(name))
                randomize_weights(model, seed=3)
                y = model(one(xs))
            flat = y if isinstance(y, (list, tuple)) else [y]
            ours[name] = {"outputs": [np.asarray(t) for t in flat],
                          "masks": [None if t._keras_mask is None else np.asarray(t._keras_mask) for t in flat]}
            fields = {}
            if name in COMPILED:
                y_true = targets_for(name)
                model.compile(**compile_kwargs(numkeras, COMPILED[name][1]))
                ours[name]["logs"] = model.evaluate(one(xs), y_true, batch_size=BATCH, verbose=0, return_dict=True)
                model.train_on_batch(one(xs), y_true)
                ours[name]["weights"] = model.get_weights()
                fields = {"compile": COMPILED[name][1],
                          "fit": {"x": [ref.array(x) for x in xs], "y": [ref.array(y_true)], "batch_size": BATCH}}
        except Exception as e:  # this model's test fails with it; the others still run
            ours[name] = e
            continue
        weights = build_model(numkeras, spec_of(name))
        randomize_weights(weights, seed=3)
        ref.add(name, "masked", spec=spec_of(name), inputs=[ref.array(x) for x in xs],
                weights=[ref.array(w) for w in weights.get_weights()], **fields)
    return ours, ref.run()


@pytest.mark.parametrize("name", NAMES)
def test_outputs_and_masks_match_keras(results, name):
    ours, theirs = results[0][name], results[1][name]
    if isinstance(ours, Exception):
        raise ours
    keras_outputs = theirs.outputs()
    assert len(ours["outputs"]) == len(keras_outputs)
    for i, (a, b) in enumerate(zip(ours["outputs"], keras_outputs)):
        assert_close(a, b, what=f"{name}: output {i}")
        keras_mask = theirs.arrays.get(f"mask{i}")
        if keras_mask is None:
            assert ours["masks"][i] is None, f"{name}: output {i} carries a mask; Keras's carries none"
        else:
            assert ours["masks"][i] is not None, f"{name}: output {i} carries no mask; Keras's does"
            np.testing.assert_array_equal(ours["masks"][i], keras_mask, err_msg=f"{name}: mask {i}")


@pytest.mark.parametrize("name", list(COMPILED))
def test_masked_loss_metrics_and_train_step_match_keras(results, name):
    ours, theirs = results[0][name], results[1][name]
    if isinstance(ours, Exception):
        raise ours
    theirs.check()
    assert sorted(ours["logs"]) == sorted(theirs.meta["logs"]), f"{name}: logged names differ"
    for key, value in theirs.meta["logs"].items():
        np.testing.assert_allclose(ours["logs"][key], value, rtol=1e-5, atol=1e-6, err_msg=f"{name}: {key}")
    for i, w in enumerate(ours["weights"]):
        assert_close(w, theirs[f"weight{i}"], rtol=1e-5, atol=2e-6, what=f"{name}: weight {i} after a train step")


def test_the_masks_compared_are_there(results):
    """Guards the comparison above against comparing nothing: Keras's masked outputs, by model and output."""
    masked = sorted(f"{name}/{key}" for name in NAMES for key in results[1][name].arrays if key.startswith("mask"))
    assert masked == ["embedding_mask/mask0", "masking/mask0", "masking_value/mask0", "merges/mask0", "merges/mask1",
                      "merges/mask2", "merges/mask3", "merges/mask4", "merges/mask5", "passes_through/mask0",
                      "per_timestep_batchnorm/mask0", "per_timestep_mse/mask0", "per_timestep_sparse/mask0"], masked
