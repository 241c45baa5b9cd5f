"""Constraints: MaxNorm, MinMaxNorm, NonNeg, UnitNorm, by name or instance, with get/serialize/deserialize.

Example:
    >>> import numpy as np
    >>> from numkeras import constraints
    >>> constraints.get("non_neg")(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    >>> constraints.serialize(constraints.MaxNorm(3))
    {'class_name': 'MaxNorm', 'config': {'max_value': 3, 'axis': 0}}
"""
import inspect as _inspect

from numkeras.constraints.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from numkeras.utils.lookup import lookup as _lookup

# Keras's snake_case aliases are the classes themselves.
max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm

_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
_ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
_ALL_OBJECTS_DICT.update({"constraint": Constraint, "max_norm": MaxNorm, "min_max_norm": MinMaxNorm,
                         "non_neg": NonNeg, "unit_norm": UnitNorm})


def serialize(constraint):
    """Returns `{"class_name": ..., "config": ...}` for a constraint (None gives None).

    Example:
        >>> serialize(UnitNorm(axis=1))
        {'class_name': 'UnitNorm', 'config': {'axis': 1}}
    """
    if constraint is None:
        return None
    if isinstance(constraint, Constraint):
        return {"class_name": type(constraint).__name__, "config": constraint.get_config()}
    name = getattr(constraint, "__name__", None)
    if not callable(constraint) or name is None or name == "<lambda>":
        raise ValueError(f"Constraint {constraint!r} cannot be serialized: it has no usable name. Define it "
                         "with `def` (or subclass Constraint) and pass it in `custom_objects` when deserializing.")
    return {"class_name": "function", "config": name, "module": getattr(constraint, "__module__", None)}


def deserialize(config, custom_objects=None):
    """Creates a constraint from `serialize()`'s output or a name.

    Example:
        >>> deserialize({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}}).max_value
        3
    """
    custom = custom_objects or {}
    if isinstance(config, str):
        obj = custom[config] if config in custom else _lookup("constraint", config, _ALL_OBJECTS_DICT)
        return obj() if _inspect.isclass(obj) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not deserialize constraint: {config!r}. Pass a name such as 'max_norm' or a "
                         "dict {'class_name': ..., 'config': {...}} as returned by `constraints.serialize`.")
    name = config["class_name"]
    if name == "function":
        if config["config"] not in custom:
            raise ValueError(f"Unknown constraint function {config['config']!r}. Pass it in `custom_objects`, "
                             f"e.g. custom_objects={{{config['config']!r}: {config['config']}}}.")
        return custom[config["config"]]
    cls = custom[name] if name in custom else _lookup("constraint", name, _ALL_OBJECTS_DICT)
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """Returns a constraint from a name, a config dict, a class, an instance, a callable or None.

    Example:
        >>> type(get("unit_norm")).__name__
        'UnitNorm'
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier() if _inspect.isclass(identifier) else identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}. Pass a name such as "
                     "'max_norm', a Constraint instance, or a callable `fn(weight) -> weight`.")


# The surface (tests/surface checks it against Keras 3.15's keras.constraints).
__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get", "max_norm",
           "min_max_norm", "non_neg", "serialize", "unit_norm"]


def __dir__():
    return list(__all__)
