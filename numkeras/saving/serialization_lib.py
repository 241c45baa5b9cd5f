"""serialize_keras_object / deserialize_keras_object: objects <-> Keras 3's JSON-ready config dicts.

Every object is saved as Keras saves it:

    {"module": "keras.layers", "class_name": "Dense", "config": {...},
     "registered_name": None, "build_config": {...}, "compile_config": {...}}

A numkeras built-in is written under Keras's module name; a custom class
under its own module and its registered name ("package>Name", or the class
name if unregistered). Reading resolves names only among numkeras's
built-ins and the custom objects passed or registered: nothing named in a
file is ever imported or executed, and a serialized lambda is refused.

Configs written by Keras load too: dtype policies become dtype names, and
Keras-only arguments left at their defaults (`quantization_config=None`,
`sparse=False`, ...) are dropped for numkeras's built-in classes.

Example:
    >>> from numkeras import layers
    >>> config = serialize_keras_object(layers.Dense(2, name="d"))
    >>> config["module"], config["class_name"], config["config"]["units"]
    ('keras.layers', 'Dense', 2)
    >>> deserialize_keras_object(config).units
    2
"""
import inspect
import threading
import types

import numpy as np

from numkeras.saving import keras_names
from numkeras.saving.object_registration import (CustomObjectScope, get_registered_name, get_registered_object,
                                                 scoped_custom_objects)

PLAIN_TYPES = (str, int, float, bool)
_DTYPE_POLICIES = ("DTypePolicy", "FloatDTypePolicy")
_LAYER_KWARGS = {"input_shape", "input_dim", "batch_size", "batch_input_shape"}  # popped by Layer.__init__
# Keras-only arguments whose Keras default is not None/False/empty (BatchNormalization's renormalization).
_KERAS_ONLY_DEFAULTS = {"renorm_momentum": 0.99}
_state = threading.local()


class SafeModeScope:
    """Sets the safe mode seen by nested deserialization (e.g. a Lambda inside a Sequential)."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._saved = getattr(_state, "safe_mode", None)
        _state.safe_mode = self.safe_mode
        return self

    def __exit__(self, *exc):
        _state.safe_mode = self._saved


def in_safe_mode():
    """The safe mode of the enclosing `SafeModeScope`, or None outside one."""
    return getattr(_state, "safe_mode", None)


# -- serialization -------------------------------------------------------------
def serialize_keras_object(obj):
    """Returns the Keras config dict (JSON-ready) describing `obj`.

    Plain values, lists and dicts are returned with their contents
    serialized; arrays become `__numpy__` entries; functions and objects
    with `get_config()` become `{"module", "class_name", "config",
    "registered_name"}` dicts (plus "build_config"/"compile_config" for
    layers and models).
    """
    from numkeras.engine.tensor import Tensor
    from numkeras.layers.keras_tensor import KerasTensor
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (np.ndarray, Tensor)):
        value = np.asarray(obj)
        if value.ndim == 0:
            return value.item()
        return {"class_name": "__numpy__", "config": {"value": value.tolist(), "dtype": str(value.dtype)}}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, KerasTensor):
        return serialize_keras_tensor(obj)
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return _serialize_function(obj)
    if not hasattr(obj, "get_config") or inspect.isclass(obj):
        raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj).__name__}. To be serializable, a "
                        "class must implement get_config() (and from_config() if its constructor cannot take "
                        "the config back).")
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"The get_config() method of {obj!r} should return a dict. It returned: {config!r}.")
    cls = type(obj)
    module = keras_names.public_module(cls)
    result = {"module": module if module is not None else _user_module(cls), "class_name": cls.__name__,
              "config": serialize_dict(config),
              "registered_name": "Functional" if module == "keras.src.models.functional" else
              None if module is not None else get_registered_name(cls)}
    build_config = _build_config(obj)
    if build_config is not None:
        result["build_config"] = serialize_dict(build_config)
    from numkeras.saving.compile_config import get_compile_config
    compile_config = get_compile_config(obj)
    if compile_config is not None:
        result["compile_config"] = serialize_dict(compile_config)
    return result


def serialize_dict(config):
    return {str(key): serialize_keras_object(value) for key, value in config.items()}


def serialize_keras_tensor(tensor, node_index=None):
    """`{"class_name": "__keras_tensor__", ...}` with its keras_history [layer name, node index, tensor index]."""
    from numkeras.utils.tree import flatten
    history = None
    node = tensor._keras_history
    if node is not None:
        index = node.layer._inbound_nodes.index(node) if node_index is None else node_index
        position = next(i for i, t in enumerate(flatten(node.outputs)) if t is tensor)
        history = [node.layer.name, index, position]
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(tensor.shape), "dtype": tensor.dtype, "keras_history": history}}


def _serialize_function(fn):
    if fn.__name__ == "<lambda>":
        raise ValueError("Cannot serialize a lambda: numkeras never saves Python code into a file. Define the "
                         "function with `def`, decorate it with @numkeras.saving.register_keras_serializable() "
                         "(or pass it in custom_objects when loading).")
    module = keras_names.public_module(fn)
    name = fn.__name__ if module is not None else get_registered_name(fn)
    return {"module": module if module is not None else _user_module(fn), "class_name": "function",
            "config": name, "registered_name": name}


def _user_module(obj):
    module = getattr(obj, "__module__", None)
    return None if module == "__main__" else module


def _build_config(obj):
    """Keras's build_config: the input shape the layer was built with, when known."""
    from numkeras.layers.core.input_layer import InputLayer
    from numkeras.layers.layer import Layer
    from numkeras.utils.tree import map_structure
    if hasattr(obj, "get_build_config"):
        return obj.get_build_config()
    if not isinstance(obj, Layer) or isinstance(obj, InputLayer) or not obj.built:
        return None
    if hasattr(obj, "_inputs_struct"):  # a functional model is built by its graph
        return {"input_shape": None}
    if hasattr(obj, "_input_layer"):  # Sequential
        shape = getattr(obj, "_batch_input_shape", None)
        return {"input_shape": list(shape)} if shape is not None else None
    if obj._inbound_nodes:
        return {"input_shape": map_structure(lambda t: list(t.shape), obj._inbound_nodes[0].inputs)}
    shape = getattr(obj, "_batch_input_shape", None)  # e.g. a subclassed model built on data
    return {"input_shape": list(shape)} if shape is not None else None


# -- deserialization -----------------------------------------------------------
def deserialize_keras_object(config, custom_objects=None, safe_mode=True):
    """Rebuilds the object `config` describes (the output of `serialize_keras_object` or Keras's).

    Args:
        config: a config dict, a list of them, or a plain value.
        custom_objects: optional dict `{name: class_or_function}` for your
            own classes and functions (registered ones are found anyway).
        safe_mode: if True (the default), refuse to rebuild anything that
            would run code stored in the file (a Lambda's function).

    Returns:
        The rebuilt object.
    """
    if in_safe_mode() is not None:
        safe_mode = in_safe_mode()
    custom_objects = {**scoped_custom_objects(), **(custom_objects or {})}
    if config is None or isinstance(config, PLAIN_TYPES):
        if isinstance(config, str) and config in custom_objects:
            return custom_objects[config]
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects, safe_mode) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r}. Expected a dict, a list or a plain value.")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects, safe_mode) for key, value in config.items()}
    class_name, inner = config["class_name"], config["config"]
    special = _deserialize_special(class_name, inner)
    if special is not _NOT_SPECIAL:
        return special
    module, registered_name = config.get("module"), config.get("registered_name") or class_name
    if class_name == "function":
        return _retrieve_function(inner, registered_name, module, custom_objects)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name}. Received: {inner!r}.")
    cls, builtin = _retrieve_class(class_name, registered_name, module, custom_objects)
    if builtin and class_name in _DTYPE_POLICIES:
        return inner.get("name")
    inner = adapt_config(cls, inner) if builtin else dict(inner)
    with CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        _resolve_custom_entries(inner, custom_objects, safe_mode)
        instance = _from_config(cls, inner, custom_objects, safe_mode)
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            build_from_config(instance, build_config)
        compile_config = config.get("compile_config")
        if compile_config:
            from numkeras.saving.compile_config import compile_from_config
            compile_from_config(instance, compile_config)
    return instance


_NOT_SPECIAL = object()


def _deserialize_special(class_name, inner):
    from numkeras.layers.keras_tensor import KerasTensor
    if class_name == "__numpy__" or class_name == "__tensor__":
        return np.array(inner["value"], dtype=array_dtype(inner))
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(inner["start"], inner["stop"], inner["step"])
    if class_name == "__keras_tensor__":
        tensor = KerasTensor(inner["shape"], dtype=inner["dtype"])
        tensor._pre_serialization_keras_history = inner.get("keras_history")
        return tensor
    if class_name == "__lambda__":
        raise ValueError("Requested the deserialization of a Python lambda stored as bytecode. numkeras never runs "
                         "code from a file this way. Define the function in your code and pass it in "
                         "custom_objects (for a Lambda layer, safe_mode=False lets numkeras read its source).")
    return _NOT_SPECIAL


def array_dtype(config):
    """The dtype of a saved array (a `__numpy__` entry's config): numbers, booleans or text, never objects.

    Text may not declare a length beyond its longest value, as numpy writes
    it: "U100000000" would make each short string take 400 MB.
    """
    name = config.get("dtype") if isinstance(config, dict) else None
    dtype = np.dtype(name) if isinstance(name, str) else None
    if dtype is None or dtype.kind not in "biufcUS" or dtype.subdtype is not None:
        raise ValueError(f"A saved array may hold numbers, booleans or text. Received: dtype={name!r}.")
    if dtype.kind in "US":
        longest = max((len(str(v)) for v in leaves(config.get("value"))), default=0)
        if dtype.itemsize // (4 if dtype.kind == "U" else 1) > max(longest, 1):
            raise ValueError(f"A saved text array declares dtype={name!r}, longer than its longest value "
                             f"({longest} characters).")
    return dtype


def check_arrays(config):
    """Checks the dtype of every saved array in `config` (a parsed JSON file) before anything is built."""
    for value in leaves(config, containers=True):
        if isinstance(value, dict) and value.get("class_name") in ("__numpy__", "__tensor__"):
            array_dtype(value.get("config"))


def leaves(value, containers=False):
    """The values nested in lists and dicts, iteratively (a file may nest them deeper than the stack)."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, (list, dict)):
            stack.extend(value.values() if isinstance(value, dict) else value)
            if not containers:
                continue
        yield value


def _retrieve_class(class_name, registered_name, module, custom_objects):
    """Returns `(cls, is_builtin)`: custom objects and registered classes first, then numkeras's built-ins."""
    for name in (registered_name, class_name):
        obj = get_registered_object(name, custom_objects)
        if obj is not None:
            return obj, False
    if class_name in _DTYPE_POLICIES:
        return None, True
    cls = keras_names.find_builtin_class(module, class_name)
    if cls is not None:
        return cls, True
    raise TypeError(f"Could not locate class {class_name!r} (module {module!r}). numkeras has no built-in class of "
                    "that name: if it is your own class, decorate it with "
                    "@numkeras.saving.register_keras_serializable() or pass it in "
                    f"custom_objects={{{class_name!r}: {class_name}}}.")


def _retrieve_function(name, registered_name, module, custom_objects):
    if not isinstance(name, str):
        raise TypeError(f"Expected 'config' to be a function name. Received: {name!r}.")
    obj = _custom_function(name, registered_name, custom_objects)
    if obj is None:
        obj = keras_names.find_builtin_function(module, name)
    if obj is not None:
        return obj
    raise TypeError(f"Could not locate function {name!r}. Decorate it with "
                    f"@numkeras.saving.register_keras_serializable() or pass custom_objects={{{name!r}: {name}}}.")


def _custom_function(name, registered_name, custom_objects):
    """A custom or registered function by name; None if there is none."""
    from numkeras.saving.object_registration import GLOBAL_CUSTOM_OBJECTS
    for key in (name, registered_name):
        obj = get_registered_object(key, custom_objects)
        if obj is not None:
            return obj
    suffix = f">{name}"  # files that name a registered function without its package
    for key, value in {**GLOBAL_CUSTOM_OBJECTS, **custom_objects}.items():
        if key.endswith(suffix):
            return value
    return None


def _from_config(cls, inner, custom_objects, safe_mode):
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of {cls.__name__!r} because the class is missing a "
                        "from_config() method.")
    params = inspect.signature(cls.from_config).parameters
    kwargs = {}
    if "custom_objects" in params:
        kwargs["custom_objects"] = custom_objects
    if "safe_mode" in params:
        kwargs["safe_mode"] = safe_mode
    return cls.from_config(inner, **kwargs)


def _resolve_custom_entries(inner, custom_objects, safe_mode):
    """Replaces config entries naming your own functions or objects (e.g. activation=my_act) by the objects,
    since a numkeras constructor resolves names only among built-ins. Entries naming layers stay configs."""
    from numkeras.layers.layer import Layer
    for key, value in inner.items():
        if not isinstance(value, dict) or "class_name" not in value:
            continue
        if value["class_name"] == "function":
            name = value.get("config")
            if isinstance(name, str) and keras_names.find_builtin_function(value.get("module"), name) is None:
                found = _custom_function(name, value.get("registered_name") or name, custom_objects)
                if found is not None:  # otherwise the layer resolves (or rejects) the name itself
                    inner[key] = found
            continue
        for name in (value.get("registered_name"), value["class_name"]):
            obj = get_registered_object(name, custom_objects) if isinstance(name, str) else None
            if obj is not None and not (inspect.isclass(obj) and issubclass(obj, Layer)):
                inner[key] = deserialize_keras_object(value, custom_objects, safe_mode)
                break


def adapt_config(cls, config):
    """A Keras-written config made fit for numkeras's built-in `cls`.

    Dtype policies become dtype names, nested built-in objects are adapted
    the same way, and arguments `cls` does not take are dropped when Keras
    left them at a default (None, False, empty, or a known Keras default);
    others are kept, so the constructor names them in its error.
    """
    accepted = _accepted_arguments(cls)
    out = {}
    for key, value in config.items():
        if isinstance(value, dict) and value.get("class_name") in _DTYPE_POLICIES:
            value = (value.get("config") or {}).get("name")
        elif isinstance(value, dict) and "class_name" in value and isinstance(value.get("config"), dict):
            inner_cls = keras_names.find_builtin_class(value.get("module"), value["class_name"])
            if inner_cls is not None:
                value = {**value, "config": adapt_config(inner_cls, value["config"])}
        at_default = value is None or value is False or value in ({}, []) or (
            key in _KERAS_ONLY_DEFAULTS and value == _KERAS_ONLY_DEFAULTS[key])
        if accepted is not None and key not in accepted and at_default:
            continue
        out[key] = value
    return out


def _accepted_arguments(cls):
    """The keyword arguments `cls(...)` takes, following **kwargs up to Layer; None if it takes anything."""
    from numkeras.layers.layer import Layer
    names = set()
    for klass in inspect.getmro(cls):
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        if klass is object:
            return names
        params = inspect.signature(init).parameters.values()
        names |= {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if not any(p.kind == p.VAR_KEYWORD for p in params):
            return names
        if klass is Layer:
            return names | _LAYER_KWARGS
    return None


def build_from_config(instance, build_config):
    """Builds a layer from Keras's build_config ({"input_shape": ...}) so its weights exist before loading."""
    if hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
        return
    shape = build_config.get("input_shape")
    if shape is None or not hasattr(instance, "build"):
        return
    instance.build(_as_shapes(shape))
    instance.built = True


def _as_shapes(shape):
    if isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, int) for d in shape):
        return tuple(shape)
    if isinstance(shape, dict):
        return {key: _as_shapes(value) for key, value in shape.items()}
    return [_as_shapes(s) for s in shape]
