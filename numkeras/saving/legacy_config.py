"""Model configs as Keras 2 / tf.keras (and Keras 3's legacy `.h5` writer) wrote them, made Keras 3's form.

A legacy `.h5` file's `model_config` differs from a `.keras` file's
config.json in a few ways, each converted here before the model is rebuilt
by the ordinary deserializer:

- objects are `{"class_name": ..., "config": ...}` without a `module`: the
  module is found from the class name (and, for nested objects, from the
  argument holding them: `kernel_initializer` names an initializer);
- a `Sequential` config is a list of layers (Keras 2.0-2.1) or
  `{"name": ..., "layers": [...]}`; its first layer may carry
  `batch_input_shape` (an InputLayer's becomes `batch_shape`);
- a functional model's `inbound_nodes` are lists of
  `[layer_name, node_index, tensor_index, kwargs]` per input;
- `axis: [3]` (tf.keras's BatchNormalization) is `axis: 3`; dtype policies
  (`Policy`) are dtype names; `VarianceScaling(distribution="normal")` is
  the truncated normal; `reduction="auto"` is `"sum_over_batch_size"`;
  optimizers' `lr` is `learning_rate`.

The input is not modified.

Example:
    >>> config = {"class_name": "Sequential", "config": [
    ...     {"class_name": "Dense", "config": {"units": 2, "batch_input_shape": [None, 3],
    ...      "kernel_initializer": {"class_name": "VarianceScaling",
    ...                             "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}}}}]}
    >>> converted = keras3_model_config(config)
    >>> layer = converted["config"]["layers"][0]
    >>> layer["module"], layer["config"]["kernel_initializer"]["module"]
    ('keras.layers', 'keras.initializers')
"""
import copy

from numkeras.saving import keras_names

_MODEL_CLASSES = {"Sequential": "keras", "Model": "keras", "Functional": "keras.src.models.functional"}
_HINTS = (("initializer", "initializers"), ("regularizer", "regularizers"), ("constraint", "constraints"))
_SEARCH = ("layers", "initializers", "regularizers", "constraints")


def keras3_model_config(config):
    """Returns `config` (a legacy `model_config`: `{"class_name", "config"}`) in Keras 3's serialized form."""
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError("A model_config must be a dict with 'class_name' and 'config' keys. "
                         f"Received: {str(config)[:200]}")
    return _object(copy.deepcopy(config), "layer")


def _object(entry, key):
    """Converts one serialized object found under argument `key` (in place) and returns it."""
    class_name, inner = entry.get("class_name"), entry.get("config")
    if not isinstance(class_name, str):
        return entry
    if "module" not in entry or entry["module"] is None:
        entry["module"] = _module(class_name, key)
    if class_name == "Sequential":
        entry["config"] = _sequential(inner)
    elif isinstance(inner, dict) and "layers" in inner and "input_layers" in inner:
        entry["config"] = _functional(inner)
    elif isinstance(inner, dict):
        _layer_config(class_name, inner)
    return entry


def _module(class_name, key):
    if class_name in _MODEL_CLASSES:
        return _MODEL_CLASSES[class_name]
    packages = [package for hint, package in _HINTS if str(key).endswith(hint)]
    for package in packages + [p for p in _SEARCH if p not in packages]:
        if keras_names.find_builtin_class(f"keras.{package}", class_name) is not None:
            return f"keras.{package}"
    return f"keras.{packages[0]}" if packages else "keras.layers"  # not found: the error names the class


def _sequential(inner):
    if isinstance(inner, list):  # Keras 2.0-2.1: the config is the list of layers
        inner = {"layers": inner}
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list):
        raise ValueError(f"A Sequential config must hold a list of layers. Received: {str(inner)[:200]}")
    inner["layers"] = [_object(layer, "layer") for layer in inner["layers"]]
    _dtype(inner)
    return inner


def _functional(inner):
    for layer in inner["layers"]:
        if not isinstance(layer, dict):
            raise ValueError(f"A functional model config lists layers as dicts. Received: {str(layer)[:200]}")
        _object(layer, "layer")
        layer["inbound_nodes"] = [_node(node) for node in layer.get("inbound_nodes") or []]
    _dtype(inner)
    return inner


def _node(node):
    """A Keras 2 node ([[layer, node_index, tensor_index, kwargs], ...]) as Keras 3's {"args", "kwargs"}."""
    if isinstance(node, dict):
        return node
    if not isinstance(node, list) or not all(isinstance(x, list) and len(x) in (3, 4) for x in node):
        raise ValueError(f"Unsupported inbound node in a functional model config: {str(node)[:200]}. Expected "
                         "Keras 3's {'args': ..., 'kwargs': ...} or Keras 2's [[layer, node, tensor, kwargs], ...].")
    tensors = [{"class_name": "__keras_tensor__",
                "config": {"shape": None, "dtype": None, "keras_history": list(x[:3])}} for x in node]
    kwargs = next((x[3] for x in node if len(x) == 4 and x[3]), {})
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": dict(kwargs)}


def _layer_config(class_name, inner):
    if class_name == "Lambda" and isinstance(inner.get("function"), list):
        raise ValueError(f"Lambda layer {inner.get('name')!r} was saved by Keras 2 as Python bytecode, which numkeras "
                         "never runs (nor can Keras 3 across Python versions). Rebuild the model in code and load "
                         "the file's weights with model.load_weights(path).")
    shape = inner.pop("batch_input_shape", None)
    if shape is not None:
        inner["batch_shape" if class_name == "InputLayer" else "batch_input_shape"] = shape
    if class_name == "InputLayer":
        inner.pop("ragged", None)
    axis = inner.get("axis")
    if isinstance(axis, list) and len(axis) == 1 and isinstance(axis[0], int):
        inner["axis"] = axis[0]
    if class_name == "VarianceScaling" and inner.get("distribution") == "normal":
        inner["distribution"] = "truncated_normal"  # Keras 2's "normal" was the truncated one
    if inner.get("reduction") == "auto":
        inner["reduction"] = "sum_over_batch_size"
    _dtype(inner)
    for key, value in inner.items():
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            _object(value, key)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "class_name" in item and "config" in item:
                    _object(item, key)


def _dtype(inner):
    dtype = inner.get("dtype")
    if isinstance(dtype, dict) and dtype.get("class_name") in ("Policy", "PolicyV1", "DTypePolicy"):
        inner["dtype"] = (dtype.get("config") or {}).get("name")


def keras3_optimizer_config(config):
    """A legacy `optimizer_config` ({"class_name", "config"}) as Keras 3 serializes an optimizer.

    `lr` becomes `learning_rate`; a `decay` of 0 is dropped (a non-zero one
    is kept: numkeras's optimizers run Keras 2's decay); arguments the
    numkeras optimizer does not take (`is_legacy_optimizer`, `jit_compile`,
    ...) are dropped.
    """
    import inspect
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"An optimizer_config must be a dict with 'class_name'. Received: {str(config)[:200]}")
    class_name = config["class_name"]
    if class_name.startswith("Custom>"):  # how some tf.keras releases named their built-in optimizers
        class_name = class_name[len("Custom>"):]
    inner = dict(config.get("config") or {})
    if "lr" in inner:
        inner.setdefault("learning_rate", inner.pop("lr"))
        inner.pop("lr", None)
    if not inner.get("decay"):
        inner.pop("decay", None)
    cls = keras_names.find_builtin_class("keras.optimizers", class_name)
    if cls is not None:
        accepted = set()
        for klass in cls.__mro__:
            if "__init__" in vars(klass):
                accepted |= set(inspect.signature(klass.__init__).parameters)
        accepted.add("decay")
        inner = {key: value for key, value in inner.items() if key in accepted}
    return {"module": "keras.optimizers", "class_name": class_name, "config": inner,
            "registered_name": None}


def keras3_compile_objects(value, package):
    """Losses or metrics of a legacy training_config: names stay names; objects get their Keras module."""
    if isinstance(value, list):
        return [keras3_compile_objects(v, package) for v in value]
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        if value["class_name"] == "MeanMetricWrapper" and isinstance(value["config"], dict):
            return value["config"].get("name") or value["config"].get("fn")  # tf.keras's wrapped 'acc'
        entry = dict(value)
        entry.setdefault("module", f"keras.{package}")
        if isinstance(entry["config"], dict):
            inner = dict(entry["config"])
            if inner.get("reduction") == "auto":
                inner["reduction"] = "sum_over_batch_size"
            entry["config"] = inner
        return entry
    if isinstance(value, dict):
        return {key: keras3_compile_objects(v, package) for key, v in value.items()}
    return value
