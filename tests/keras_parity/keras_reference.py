"""The Keras side of the parity tests: runs a batch of cases under real Keras 3 and writes the results.

Runs under `.venv-keras/bin/python` (Keras 3 on JAX, CPU), never under the test environment, so it
imports nothing from numkeras. The tests (see harness.py) write a request into a folder and start
this script once per test module, because importing Keras and JAX takes seconds:

    REQUEST_DIR/request.json   {"cases": [{"id": "...", "kind": "layer", ...}, ...]}
    REQUEST_DIR/inputs.npz     the arrays the cases name
    REQUEST_DIR/...            files the cases load (`.keras`, `.weights.h5`)

and it writes

    REQUEST_DIR/results.npz    arrays named "<case id>/<name>"
    REQUEST_DIR/results.json   {"<case id>": {"error": traceback or None, "meta": {...}}}

A case that raises is reported with its traceback and the others still run. The kinds are the
`run_<kind>` functions below; `build_model` and `randomize_weights` take the library as an argument
and serve the numkeras side of the tests too, so both sides build a model from one spec.

Example (from the repository root, after `make keras-venv`):

    .venv-keras/bin/python tests/keras_parity/keras_reference.py /tmp/some_request_dir
"""
import json
import os
import sys
import time
import traceback
import warnings

import numpy as np


def build_model(lib, spec):
    """Builds a model from a JSON spec with `lib` (the keras or the numkeras module).

    A Sequential spec: {"sequential": [input shape, [[class name, kwargs], ...]], "name": ...}.
    A functional spec: {"inputs": {name: shape}, "nodes": [[name, class name, kwargs, [input names]], ...],
    "outputs": [names] or {output key: name}} (one name gives that tensor, or a list of one with "list_outputs":
    true); a node whose class name is "Model" takes a nested spec as its kwargs. A node
    with one input gets a tensor, with several a list, unless its optional fifth entry says
    {"unpack": true} (MultiHeadAttention's layer(query, value)); that entry's "kwargs" go to the call,
    and its "outputs" (a list of names) name each output of a layer returning several. A dict among
    the input names gives call arguments made of tensors ({"initial_state": ["enc_h", "enc_c"]}).
    Layers are named after their nodes. A spec with "trainable": false gives a frozen model; a class
    name from `CUSTOM_LAYERS` gives that test layer.
    """
    model = _build_model(lib, spec)
    if spec.get("trainable") is False:
        model.trainable = False
    return model


def _build_model(lib, spec):
    if "sequential" in spec:
        shape, layer_specs = spec["sequential"]
        layers = [layer_from_spec(lib, cls, kwargs) for cls, kwargs in layer_specs]
        return lib.Sequential([lib.Input(tuple(shape)), *layers], name=spec.get("name", "sequential"))
    tensors = {name: lib.Input(tuple(shape), name=name) for name, shape in spec["inputs"].items()}
    for name, cls, kwargs, inputs, *call in spec["nodes"]:
        layer = build_model(lib, kwargs) if cls == "Model" else layer_from_spec(lib, cls, {"name": name, **kwargs})
        call = (call or [{}])[0]
        args = [tensors[i] for i in inputs if isinstance(i, str)]
        call_kwargs = {**call.get("kwargs", {}), **{k: [tensors[r] for r in refs] for d in inputs
                                                    if isinstance(d, dict) for k, refs in d.items()}}
        if call.get("unpack"):
            out = layer(*args, **call_kwargs)
        else:
            out = layer(args[0] if len(args) == 1 else args, **call_kwargs)
        tensors.update(zip(call["outputs"], out) if "outputs" in call else [(name, out)])
    if isinstance(spec["outputs"], dict):  # {output key: node name}: a model whose outputs are a dict
        outputs = {key: tensors[name] for key, name in spec["outputs"].items()}
    else:
        outputs = [tensors[name] for name in spec["outputs"]]
        outputs = outputs[0] if len(outputs) == 1 and not spec.get("list_outputs") else outputs
    return lib.Model([tensors[n] for n in spec["inputs"]], outputs, name=spec.get("name", "model"))


def layer_from_spec(lib, cls, kwargs):
    """`lib.layers.<cls>(**kwargs)`, where a kwarg {"layer": [class name, kwargs]} (or a list of them) is a
    layer built the same way: Bidirectional's layer, RNN's cell, StackedRNNCells' cells, TimeDistributed's layer."""
    def build(value):
        if isinstance(value, dict) and set(value) == {"layer"}:
            return layer_from_spec(lib, *value["layer"])
        if isinstance(value, list) and value and all(isinstance(v, dict) and set(v) == {"layer"} for v in value):
            return [build(v) for v in value]
        return value
    return layer_class(lib, cls)(**{k: build(v) for k, v in kwargs.items()})


def fix_dropout_masks(layer, dropout_masks, recurrent_dropout_masks):
    """Makes the recurrent `layer`'s cell use these masks (per gate: lists of (batch, n) arrays) instead of
    drawing its own, so that both libraries drop the same units."""
    layer.cell.get_dropout_mask = lambda step_input: dropout_masks
    layer.cell.get_recurrent_dropout_mask = lambda step_input: recurrent_dropout_masks


def layer_class(lib, name):
    """`lib.layers.<name>`, or the test layer `CUSTOM_LAYERS[name]` written against `lib`."""
    return CUSTOM_LAYERS[name](lib) if name in CUSTOM_LAYERS else getattr(lib.layers, name)


def weight_order_block(lib):
    """A subclassed layer with weights of its own (the non-trainable one created first) and two sublayers."""
    class WeightOrderBlock(lib.layers.Layer):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.d1 = lib.layers.Dense(units, name="d1")
            self.bn = lib.layers.BatchNormalization(name="bn")

        def build(self, input_shape):
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")
            self.scale = self.add_weight(shape=(self.units,), initializer="ones", name="scale")
            self.d1.build(tuple(input_shape))
            self.bn.build(tuple(input_shape[:-1]) + (self.units,))

        def call(self, x):
            return lib.ops.add(lib.ops.multiply(self.bn(self.d1(x)), self.scale), self.count)

    return WeightOrderBlock


CUSTOM_LAYERS = {"WeightOrderBlock": weight_order_block}


def find_layer(model, path):
    """The layer at "a/b/...": `get_layer` through models, attributes through other layers."""
    layer = model
    for name in path.split("/"):
        layer = layer.get_layer(name) if hasattr(layer, "get_layer") else getattr(layer, name)
    return layer


WEIGHT_LISTS = ("weights", "trainable_weights", "non_trainable_weights", "variables", "trainable_variables",
                "non_trainable_variables")


def weight_lists(model):
    """{list name: [[<layer>/<weight>, shape], ...]}: the six lists of `model`, in order. The path keeps its
    last two parts (Keras prefixes the names of enclosing Sequential models and layers, numkeras does not)."""
    return {attr: [["/".join(v.path.split("/")[-2:]), list(v.shape)] for v in getattr(model, attr)]
            for attr in WEIGHT_LISTS}


def random_weights(shapes_and_names, seed):
    """Arrays for weights of these shapes: uniform in [-1, 1), variances in [0.5, 1.5) so they stay valid."""
    rs = np.random.RandomState(seed)
    out = []
    for shape, name in shapes_and_names:
        w = rs.uniform(-1.0, 1.0, size=shape).astype("float32")
        out.append(np.abs(w) + 0.5 if "variance" in name else w)
    return out


def randomize_weights(model, seed):
    """Sets every weight of `model` (moving statistics included) from `random_weights`."""
    model.set_weights(random_weights([(tuple(w.shape), w.name) for w in model.weights], seed))


def slot_values(model, optimizer, to_numpy):
    """{"<layer>/<weight>": {slot name: value}} for the optimizer's slots of each trainable weight.

    Keys drop the model's name from the path (Keras puts a Sequential's name there, numkeras does not);
    slots are found by the name optimizers give them, "<weight path with _ for />_<slot>".
    """
    out = {}
    for v in model.trainable_weights:
        prefix = v.path.replace("/", "_") + "_"
        out["/".join(v.path.split("/")[-2:])] = {s.name[len(prefix):]: to_numpy(s).tolist()
                                                  for s in optimizer.variables if s.name.startswith(prefix)}
    return out


class Case:
    """One case of the request: its fields, the input arrays, and what it hands back."""

    def __init__(self, fields, arrays, folder):
        self.fields, self.arrays, self.folder = fields, arrays, folder
        self.outputs, self.meta = {}, {}

    def __getitem__(self, key):
        return self.fields[key]

    def get(self, key, default=None):
        return self.fields.get(key, default)

    def array(self, key):
        return None if key is None else self.arrays[key]

    def path(self, name):
        return os.path.join(self.folder, name)

    def put(self, name, value):
        self.outputs[name] = np.asarray(value)


def _np(x):
    import keras
    return np.asarray(keras.ops.convert_to_numpy(x))


def _put_outputs(case, y, prefix="out"):
    for i, t in enumerate(y if isinstance(y, (list, tuple)) else [y]):
        case.put(f"{prefix}{i}", _np(t))


def _inputs(case, key="inputs"):
    xs = [case.array(k) for k in case[key]]
    return xs[0] if len(xs) == 1 else xs


def run_layer(case):
    """A layer from class name and kwargs, weights set from arrays, called on the inputs."""
    import keras
    layer = getattr(keras.layers, case["class_name"])(**case["kwargs"])
    x = _inputs(case)
    if case.get("adapt"):
        layer.adapt(case.array(case["adapt"]))
    layer(x)  # builds the weights
    if case.get("weights") is not None:
        layer.set_weights([case.array(k) for k in case["weights"]])
    _put_outputs(case, layer(x, **case.get("call_kwargs", {})))
    for i, w in enumerate(layer.get_weights()):  # after the call: a training call moves the statistics
        case.put(f"weight{i}", w)


def run_layer_state_adapt(case):
    """A layer adapted through update_state + finalize_state (what adapt() runs, minus its tf.data check, which
    needs TensorFlow: Discretization), then called on the inputs."""
    import keras
    layer = getattr(keras.layers, case["class_name"])(**case["kwargs"])
    layer.update_state(case.array(case["adapt"]))
    layer.finalize_state()
    _put_outputs(case, layer(_inputs(case)))
    case.put("bin_boundaries", np.asarray(layer.bin_boundaries, dtype="float64"))


def run_sequence_layer(case):
    """A recurrent layer or wrapper from its spec, weights set, called with a mask and initial states if given;
    with "training", called in training mode and its weights after the call put after the outputs; with
    "dropout_masks" and "recurrent_dropout_masks", its cell drops with those masks."""
    import keras
    layer = layer_from_spec(keras, case["class_name"], case["kwargs"])
    x = _inputs(case)
    kwargs = {}
    if case.get("mask"):
        kwargs["mask"] = case.array(case["mask"]).astype(bool)
    if case.get("initial_state"):
        kwargs["initial_state"] = [case.array(k) for k in case["initial_state"]]
    layer(x, **kwargs)  # builds the weights
    layer.set_weights([case.array(k) for k in case["weights"]])
    if case.get("recurrent_dropout_masks"):
        fix_dropout_masks(layer, [case.array(k) for k in case["dropout_masks"]],
                          [case.array(k) for k in case["recurrent_dropout_masks"]])
    outputs = layer(x, training=bool(case.get("training")), **kwargs)
    if case.get("training"):
        outputs = (list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]) + layer.get_weights()
    _put_outputs(case, outputs)


def run_compiled_train_step(case):
    """A model from its spec with the given weights, compiled as asked, one `train_on_batch` (with the optional
    per-output "sample_weight", or the optional "class_weight" as [[class, weight], ...]); its logs as
    `log_<name>` and the weights after."""
    import keras
    model = build_model(keras, case["spec"])
    model.set_weights([case.array(k) for k in case["weights"]])
    model.compile(**compile_kwargs(keras, case["compile"]))
    weights = case.get("sample_weight")  # optional: a list of array keys, one per output
    sample_weight = None if weights is None else [case.array(k) for k in weights]
    class_weight = case.get("class_weight")  # pairs: JSON would turn the class keys into strings
    class_weight = None if class_weight is None else {int(k): float(v) for k, v in class_weight}
    logs = model.train_on_batch(*_xy(case, case["data"]), sample_weight=sample_weight, class_weight=class_weight,
                                return_dict=True)
    for name, value in logs.items():
        case.put(f"log_{name}", np.asarray(value))
    for i, w in enumerate(model.get_weights()):
        case.put(f"weight{i}", w)


def trainer_calls(lib, model, calls, array):
    """Runs `calls` on a compiled `model` of `lib` (keras or numkeras; both sides of the trainer parity tests):
    each {"method": fit|evaluate|train_on_batch|test_on_batch|predict, "x": [keys], "y": [keys] (optional),
    "sample_weight": key or [keys] (optional), "validation_data": {"x": ..., "y": ...} (optional), "kwargs": {...}}
    with `array(key)` giving the arrays. Returns (meta, arrays): per call i, meta["call<i>"] is the result's form
    (["float"], ["array"], ["list", n], ["dict", keys in order], ["history", keys in order, epochs]) with its
    values as arrays "call<i>_<j>", meta["events<i>"] what the callbacks saw (["train", epoch, [step of each
    on_train_batch_end], log keys], ["test", [steps], log keys], ["predict", step, rows]), meta["names<i>"]
    `metrics_names` after the call; arrays "weight<k>" the weights after all."""
    meta, arrays = {}, {}

    class Recorder(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events, self.batches = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self.batches = []

        def on_train_batch_end(self, batch, logs=None):
            self.batches.append(int(batch))

        def on_epoch_end(self, epoch, logs=None):
            self.events.append(["train", epoch, self.batches, list(logs)])

        def on_test_begin(self, logs=None):
            self.tests = []

        def on_test_batch_end(self, batch, logs=None):
            self.tests.append(int(batch))

        def on_predict_batch_end(self, batch, logs=None):
            self.events.append(["predict", int(batch), len(logs["outputs"])])

        def on_test_end(self, logs=None):
            self.events.append(["test", self.tests, list(logs or {})])

    def structure(keys):  # a list of array keys (one array alone), or a dict of them
        if isinstance(keys, dict):
            return {name: array(k) for name, k in keys.items()}
        values = [array(k) for k in keys]
        return values[0] if len(values) == 1 else values

    for i, call in enumerate(calls):
        method, kwargs = call["method"], dict(call.get("kwargs", {}))
        args = [structure(call["x"])] + ([structure(call["y"])] if call.get("y") else [])
        weights = call.get("sample_weight")
        if weights is not None:
            kwargs["sample_weight"] = structure(weights) if isinstance(weights, list) else array(weights)
        if "validation_data" in call:
            kwargs["validation_data"] = (structure(call["validation_data"]["x"]), structure(call["validation_data"]["y"]))
        recorder = Recorder()
        if method in ("fit", "evaluate", "predict"):
            kwargs.update(callbacks=[recorder], verbose=0)
        result = getattr(model, method)(*args, **kwargs)
        if method == "fit":
            meta[f"call{i}"] = ["history", list(result.history), list(result.epoch)]
            values = [np.asarray(v, "float64") for v in result.history.values()]
        elif isinstance(result, dict):
            meta[f"call{i}"] = ["dict", list(result)]
            values = list(result.values())
        elif isinstance(result, np.ndarray):
            meta[f"call{i}"] = ["array"]
            values = [result]
        elif isinstance(result, list):
            meta[f"call{i}"] = ["list", len(result)]
            values = result
        else:
            meta[f"call{i}"] = ["float"]
            values = [result]
        for j, value in enumerate(values):
            arrays[f"call{i}_{j}"] = np.asarray(value)
        meta[f"events{i}"] = recorder.events
        meta[f"names{i}"] = list(model.metrics_names)
    for k, w in enumerate(model.get_weights()):
        arrays[f"weight{k}"] = np.asarray(w)
    return meta, arrays


def run_trainer_calls(case):
    """A model from its spec with the given weights, compiled as asked, then `trainer_calls`."""
    import keras
    model = build_model(keras, case["spec"])
    model.set_weights([case.array(k) for k in case["weights"]])
    model.compile(**compile_kwargs(keras, case["compile"]))
    meta, arrays = trainer_calls(keras, model, case["calls"], case.array)
    case.meta.update(meta)
    for name, value in arrays.items():
        case.put(name, value)


def run_attention(case):
    """An attention layer called on [query, value(, key)] (as a list, or as arguments when "unpack"), with
    masks: "masks" {call argument: array} (a list under "mask"), "query_keras_mask" set on the query."""
    import keras
    from keras.src.backend import set_keras_mask
    layer = getattr(keras.layers, case["class_name"])(**case["kwargs"])
    masks = {k: ([case.array(a) for a in v] if isinstance(v, list) else case.array(v))
             for k, v in case.get("masks", {}).items()}

    def call():
        xs = [keras.ops.convert_to_tensor(case.array(k)) for k in case["inputs"]]
        if case.get("query_keras_mask"):  # MultiHeadAttention reads the query's mask from the tensor itself
            set_keras_mask(xs[0], keras.ops.convert_to_tensor(case.array(case["query_keras_mask"])))
        kwargs = {**masks, **case.get("call_kwargs", {})}
        return layer(*xs, **kwargs) if case.get("unpack") else layer(xs, **kwargs)
    call()  # builds the weights
    layer.set_weights([case.array(k) for k in case["weights"]])
    _put_outputs(case, call())


def run_train_step(case):
    """A model from a spec, weights set, one `train_on_batch` with SGD(learning_rate) on mse: the weights after."""
    import keras
    model = build_model(keras, case["spec"])
    model.set_weights([case.array(k) for k in case["weights"]])
    model.compile(optimizer=keras.optimizers.SGD(case["learning_rate"]), loss="mse")
    model.train_on_batch(*_xy(case, case))
    for i, w in enumerate(model.get_weights()):
        case.put(f"weight{i}", w)


def run_loss(case):
    """A loss class from name and kwargs on y_true, y_pred, sample_weight; or a function of keras.<module>."""
    import keras
    obj = getattr(getattr(keras, case.get("module", "losses")), case["class_name"])
    args = [case.array(case["y_true"]), case.array(case["y_pred"])]
    if case.get("function"):
        case.put("out", _np(obj(*args, **case.get("kwargs", {}))))
    else:
        case.put("out", _np(obj(**case["kwargs"])(*args, sample_weight=case.array(case.get("sample_weight")))))


def run_metric(case):
    """A metric updated with each batch (y_true, y_pred, sample_weight; Mean and Sum take values), then result()."""
    import keras
    metric = getattr(keras.metrics, case["class_name"])(**case["kwargs"])
    for batch in case["batches"]:
        args = [case.array(k) for k in batch["args"]]
        metric.update_state(*args, sample_weight=case.array(batch.get("sample_weight")))
    case.put("out", _np(metric.result()))


def run_masked(case):
    """A model from a spec with given weights, called on the inputs: its outputs and the masks they carry; with
    `compile`, evaluate's logs on the `fit` data and the weights after one train_on_batch on it."""
    import keras
    from keras.src.backend import get_keras_mask
    model = build_model(keras, case["spec"])
    model.set_weights([case.array(k) for k in case["weights"]])
    y = model(_inputs(case))
    for i, t in enumerate(y if isinstance(y, (list, tuple)) else [y]):
        case.put(f"out{i}", _np(t))
        if get_keras_mask(t) is not None:
            case.put(f"mask{i}", _np(get_keras_mask(t)))
    if case.get("compile"):
        model.compile(**compile_kwargs(keras, case["compile"]))
        x, y_true = _xy(case, case["fit"])
        logs = model.evaluate(x, y_true, batch_size=case["fit"]["batch_size"], verbose=0, return_dict=True)
        case.meta["logs"] = {k: float(v) for k, v in logs.items()}
        model.train_on_batch(x, y_true)
        for i, w in enumerate(model.get_weights()):
            case.put(f"weight{i}", w)


def run_weight_order(case):
    """A model from a spec, layers then (un)frozen by "toggles" [[layer path, trainable], ...]: its weight lists
    (meta "lists"); outputs on the inputs after set_weights(given weights) ("out"), and, from its own random
    weights (seed 5), get_weights() ("kw0", ...) and the outputs ("kout")."""
    import keras
    model = build_model(keras, case["spec"])
    for path, trainable in case.get("toggles", []):
        find_layer(model, path).trainable = trainable
    case.meta["lists"] = weight_lists(model)
    model.set_weights([case.array(k) for k in case["weights"]])
    for i, w in enumerate(model.get_weights()):
        case.put(f"back{i}", w)
    _put_outputs(case, model(_inputs(case), training=False))
    randomize_weights(model, 5)
    for i, w in enumerate(model.get_weights()):
        case.put(f"kw{i}", w)
    _put_outputs(case, model(_inputs(case), training=False), prefix="kout")


def optimizer_kwargs(lib, kwargs):
    """The kwargs with a learning-rate schedule given as {"class_name": ..., "config": ...} made into one."""
    if isinstance(kwargs.get("learning_rate"), dict):
        return {**kwargs, "learning_rate": lib.optimizers.schedules.deserialize(kwargs["learning_rate"])}
    return kwargs


def run_optimizer(case):
    """Steps of `apply_gradients` from given variables and gradients; the variables after each, slots after all."""
    import keras
    opt = getattr(keras.optimizers, case["class_name"])(**optimizer_kwargs(keras, case["kwargs"]))
    variables = [keras.Variable(case.array(k)) for k in case["variables"]]
    for step, grads in enumerate(case["gradients"]):
        opt.apply_gradients(zip([case.array(k) for k in grads], variables))
        for i, v in enumerate(variables):
            case.put(f"step{step}/var{i}", _np(v))
    for i, v in enumerate(opt.variables):
        case.put(f"opt{i}", _np(v))


COMPILE_KEYS = ("loss", "loss_weights", "metrics")  # what a `.keras` file's compile_config must carry across


def _xy(case, fields):
    xs, ys = [case.array(k) for k in fields["x"]], [case.array(k) for k in fields["y"]]
    return xs[0] if len(xs) == 1 else xs, ys[0] if len(ys) == 1 else ys


def _describe(case, model):
    """Outputs on the inputs; with an optimizer its iterations and slots; then, if asked, one more train step."""
    _put_outputs(case, model(_inputs(case), training=False))
    if getattr(model, "optimizer", None) is not None and model.optimizer.built:
        case.meta["iterations"] = int(_np(model.optimizer.iterations))
        case.meta["slots"] = slot_values(model, model.optimizer, _np)
        config = model.get_compile_config()
        case.meta["compiled"] = {k: config.get(k) for k in COMPILE_KEYS}
    if case.get("train_after"):
        model.train_on_batch(*_xy(case, case["train_after"]))
        _put_outputs(case, model(_inputs(case), training=False), prefix="after")


def run_save(case):
    """Builds the spec, sets random weights, maybe compiles and fits, saves `.keras` and `.weights.h5`."""
    import keras
    keras.utils.set_random_seed(case.get("seed", 0))
    model = build_model(keras, case["spec"])
    randomize_weights(model, case.get("seed", 0))
    if case.get("compile"):
        model.compile(**compile_kwargs(keras, case["compile"]))
        model.fit(*_xy(case, case["fit"]), epochs=case["fit"]["epochs"], batch_size=case["fit"]["batch_size"],
                  shuffle=False, verbose=0)
    model.save(case.path(case["file"]))
    model.save_weights(case.path(case["weights_file"]))
    _describe(case, model)


def run_load(case):
    """Loads a `.keras` file, or builds the spec and loads a `.weights.h5` into it, and calls it."""
    import keras
    if case.get("spec"):
        model = build_model(keras, case["spec"])
        model.load_weights(case.path(case["file"]))
    else:
        model = keras.saving.load_model(case.path(case["file"]))
    _describe(case, model)


def run_function(case):
    """`keras.<path>(*args, **kwargs)` for a dotted `path` ("ops.ctc_loss", "random.normal"); each argument an
    array key ({"array": key}) or a JSON value; the result (or each result of a tuple) as out0, out1, ...,
    with its dtype in meta."""
    import keras
    fn = keras
    for part in case["path"].split("."):
        fn = getattr(fn, part)
    unpack = lambda v: case.array(v["array"]) if isinstance(v, dict) and "array" in v else v  # noqa: E731
    out = fn(*[unpack(a) for a in case.get("args", [])], **{k: unpack(v) for k, v in case.get("kwargs", {}).items()})
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    for i, o in enumerate(outs):
        case.put(f"out{i}", _np(o))
    case.meta["dtypes"] = [keras.backend.standardize_dtype(o.dtype) for o in outs]


def run_op(case):
    """One `keras.ops` function on encoded arguments (ops_reference.py, beside this script, decodes them)."""
    from ops_reference import run_op as run
    run(case)


def run_op_gradient(case):
    """An op's gradient under JAX (ops_reference.py)."""
    from ops_reference import run_op_gradient as run
    run(case)


def run_legacy_tokenizer(case):
    """Keras 2's Tokenizer (Keras 3 keeps it in keras.src.legacy): fitted on "texts" (or "sequences"), then
    its vocabulary, counts, the sequences of "queries" and back, a matrix per mode, and the same after a JSON trip."""
    from keras.src.legacy.preprocessing.text import Tokenizer, hashing_trick, tokenizer_from_json
    tokenizer = Tokenizer(**case["kwargs"])
    if case.get("texts") is not None:
        tokenizer.fit_on_texts(case["texts"])
    if case.get("sequences") is not None:
        tokenizer.fit_on_sequences(case["sequences"])
    restored = tokenizer_from_json(tokenizer.to_json())
    sequences = tokenizer.texts_to_sequences(case["queries"])
    case.meta.update(word_index=tokenizer.word_index, word_counts=dict(tokenizer.word_counts),
                     word_docs=dict(tokenizer.word_docs), index_docs=dict(tokenizer.index_docs),
                     document_count=tokenizer.document_count, sequences=sequences,
                     texts=tokenizer.sequences_to_texts(sequences + case.get("extra_sequences", [])),
                     restored_sequences=restored.texts_to_sequences(case["queries"]),
                     md5=[hashing_trick(q, 11, hash_function="md5") for q in case["queries"] if isinstance(q, str)])
    for mode in ("binary", "count", "tfidf", "freq"):
        case.put(mode, tokenizer.texts_to_matrix(case["queries"], mode=mode))
        case.put(f"restored_{mode}", restored.texts_to_matrix(case["queries"], mode=mode))


def run_index_directory(case):
    """Keras's file indexing for its *_dataset_from_directory loaders (no TensorFlow needed): the files, labels
    and class names found under "directory", and the training/validation split of them."""
    from keras.src.utils import dataset_utils
    kwargs = {**case["kwargs"], "formats": tuple(case["kwargs"]["formats"])}  # JSON made the tuple a list
    paths, labels, class_names = dataset_utils.index_directory(case["directory"], **kwargs)
    case.meta.update(paths=paths, class_names=class_names,
                     labels=None if labels is None else [int(v) for v in labels])
    if case.get("validation_split"):
        for subset in ("training", "validation"):
            part, part_labels = dataset_utils.get_training_or_validation_split(paths, labels,
                                                                               case["validation_split"], subset)
            case.meta[subset] = part


def run_image_data_generator(case):
    """Keras 2's ImageDataGenerator (keras.src.legacy; SciPy resamples): the transforms of "image" by fixed
    "transforms", the parameters drawn for "seeds", and `next()` batches of `flow` or `flow_from_directory`."""
    from keras.src.legacy.preprocessing.image import ImageDataGenerator
    gen = ImageDataGenerator(**case["kwargs"])
    if case.get("fit"):
        gen.fit(case.array(case["fit"]))
    image = case.array(case.get("image"))
    for i, params in enumerate(case.get("transforms") or []):
        case.put(f"transform{i}", gen.apply_transform(image.copy(), params))
    if case.get("seeds"):
        case.put("params", [[float(v) for v in gen.get_random_transform(image.shape, seed=s).values()]
                            for s in case["seeds"]])
    if case.get("flow"):
        fields = case["flow"]
        iterator = gen.flow(case.array(fields["x"]), case.array(fields.get("y")), **fields["kwargs"])
    elif case.get("directory"):
        # This environment has no Pillow: the images come decoded (by load_img, in the test's environment),
        # keyed by their path under the directory; the iterator's indexing, labels, shuffling and
        # augmentation are Keras's own.
        from keras.src.legacy.preprocessing import image as legacy_image
        decoded = {name: case.array(key) for name, key in case["decoded"].items()}
        def load_img(path, **kwargs):
            return decoded[os.path.relpath(path, case["directory"])].copy()  # standardize() works in place
        legacy_image.image_utils.load_img = load_img
        kwargs = dict(case["directory_kwargs"])
        if "target_size" in kwargs:
            kwargs["target_size"] = tuple(kwargs["target_size"])
        iterator = gen.flow_from_directory(case["directory"], **kwargs)
        case.meta.update(class_indices=iterator.class_indices, filenames=iterator.filenames,
                         classes=[int(c) for c in iterator.classes], samples=iterator.samples)
    else:
        return
    case.meta["length"] = len(iterator)
    for i in range(case["batches"]):
        batch = next(iterator)
        for j, part in enumerate(batch if isinstance(batch, tuple) else (batch,)):
            case.put(f"batch{i}_{j}", part)


def compile_kwargs(lib, fields):
    """compile()'s kwargs from JSON: the optimizer as {"class_name": ..., "config": ...} or a name."""
    return {**fields, "optimizer": lib.optimizers.get(fields["optimizer"])}


def main(folder):
    with open(os.path.join(folder, "request.json")) as f:
        request = json.load(f)
    with np.load(os.path.join(folder, "inputs.npz")) as f:
        arrays = dict(f)
    import keras
    assert keras.backend.backend() == "jax", f"run with KERAS_BACKEND=jax; got {keras.backend.backend()!r}"
    results, report = {}, {}
    runners = {name[len("run_"):]: fn for name, fn in globals().items() if name.startswith("run_")}
    for fields in request["cases"]:
        case, start = Case(fields, arrays, folder), time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:  # e.g. Keras skipping a file's variables
                warnings.simplefilter("always")
                warnings.simplefilter("ignore", DeprecationWarning)  # Keras's own Variable.__array__ under NumPy 2
                runners[fields["kind"]](case)
            case.meta["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
            case.meta["seconds"] = round(time.perf_counter() - start, 3)  # to find what makes a module slow
            report[fields["id"]] = {"error": None, "meta": case.meta}
            results.update({f"{fields['id']}/{k}": v for k, v in case.outputs.items()})
        except Exception:  # reported per case; the test of that case fails with it
            report[fields["id"]] = {"error": traceback.format_exc(), "meta": case.meta}
    np.savez(os.path.join(folder, "results.npz"), **results)
    with open(os.path.join(folder, "results.json"), "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    main(sys.argv[1])
