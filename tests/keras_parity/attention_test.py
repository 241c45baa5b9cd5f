"""The attention layers against Keras: outputs and scores with masks, and one training step.

Each output case builds the layer in both libraries from the same kwargs, sets the same random
weights and calls it on the same inputs and masks. MultiHeadAttention is called as
`layer(query, value, key)`; Attention and AdditiveAttention as `layer([query, value, key])`. Keras's
MultiHeadAttention reads the query's mask only from the tensor's Keras mask (an explicit
`query_mask` is overwritten), so there the Keras side sets it on the query tensor and numkeras is
given it as `query_mask`. Each train case runs one `train_on_batch` (SGD, mse) of a small functional
model in both libraries from the same weights and compares every weight after it. Last, masks made by
`Embedding(mask_zero=True)` flow into all three layers in a functional model: outputs, the masks
they carry, the masked loss and one train step against Keras.
layers_test.py counts the classes covered here (`COVERED`) in its every-layer check.
"""
import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model, random_weights, randomize_weights
from numkeras import layers

# (case id, class name, kwargs, input shapes, call kwargs, masks) where masks maps a call argument
# ("query_mask", "value_mask", "key_mask", "attention_mask"; "mask" for the list-input layers) to the
# shape of a random boolean mask whose first column is always True.
MHA = "MultiHeadAttention"
CASES = [
    ("mha-self", MHA, {"num_heads": 2, "key_dim": 3}, [(2, 4, 6), (2, 4, 6)], {}, {}),
    ("mha-cross-key-value_dim-output_shape", MHA, {"num_heads": 2, "key_dim": 3, "value_dim": 4, "output_shape": 5},
     [(2, 4, 6), (2, 5, 7), (2, 5, 3)], {"return_attention_scores": True}, {}),
    ("mha-causal-scores", MHA, {"num_heads": 3, "key_dim": 2}, [(2, 5, 4), (2, 5, 4)],
     {"use_causal_mask": True, "return_attention_scores": True}, {}),
    ("mha-causal", MHA, {"num_heads": 2, "key_dim": 2}, [(2, 5, 4), (2, 5, 4)], {"use_causal_mask": True}, {}),
    ("mha-value_mask-attention_mask", MHA, {"num_heads": 2, "key_dim": 3}, [(2, 4, 6), (2, 5, 6)], {},
     {"value_mask": (2, 5), "attention_mask": (2, 4, 5)}),
    ("mha-query_mask-key_mask-causal-scores", MHA, {"num_heads": 2, "key_dim": 3}, [(2, 5, 6), (2, 5, 6), (2, 5, 4)],
     {"use_causal_mask": True, "return_attention_scores": True}, {"query_mask": (2, 5), "key_mask": (2, 5)}),
    ("mha-query_mask", MHA, {"num_heads": 2, "key_dim": 3}, [(2, 5, 6), (2, 5, 6)], {}, {"query_mask": (2, 5)}),
    ("mha-attention_axes-2", MHA, {"num_heads": 2, "key_dim": 2, "attention_axes": [2]}, [(2, 3, 4, 5), (2, 3, 4, 5)],
     {"return_attention_scores": True}, {}),
    ("mha-attention_axes-1-2", MHA, {"num_heads": 2, "key_dim": 2, "attention_axes": [1, 2]},
     [(2, 3, 2, 5), (2, 2, 3, 5)], {"return_attention_scores": True}, {}),
    ("mha-no_bias-output_shape-2d", MHA, {"num_heads": 2, "key_dim": 2, "use_bias": False, "output_shape": [2, 3]},
     [(2, 4, 5), (2, 3, 5)], {}, {}),
    ("mha-gate-sliding_window", MHA, {"num_heads": 2, "key_dim": 2, "use_gate": True, "sliding_window": 2},
     [(2, 5, 4), (2, 5, 4)], {"return_attention_scores": True}, {}),
    ("mha-dropout-inference", MHA, {"num_heads": 2, "key_dim": 2, "dropout": 0.5, "seed": 3}, [(2, 4, 4), (2, 4, 4)],
     {"training": False}, {}),
    ("attention-dot", "Attention", {}, [(2, 4, 5), (2, 6, 5)], {"return_attention_scores": True}, {}),
    ("attention-scale-key-masks", "Attention", {"use_scale": True}, [(2, 4, 5), (2, 6, 5), (2, 6, 5)], {},
     {"mask": [(2, 4), (2, 6)]}),
    ("attention-concat-causal", "Attention", {"score_mode": "concat", "use_scale": True}, [(2, 5, 3), (2, 5, 3)],
     {"use_causal_mask": True, "return_attention_scores": True}, {"mask": [(2, 5), (2, 5)]}),
    ("attention-dropout-inference", "Attention", {"dropout": 0.5, "seed": 1}, [(2, 4, 5), (2, 6, 5)], {}, {}),
    ("additive", "AdditiveAttention", {}, [(2, 4, 5), (2, 6, 5)], {"return_attention_scores": True}, {}),
    ("additive-no_scale-key-masks-causal", "AdditiveAttention", {"use_scale": False},
     [(2, 5, 3), (2, 5, 3), (2, 5, 3)], {"use_causal_mask": True}, {"mask": [(2, 5), (2, 5)]}),
]
# True disagreements, each checked by hand: case id -> why numkeras differs.
XFAIL = {
    "mha-query_mask": "With no dropout and no attention scores asked for, Keras 3.15.1's MultiHeadAttention "
        "runs the fused ops.dot_product_attention, which gives a fully masked query row uniform weights (the "
        "mean of the values); its softmax path (return_attention_scores=True, as in "
        "mha-query_mask-key_mask-causal-scores, which agrees) and numkeras give that row zero weights. Only "
        "masked query rows differ.",
}
COVERED = {MHA, "Attention", "AdditiveAttention"}

# One SGD step of a small model through `train_on_batch`: (case id, spec, input shapes, target shape).
TRAIN_CASES = [
    ("train-mha", {"inputs": {"q": [4, 6], "v": [5, 6]},
                   "nodes": [["mha", MHA, {"num_heads": 2, "key_dim": 3}, ["q", "v"], {"unpack": True}],
                             ["out", "Dense", {"units": 2}, ["mha"]]], "outputs": ["out"], "name": "m"},
     [(3, 4, 6), (3, 5, 6)], (3, 4, 2)),
    ("train-mha-causal-output_shape", {"inputs": {"x": [5, 4]},
                                  "nodes": [["mha", MHA, {"num_heads": 2, "key_dim": 2, "output_shape": 3},
                                             ["x", "x"],
                                             {"unpack": True, "kwargs": {"use_causal_mask": True}}]],
                                  "outputs": ["mha"], "name": "m"},
     [(3, 5, 4)], (3, 5, 3)),
    ("train-attention", {"inputs": {"q": [4, 5], "v": [6, 5]},
                         "nodes": [["att", "Attention", {"use_scale": True, "score_mode": "concat"}, ["q", "v"]]],
                         "outputs": ["att"], "name": "m"}, [(3, 4, 5), (3, 6, 5)], (3, 4, 5)),
    ("train-additive", {"inputs": {"q": [4, 5], "v": [6, 5]},
                        "nodes": [["att", "AdditiveAttention", {}, ["q", "v", "v"]]],
                        "outputs": ["att"], "name": "m"}, [(3, 4, 5), (3, 6, 5)], (3, 4, 5)),
]


def random_masks(masks, rs):
    def one(shape):
        m = rs.random_sample(shape) > 0.4
        m[..., 0] = True
        return m
    return {k: [one(s) for s in v] if k == "mask" else one(v) for k, v in masks.items()}


def numkeras_call(cls, kwargs, xs, call_kwargs, masks, weights=None):
    layer = getattr(layers, cls)(**kwargs)

    def call():
        return layer(*xs, **masks, **call_kwargs) if cls == MHA else layer(xs, **masks, **call_kwargs)
    call()
    weights = weights if weights is not None else random_weights([(w.shape, w.name) for w in layer.weights], 0)
    layer.set_weights(weights)
    out = call()
    return weights, [np.asarray(o) for o in (out if isinstance(out, tuple) else (out,))]


@pytest.fixture(scope="module")
def results(keras_reference):
    ref, ours = keras_reference, {}
    for i, (case, cls, kwargs, shapes, call_kwargs, mask_shapes) in enumerate(CASES):
        rs = np.random.RandomState(i)
        xs = [rs.normal(size=s).astype("float32") for s in shapes]
        masks = random_masks(mask_shapes, rs)
        try:
            weights, outs = numkeras_call(cls, kwargs, xs, call_kwargs, masks)
        except Exception as e:  # this case's test fails with it; the others still run
            ours[case] = e
            continue
        ours[case] = outs
        keras_masks = {k: [ref.array(m) for m in v] if k == "mask" else ref.array(v) for k, v in masks.items()
                       if k != "query_mask"}
        fields = {"query_keras_mask": ref.array(masks["query_mask"])} if "query_mask" in masks else {}
        ref.add(case, "attention", class_name=cls, kwargs=kwargs, inputs=[ref.array(x) for x in xs],
                weights=[ref.array(w) for w in weights], masks=keras_masks, call_kwargs=call_kwargs,
                unpack=cls == MHA, **fields)
    for i, (case, spec, shapes, target) in enumerate(TRAIN_CASES):
        rs = np.random.RandomState(100 + i)
        xs = [rs.normal(size=s).astype("float32") for s in shapes]
        y = rs.normal(size=target).astype("float32")
        try:
            model = build_model(numkeras, spec)
            weights = random_weights([(w.shape, w.name) for w in model.weights], i)
            model.set_weights(weights)
            model.compile(optimizer=numkeras.optimizers.SGD(0.1), loss="mse")
            model.train_on_batch(xs[0] if len(xs) == 1 else xs, y)
            ours[case] = [np.asarray(w) for w in model.get_weights()]
        except Exception as e:
            ours[case] = e
            continue
        ref.add(case, "train_step", spec=spec, weights=[ref.array(w) for w in weights], learning_rate=0.1,
                x=[ref.array(x) for x in xs], y=[ref.array(y)])
    return ours, ref.run()


def mark(case):
    return pytest.param(case, id=case, marks=[pytest.mark.xfail(strict=True, reason=XFAIL[case])]
                        if case in XFAIL else [])


@pytest.mark.parametrize("case", [mark(c[0]) for c in CASES])
def test_outputs_match_keras(results, case):
    ours, theirs = results
    if isinstance(ours[case], Exception):
        raise ours[case]
    expected = theirs[case].outputs()
    assert len(ours[case]) == len(expected), f"{case}: numkeras gave {len(ours[case])} outputs, Keras {len(expected)}"
    for i, (a, b) in enumerate(zip(ours[case], expected)):
        assert_close(a, b, what=f"{case}: output {i}")


@pytest.mark.parametrize("case", [c[0] for c in TRAIN_CASES])
def test_one_training_step_matches_keras(results, case):
    ours, theirs = results
    if isinstance(ours[case], Exception):
        raise ours[case]
    expected = [theirs[case][f"weight{i}"] for i in range(len(ours[case]))]
    assert len(theirs[case].arrays) == len(ours[case]), f"{case}: numbers of weights differ"
    for i, (a, b) in enumerate(zip(ours[case], expected)):
        assert_close(a, b, atol=1e-5, what=f"{case}: weight {i} after one step")


# Masks made by Embedding(mask_zero=True) reach the attention layers in a functional model: outputs,
# the masks they carry, evaluate's masked loss and one train step (RMSprop, mse per timestep) as Keras.
STEPS = 5
EMBED = ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True})
MASKED = {
    "inputs": {"a": [STEPS], "b": [STEPS + 1]},
    "nodes": [["ea", *EMBED, ["a"]], ["eb", *EMBED, ["b"]],
              ["cross", MHA, {"num_heads": 2, "key_dim": 2}, ["ea", "eb"],
               {"unpack": True, "kwargs": {"return_attention_scores": True}, "outputs": ["cross", "cross_scores"]}],
              ["self", MHA, {"num_heads": 2, "key_dim": 3}, ["ea", "ea"],
               {"unpack": True, "kwargs": {"use_causal_mask": True, "return_attention_scores": True},
                "outputs": ["self", "self_scores"]}],
              ["dot", "Attention", {"use_scale": True}, ["ea", "eb"]],
              ["additive", "AdditiveAttention", {}, ["ea", "eb", "eb"]],
              ["sum", "Add", {}, ["cross", "self", "dot", "additive"]],
              ["out", "Dense", {"units": 2}, ["sum"]]],
    "outputs": ["out", "cross", "self_scores", "dot", "additive"], "name": "masked_attention"}


def masked_ids(rs, shape):
    ids = rs.randint(1, 9, size=(4, *shape))
    ids[np.arange(shape[0]) >= rs.randint(1, shape[0] + 1, size=4)[:, None]] = 0
    return ids.astype("int32")


@pytest.fixture(scope="module")
def masked(keras_reference):
    rs = np.random.RandomState(5)
    xs = [masked_ids(rs, s) for s in MASKED["inputs"].values()]
    y = rs.normal(size=(4, STEPS, 2)).astype("float32")
    training_spec = {**MASKED, "outputs": ["out"]}
    compile_fields = {"optimizer": {"class_name": "RMSprop", "config": {"learning_rate": 0.01}}, "loss": "mse"}
    model = build_model(numkeras, MASKED)
    randomize_weights(model, seed=4)
    weights = [w for layer in model.layers for w in layer.get_weights()]
    flat = model(xs)
    ours = {"outputs": [np.asarray(t) for t in flat], "masks": [t._keras_mask for t in flat]}
    trained = build_model(numkeras, training_spec)
    trained.set_weights(weights)
    trained.compile(optimizer=numkeras.optimizers.RMSprop(0.01), loss="mse")
    ours["logs"] = trained.evaluate(xs, y, batch_size=4, verbose=0, return_dict=True)
    trained.train_on_batch(xs, y)
    ours["weights"] = [w for layer in trained.layers for w in layer.get_weights()]
    ref = keras_reference
    ref.add("outputs", "masked", spec=MASKED, inputs=[ref.array(x) for x in xs], weights=[ref.array(w) for w in weights])
    ref.add("train", "masked", spec=training_spec, inputs=[ref.array(x) for x in xs],
            weights=[ref.array(w) for w in weights], compile=compile_fields,
            fit={"x": [ref.array(x) for x in xs], "y": [ref.array(y)], "batch_size": 4})
    return ours, ref.run()


def test_embedding_masks_through_attention_match_keras(masked):
    ours, theirs = masked
    expected = theirs["outputs"].outputs()
    assert len(ours["outputs"]) == len(expected)
    for i, (a, b) in enumerate(zip(ours["outputs"], expected)):
        assert_close(a, b, what=f"output {i}")
        keras_mask = theirs["outputs"].arrays.get(f"mask{i}")
        mine = ours["masks"][i]
        assert (mine is None) == (keras_mask is None), f"output {i}: numkeras mask {mine}, Keras's {keras_mask}"
        if keras_mask is not None:
            np.testing.assert_array_equal(np.asarray(mine), keras_mask, err_msg=f"mask {i}")
    # the comparison above compared masks: Keras's MultiHeadAttention output and scores carry the query's
    assert sorted(k for k in theirs["outputs"].arrays if k.startswith("mask")) == ["mask1", "mask2"]


def test_masked_loss_and_train_step_through_attention_match_keras(masked):
    ours, theirs = masked
    theirs["train"].check()
    for key, value in theirs["train"].meta["logs"].items():
        np.testing.assert_allclose(ours["logs"][key], value, rtol=1e-5, atol=1e-6, err_msg=key)
    for i, w in enumerate(ours["weights"]):
        assert_close(w, theirs["train"][f"weight{i}"], atol=1e-5, what=f"weight {i} after a train step")
