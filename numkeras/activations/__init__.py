"""Activations: functions by name ('relu', 'softmax', ...) with get/serialize/deserialize.

Example:
    >>> from numkeras import activations
    >>> activations.get("relu")([-1.0, 2.0]).numpy()
    array([0., 2.], dtype=float32)
    >>> activations.serialize(activations.relu)
    'relu'
"""
from numkeras.activations.activations import (celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid,
                                              hard_silu, hard_tanh, leaky_relu, linear, log_sigmoid, log_softmax,
                                              mish, relu, relu6, selu, sigmoid, silu, soft_shrink, softmax,
                                              softplus, softsign, sparse_plus, sparse_sigmoid, sparsemax,
                                              squareplus, tanh, tanh_shrink, threshold)
from numkeras.utils.lookup import lookup as _lookup

_ALL_OBJECTS_DICT = {fn.__name__: fn for fn in (
    celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_tanh, leaky_relu, linear,
    log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid, silu, soft_shrink, softmax, softplus, softsign,
    sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh, tanh_shrink, threshold)}
_ALL_OBJECTS_DICT.update({"swish": silu, "hard_swish": hard_silu})  # Keras's aliases
swish, hard_swish = silu, hard_silu
_BUILTIN_IDS = {id(fn) for fn in _ALL_OBJECTS_DICT.values()}


def serialize(activation):
    """Returns a built-in activation's name; a custom function as `{"class_name": "function", ...}`.

    Example:
        >>> serialize(softmax)
        'softmax'
    """
    if activation is None:
        return "linear"
    if id(activation) in _BUILTIN_IDS:
        return activation.__name__
    if hasattr(activation, "get_config"):  # an object, e.g. a layer used as an activation
        return {"class_name": type(activation).__name__, "config": activation.get_config()}
    name = getattr(activation, "__name__", None)
    if not callable(activation) or name is None or name == "<lambda>":
        raise ValueError(f"Unknown activation function {activation!r} cannot be serialized: it has no usable "
                         "name. Define it with `def` and pass it in `custom_objects` when deserializing.")
    return {"class_name": "function", "config": name, "module": getattr(activation, "__module__", None)}


def deserialize(config, custom_objects=None):
    """Returns the activation function named by `config` (a name or `serialize()`'s dict)."""
    custom = custom_objects or {}
    name = config.get("config") if isinstance(config, dict) else config
    if isinstance(name, str) and name in custom:
        return custom[name]
    return _lookup("activation", name, _ALL_OBJECTS_DICT)


def get(identifier):
    """Returns an activation function from a name, a serialized dict, a callable, or None (linear).

    Example:
        >>> get(None) is linear
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}. Pass a name such as "
                     "'relu', a function, or None.")


# The surface (tests/surface checks it against Keras 3.15's keras.activations).
__all__ = sorted(_ALL_OBJECTS_DICT) + ["deserialize", "get", "serialize"]


def __dir__():
    return list(__all__)
