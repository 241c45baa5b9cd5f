"""`.keras` and `.weights.h5` files move between numkeras and Keras, both ways, for every layer family.

Each model below is one spec (see `keras_reference.build_model`) built by both libraries. numkeras
builds it, draws every weight (moving statistics included), saves `.keras` and `.weights.h5`;
Keras loads both (the weights into its own build of the spec), without a warning, and must give
numkeras's outputs. Keras does the same from its side and numkeras loads (a numkeras warning is an
error under the test settings). The compiled models are trained a few steps
first: their optimizer state (iterations, every slot of every weight) must cross too, and one more
training step after loading must give both libraries the same weights. One Keras process runs all.
"""
import numpy as np
import pytest

import numkeras
from keras_parity import rnn_cases
from keras_parity.categorical_test import NEEDS_TENSORFLOW
from keras_parity.harness import assert_close
from keras_parity.keras_reference import COMPILE_KEYS, build_model, compile_kwargs, randomize_weights, slot_values
from numkeras.saving import load_model
from numkeras.saving.compile_config import get_compile_config


def seq(input_shape, *layers):
    return {"sequential": [list(input_shape), [[cls, kwargs] for cls, kwargs in layers]]}


MODELS = {
    "core": seq((6,), ("Dense", {"units": 5, "activation": "relu"}), ("Dropout", {"rate": 0.3}),
                ("Activation", {"activation": "tanh"}), ("Reshape", {"target_shape": [5, 1]}), ("Flatten", {}),
                ("Dense", {"units": 3, "activation": "softmax", "use_bias": False})),
    "einsum_dense": seq((4, 6), ("EinsumDense", {"equation": "abc,cde->abde", "output_shape": [4, 2, 3],
                                                 "bias_axes": "de", "activation": "relu"}),
                        ("EinsumDense", {"equation": "abcd,cde->abe", "output_shape": [4, 5]}), ("Flatten", {}),
                        ("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 2, "bias_axes": "c"})),
    "activations": seq((6,), ("Dense", {"units": 6}), ("ELU", {"alpha": 0.5}), ("LeakyReLU", {"negative_slope": 0.2}),
                       ("PReLU", {}), ("ReLU", {"max_value": 2.0}), ("Softmax", {})),
    "conv1d": seq((9, 3), ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "same"}),
                  ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}),
                  ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}),
                  ("SeparableConv1D", {"filters": 4, "kernel_size": 3}), ("SpatialDropout1D", {"rate": 0.5}),
                  ("MaxPooling1D", {"pool_size": 2}), ("AveragePooling1D", {"pool_size": 2}),
                  ("GlobalAveragePooling1D", {})),
    "conv2d": seq((8, 8, 3), ("Conv2D", {"filters": 4, "kernel_size": 3, "activation": "relu"}),
                  ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}),
                  ("DepthwiseConv2D", {"kernel_size": 3}), ("SeparableConv2D", {"filters": 4, "kernel_size": 3}),
                  ("SpatialDropout2D", {"rate": 0.5}), ("MaxPooling2D", {"pool_size": 2}),
                  ("AveragePooling2D", {"pool_size": 2}), ("GlobalMaxPooling2D", {})),
    "conv3d": seq((5, 5, 5, 2), ("Conv3D", {"filters": 3, "kernel_size": 2}),
                  ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}),
                  ("SpatialDropout3D", {"rate": 0.5}), ("MaxPooling3D", {"pool_size": 2}),
                  ("AveragePooling3D", {"pool_size": 2}), ("GlobalAveragePooling3D", {})),
    "global_pooling": {
        "inputs": {"x1": [5, 3], "x2": [4, 4, 3], "x3": [3, 3, 3, 2]},
        "nodes": [["gmp1", "GlobalMaxPooling1D", {}, ["x1"]], ["gap2", "GlobalAveragePooling2D", {}, ["x2"]],
                  ["gmp3", "GlobalMaxPooling3D", {}, ["x3"]], ["cat", "Concatenate", {}, ["gmp1", "gap2", "gmp3"]],
                  ["out", "Dense", {"units": 2}, ["cat"]]],
        "outputs": ["out"], "name": "global_pooling"},
    "normalization": seq((4, 6), ("BatchNormalization", {}), ("LayerNormalization", {}),
                         ("GroupNormalization", {"groups": 3}), ("BatchNormalization", {"axis": 1}),
                         ("Flatten", {}), ("Dense", {"units": 2})),
    "merging": {
        "inputs": {"a": [4], "b": [4], "c": [3]},
        "nodes": [["add", "Add", {}, ["a", "b"]], ["subtract", "Subtract", {}, ["a", "b"]],
                  ["multiply", "Multiply", {}, ["a", "b", "add"]], ["average", "Average", {}, ["a", "b"]],
                  ["maximum", "Maximum", {}, ["a", "b", "subtract"]], ["minimum", "Minimum", {}, ["a", "b"]],
                  ["dot", "Dot", {"axes": 1, "normalize": True}, ["a", "b"]],
                  ["inner", "Model", {"inputs": {"inner_in": [3]}, "nodes": [
                      ["inner_dense", "Dense", {"units": 2}, ["inner_in"]]], "outputs": ["inner_dense"],
                      "name": "inner"}, ["c"]],
                  ["cat", "Concatenate", {}, ["add", "subtract", "multiply", "average", "maximum", "minimum", "dot",
                                              "inner"]],
                  ["out", "Dense", {"units": 3}, ["cat"]]],
        "outputs": ["out"], "name": "merging"},
    "regularization": seq((6,), ("Dense", {"units": 4}), ("ActivityRegularization", {"l1": 0.01}),
                          ("GaussianDropout", {"rate": 0.3}), ("GaussianNoise", {"stddev": 0.2}),
                          ("Dropout", {"rate": 0.5}), ("Dense", {"units": 2})),
    "reshaping1d": seq((5, 3), ("ZeroPadding1D", {"padding": 2}), ("Cropping1D", {"cropping": (1, 2)}),
                       ("UpSampling1D", {"size": 2}), ("Permute", {"dims": (2, 1)}), ("Flatten", {}),
                       ("RepeatVector", {"n": 2}), ("Reshape", {"target_shape": (8, 9)})),
    "reshaping2d3d": seq((4, 6, 2), ("ZeroPadding2D", {"padding": ((1, 0), (2, 1))}),
                         ("Cropping2D", {"cropping": ((1, 1), (0, 2))}), ("UpSampling2D", {"size": 2}),
                         ("Reshape", {"target_shape": (6, 14, 2, 1)}), ("ZeroPadding3D", {"padding": 1}),
                         ("Cropping3D", {"cropping": ((1, 1), (2, 2), (0, 1))}), ("UpSampling3D", {"size": (1, 1, 2)})),
    "preprocessing": seq((8, 8, 3), ("Rescaling", {"scale": 2.0, "offset": -1.0}),
                         ("Normalization", {"mean": [0.1, 0.0, -0.1], "variance": [1.0, 2.0, 0.5]}),
                         ("Resizing", {"height": 6, "width": 6}), ("CenterCrop", {"height": 4, "width": 4}),
                         ("RandomFlip", {}), ("RandomRotation", {"factor": 0.1}),
                         ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1}),
                         ("RandomZoom", {"height_factor": 0.1}), ("RandomContrast", {"factor": 0.2}),
                         ("RandomCrop", {"height": 4, "width": 4})),  # as big as its input: no crop either side
    "categorical": seq((5,), ("Discretization", {"bin_boundaries": [-0.5, 0.0, 0.5]}),
                       ("CategoryEncoding", {"num_tokens": 4, "output_mode": "count"}), ("Dense", {"units": 2})),
    "sequence": seq((6,), ("Embedding", {"input_dim": 10, "output_dim": 4, "mask_zero": True}),
                    ("Masking", {"mask_value": 0.0}), ("Dense", {"units": 3, "activation": "tanh"}),
                    ("GlobalAveragePooling1D", {}), ("Dense", {"units": 2})),
}
COMPILED = {  # name -> (spec, compile kwargs, targets' shapes); trained 2 epochs of 2 batches, then saved
    "compiled_sequential": (
        seq((4,), ("Dense", {"units": 8, "activation": "relu"}), ("BatchNormalization", {}),
            ("Dense", {"units": 3, "activation": "softmax"})),
        {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}}, "loss": "categorical_crossentropy",
         "metrics": ["accuracy"]},
        [(3,)]),
    "compiled_functional": (
        {"inputs": {"a": [4], "b": [3]},
         "nodes": [["d1", "Dense", {"units": 5}, ["a"]],
                   ["inner", "Model", {"inputs": {"inner_in": [3]}, "nodes": [
                       ["b1", "Dense", {"units": 3, "activation": "tanh"}, ["inner_in"]],
                       ["b2", "Dense", {"units": 3}, ["b1"]]], "outputs": ["b2"], "name": "inner"}, ["b"]],
                   ["cat", "Concatenate", {}, ["d1", "inner"]],
                   ["o1", "Dense", {"units": 2}, ["cat"]], ["o2", "Dense", {"units": 1}, ["cat"]]],
         "outputs": ["o1", "o2"], "name": "fun"},
        {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.05, "momentum": 0.9}},
         "loss": ["mse", "mae"], "loss_weights": [1.0, 0.5], "metrics": [["mae"], ["mse"]]},
        [(2,), (1,)]),
    "compiled_rmsprop": (
        seq((5, 2), ("Conv1D", {"filters": 3, "kernel_size": 2}), ("LayerNormalization", {}), ("Flatten", {}),
            ("Dense", {"units": 1})),
        {"optimizer": {"class_name": "RMSprop", "config": {"learning_rate": 0.01, "centered": True,
                                                           "momentum": 0.5}}, "loss": "mse"},
        [(1,)]),
    "compiled_attention": (
        {"inputs": {"q": [4, 6], "v": [5, 6]},
         "nodes": [["mha", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, ["q", "v"], {"unpack": True}],
                   ["self_mha", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2, "value_dim": 2,
                                                       "output_shape": 3}, ["q", "q", "q"],
                    {"unpack": True, "kwargs": {"use_causal_mask": True}}],
                   ["att", "Attention", {"use_scale": True, "score_mode": "concat"}, ["q", "v"]],
                   ["additive", "AdditiveAttention", {}, ["q", "v", "v"]],
                   ["cat", "Concatenate", {}, ["mha", "self_mha", "att", "additive"]],
                   ["out", "EinsumDense", {"equation": "abc,cd->abd", "output_shape": [4, 2], "bias_axes": "d"},
                    ["cat"]]],
         "outputs": ["out"], "name": "attention"},
        {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}}, "loss": "mse"},
        [(4, 2)]),
    "compiled_masked": (
        seq((5,), ("Embedding", {"input_dim": 8, "output_dim": 3, "mask_zero": True}),
            ("Dense", {"units": 3, "activation": "softmax"})),
        {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}},
         "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
        [(5,)]),
}
MODELS.update(rnn_cases.SAVED_MODELS)
COMPILED.update(rnn_cases.SAVED_COMPILED)
IDS = {"sequence": 10, "compiled_masked": 8}  # models fed zero-padded ids: name -> vocabulary size
IDS.update(rnn_cases.SAVED_IDS)
NAMES = list(MODELS) + list(COMPILED)
BATCH = 6


def spec_of(name):
    return MODELS[name] if name in MODELS else COMPILED[name][0]


def input_shapes(spec):
    return [spec["sequential"][0]] if "sequential" in spec else list(spec["inputs"].values())


def data(name):
    """Inputs (and for compiled models targets) for model `name`: batches of BATCH."""
    rs = np.random.RandomState(sum(map(ord, name)))
    xs = [rs.uniform(-1.0, 1.0, (BATCH, *s)).astype("float32") for s in input_shapes(spec_of(name))]
    if name in IDS:  # ids with zero padding after lengths 1..steps
        steps = input_shapes(spec_of(name))[0][0]
        ids = rs.randint(1, IDS[name], (BATCH, steps))
        ids[np.arange(steps) >= rs.randint(1, steps + 1, BATCH)[:, None]] = 0
        xs = [ids.astype("int32")]
    if name not in COMPILED:
        return xs, []
    ys = [rs.uniform(0.0, 1.0, (BATCH, *s)).astype("float32") for s in COMPILED[name][2]]
    if COMPILED[name][1]["loss"] == "categorical_crossentropy":
        ys = [np.eye(3, dtype="float32")[rs.randint(0, 3, BATCH)]]
    if COMPILED[name][1]["loss"] == "sparse_categorical_crossentropy":
        ys = [rs.randint(0, 3, (BATCH, *COMPILED[name][2][0])).astype("int32")]
    return xs, ys


def one(values):
    return values[0] if len(values) == 1 else values


def outputs(model, xs):
    y = model.predict(one(xs), verbose=0)
    return [np.asarray(t) for t in (y if isinstance(y, (list, tuple)) else [y])]


def numkeras_model(name):
    """numkeras's model for `name`: built, weights drawn, compiled and trained where the name says so."""
    numkeras.utils.set_random_seed(1)
    model = build_model(numkeras, spec_of(name))
    randomize_weights(model, seed=1)
    if name in COMPILED:
        xs, ys = data(name)
        model.compile(**compile_kwargs(numkeras, COMPILED[name][1]))
        model.fit(one(xs), one(ys), epochs=2, batch_size=BATCH // 2, shuffle=False, verbose=0)
    return model


@pytest.fixture(scope="module")
def saved(keras_reference):
    """numkeras saves every model; Keras loads those files and saves its own; results by model name."""
    ref, folder, ours = keras_reference, keras_reference.folder, {}
    for name in NAMES:
        xs, ys = data(name)
        inputs = [ref.array(x) for x in xs]
        train = {"x": inputs, "y": [ref.array(y) for y in ys]} if name in COMPILED else None
        ref.add(f"save-{name}", "save", spec=spec_of(name), seed=2, inputs=inputs, file=f"k_{name}.keras",
                weights_file=f"k_{name}.weights.h5", train_after=train,
                **({"compile": COMPILED[name][1], "fit": {**train, "epochs": 2, "batch_size": BATCH // 2}}
                   if name in COMPILED else {}))
        try:  # a failure is this model's tests' to report, not the whole module's
            model = numkeras_model(name)
            model.save(f"{folder}/nk_{name}.keras")
            model.save_weights(f"{folder}/nk_{name}.weights.h5")
            ours[name] = {"outputs": outputs(model, xs)}
            if name in COMPILED:
                ours[name]["iterations"] = int(model.optimizer.iterations.numpy())
                ours[name]["slots"] = slot_values(model, model.optimizer, lambda v: np.asarray(v.numpy()))
                config = get_compile_config(model)
                ours[name]["compiled"] = {k: config.get(k) for k in COMPILE_KEYS}
                model.train_on_batch(one(xs), one(ys))
                ours[name]["after"] = outputs(model, xs)
        except Exception as e:
            ours[name] = e
            continue
        ref.add(f"load-{name}", "load", file=f"nk_{name}.keras", inputs=inputs, train_after=train)
        ref.add(f"weights-{name}", "load", file=f"nk_{name}.weights.h5", spec=spec_of(name), inputs=inputs)
    return folder, ours, ref.run()


def ours_for(saved, name):
    if isinstance(saved[1][name], Exception):
        raise saved[1][name]
    return saved[1][name]


# One more training step (forward, backward, Adam's update) in each library's own float32 order leaves
# compiled_sequential's softmax outputs up to ~7e-6 apart, where forward passes alone meet the default
# bound; a lost slot or a different update rule moves them by 1e-3 or more.
TRAIN_STEP_TOL = {"rtol": 1e-5, "atol": 2e-5}


def assert_outputs(ours, theirs, what, **tolerance):
    assert len(ours) == len(theirs), f"{what}: numkeras has {len(ours)} outputs, Keras {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, what=f"{what}: output {i}", **tolerance)


def assert_same_slots(ours, theirs, what):
    assert ours and all(ours.values()), f"{what}: no optimizer slots found in {ours}"
    assert sorted(ours) == sorted(theirs), f"{what}: weights with slots differ"
    for weight in ours:
        assert sorted(ours[weight]) == sorted(theirs[weight]), f"{what}: {weight}'s slots differ"
        for slot in ours[weight]:
            assert_close(np.asarray(ours[weight][slot], "float32"), np.asarray(theirs[weight][slot], "float32"),
                         what=f"{what}: {weight} {slot}")


@pytest.mark.parametrize("name", NAMES)
def test_numkeras_file_loads_in_keras(saved, name):
    ours, theirs = ours_for(saved, name), saved[2][f"load-{name}"]
    assert_outputs(ours["outputs"], theirs.outputs(), f"{name}: Keras on numkeras's .keras")
    assert theirs.meta["warnings"] == [], f"{name}: Keras warned loading numkeras's .keras"
    if name in COMPILED:
        assert theirs.meta["iterations"] == ours["iterations"] == 4
        assert theirs.meta["compiled"] == ours["compiled"]
        assert_same_slots(ours["slots"], theirs.meta["slots"], name)
        assert_outputs(ours["after"], theirs.outputs("after"), f"{name}: one more train step after loading",
                       **TRAIN_STEP_TOL)


@pytest.mark.parametrize("name", NAMES)
def test_numkeras_weights_file_loads_in_keras(saved, name):
    ours, theirs = ours_for(saved, name), saved[2][f"weights-{name}"]
    assert_outputs(ours["outputs"], theirs.outputs(), f"{name}: Keras with numkeras's .weights.h5")
    assert theirs.meta["warnings"] == [], f"{name}: Keras warned loading numkeras's .weights.h5"


@pytest.mark.parametrize("name", NAMES)
def test_keras_file_loads_in_numkeras(saved, name):
    folder, theirs = saved[0], saved[2][f"save-{name}"].check()
    model = load_model(f"{folder}/k_{name}.keras")
    xs, ys = data(name)
    assert_outputs(outputs(model, xs), theirs.outputs(), f"{name}: numkeras on Keras's .keras")
    if name in COMPILED:
        assert int(model.optimizer.iterations.numpy()) == theirs.meta["iterations"] == 4
        assert type(model.optimizer).__name__ == COMPILED[name][1]["optimizer"]["class_name"]
        config = get_compile_config(model)
        assert {k: config.get(k) for k in COMPILE_KEYS} == theirs.meta["compiled"]
        assert_same_slots(slot_values(model, model.optimizer, lambda v: np.asarray(v.numpy())), theirs.meta["slots"],
                          name)
        model.train_on_batch(one(xs), one(ys))
        assert_outputs(outputs(model, xs), theirs.outputs("after"), f"{name}: one more train step after loading",
                       **TRAIN_STEP_TOL)


@pytest.mark.parametrize("name", NAMES)
def test_keras_weights_file_loads_in_numkeras(saved, name):
    folder, theirs = saved[0], saved[2][f"save-{name}"].check()
    model = build_model(numkeras, spec_of(name))
    model.load_weights(f"{folder}/k_{name}.weights.h5")
    assert_outputs(outputs(model, data(name)[0]), theirs.outputs(), f"{name}: numkeras with Keras's .weights.h5")


def layer_classes(spec):
    if "sequential" in spec:
        return set().union(*(rnn_cases.classes_in(cls, kwargs) for cls, kwargs in spec["sequential"][1]))
    return set().union(*(rnn_cases.classes_in(cls, kwargs) if cls != "Model" else layer_classes(kwargs)
                         for _, cls, kwargs, *_ in spec["nodes"]))


def test_every_layer_crosses_in_a_file():
    not_saved = {"Layer", "InputLayer", "KerasTensor", "Lambda"}  # Lambda's Python code cannot cross to Keras
    # Keras 3 runs these only with TensorFlow; their .keras files were crossed by hand with Keras 3.15.1 on
    # TensorFlow 2.21 (TextVectorization int and tf_idf models, both ways: the same predictions).
    not_saved |= set(NEEDS_TENSORFLOW)
    public = {getattr(numkeras.layers, n) for n in numkeras.layers.__all__ if n[0].isupper() and n not in not_saved}
    saved = {getattr(numkeras.layers, cls) for name in NAMES for cls in layer_classes(spec_of(name))}
    missing = sorted(cls.__name__ for cls in public - saved if isinstance(cls, type))
    assert not missing, f"layers in no model of tests/keras_parity/saving_test.py: {missing}"
