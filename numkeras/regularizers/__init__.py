"""Regularizers: L1, L2, L1L2, OrthogonalRegularizer, by name or instance, with get/serialize/deserialize.

Example:
    >>> import numpy as np
    >>> from numkeras import regularizers
    >>> float(regularizers.L2(0.5)(np.array([1.0, 2.0], "float32")))
    2.5
    >>> regularizers.serialize(regularizers.get("l1"))
    {'class_name': 'L1', 'config': {'l1': 0.01}}
"""
import inspect as _inspect

from numkeras.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer
from numkeras.utils.lookup import lookup as _lookup

# Keras's snake_case aliases are the classes themselves.
l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

_CLASSES = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
_ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
_ALL_OBJECTS_DICT.update({"regularizer": Regularizer, "l1": L1, "l2": L2, "l1l2": L1L2, "l1_l2": L1L2,
                         "orthogonal_regularizer": OrthogonalRegularizer})
# The string 'l1_l2' means both penalties at 0.01 (Keras's documented shortcut); L1L2() itself has zeros.
_NAME_DEFAULTS = {"l1_l2": {"l1": 0.01, "l2": 0.01}}


def serialize(regularizer):
    """Returns `{"class_name": ..., "config": ...}` for a regularizer (None gives None).

    Example:
        >>> serialize(L1L2(l1=0.1))
        {'class_name': 'L1L2', 'config': {'l1': 0.1, 'l2': 0.0}}
    """
    if regularizer is None:
        return None
    if isinstance(regularizer, Regularizer):
        return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}
    name = getattr(regularizer, "__name__", None)
    if not callable(regularizer) or name is None or name == "<lambda>":
        raise ValueError(f"Regularizer {regularizer!r} cannot be serialized: it has no usable name. Define it "
                         "with `def` (or subclass Regularizer) and pass it in `custom_objects` when deserializing.")
    return {"class_name": "function", "config": name, "module": getattr(regularizer, "__module__", None)}


def deserialize(config, custom_objects=None):
    """Creates a regularizer from `serialize()`'s output or a name.

    Example:
        >>> deserialize({"class_name": "L2", "config": {"l2": 0.1}}).l2
        0.1
    """
    custom = custom_objects or {}
    if isinstance(config, str):
        if config in custom:
            return _instance(custom[config])
        cls = _lookup("regularizer", config, _ALL_OBJECTS_DICT)
        return cls(**_NAME_DEFAULTS.get(config.lower(), {}))
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not deserialize regularizer: {config!r}. Pass a name such as 'l2' or a dict "
                         "{'class_name': ..., 'config': {...}} as returned by `regularizers.serialize`.")
    name = config["class_name"]
    if name == "function":
        return _from_custom(config["config"], custom)
    if name in custom:
        return custom[name].from_config(dict(config.get("config") or {}))
    return _lookup("regularizer", name, _ALL_OBJECTS_DICT).from_config(dict(config.get("config") or {}))


def get(identifier):
    """Returns a regularizer from a name, a config dict, a class, an instance, a callable or None.

    Example:
        >>> type(get("orthogonal_regularizer")).__name__
        'OrthogonalRegularizer'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return _instance(identifier)
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}. Pass a name such as 'l2', "
                     "a Regularizer instance, or a callable `fn(weight) -> scalar`.")


def _instance(obj):
    return obj() if _inspect.isclass(obj) else obj


def _from_custom(name, custom):
    if name not in custom:
        raise ValueError(f"Unknown regularizer function {name!r}. Pass it in `custom_objects`, e.g. "
                         f"custom_objects={{{name!r}: {name}}}.")
    return custom[name]


# The surface (tests/surface checks it against Keras 3.15's keras.regularizers).
__all__ = ["L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "orthogonal_regularizer", "serialize"]


def __dir__():
    return list(__all__)
