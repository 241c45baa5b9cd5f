"""Initializers: callables `init(shape, dtype=None)` that return a NumPy array.

Resolve them by snake_case name ('glorot_uniform', 'he_normal', 'zeros', ...),
by class name ('GlorotUniform'), by config dict, or pass an instance.

Example:
    >>> from numkeras import initializers
    >>> initializers.get("ones")((2,)).tolist()
    [1.0, 1.0]
"""
import inspect as _inspect
import re as _re

import numpy as _np

from numkeras.backend import standardize_dtype as _standardize_dtype
from numkeras.backend import xp as _xp
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.engine.tensor import unwrap as _unwrap
from numkeras.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from numkeras.initializers.initializer import Initializer
from numkeras.initializers.random_initializers import (GlorotNormal, GlorotUniform, HeNormal, HeUniform,
                                                       LecunNormal, LecunUniform, Orthogonal,
                                                       RandomNormal, RandomUniform, TruncatedNormal,
                                                       VarianceScaling)
from numkeras.utils.lookup import lookup as _lookup

# Keras's snake_case aliases are the classes themselves: initializers.he_normal(seed=1).
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal  # Keras's older class names
constant, identity, ones, zeros = Constant, Identity, Ones, Zeros
glorot_normal, glorot_uniform, he_normal, he_uniform = GlorotNormal, GlorotUniform, HeNormal, HeUniform
lecun_normal, lecun_uniform, orthogonal = LecunNormal, LecunUniform, Orthogonal
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling = VarianceScaling

_CLASSES = (Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal,
            LecunUniform, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling)


def _snake(name):
    name = _re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return _re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


# snake_case names and Keras's aliases; class names resolve through _BY_CLASS_NAME.
_ALL_OBJECTS_DICT = {_snake(cls.__name__): cls for cls in _CLASSES}
_ALL_OBJECTS_DICT.update({"normal": RandomNormal, "uniform": RandomUniform, "one": Ones, "zero": Zeros})
_BY_CLASS_NAME = {cls.__name__: cls for cls in _CLASSES}
_BY_CLASS_NAME.update({"IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal})


def _class(name):
    return _BY_CLASS_NAME.get(name) or _lookup("initializer", name, _ALL_OBJECTS_DICT)


def serialize(initializer):
    """Returns `{"class_name": ..., "config": ...}` for an initializer (a function's name for functions)."""
    if initializer is None:
        return None
    if isinstance(initializer, Initializer):
        return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
    return {"class_name": "function", "config": getattr(initializer, "__name__", repr(initializer))}


def deserialize(config, custom_objects=None):
    """Creates an initializer from `serialize()`'s output or a name."""
    if isinstance(config, str):
        return _class(config)()
    custom = custom_objects or {}
    name = config["class_name"]
    cls = custom[name] if name in custom else _class(name)
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """Returns an initializer from a name, a config dict, a class, a callable or an array.

    An array (or Tensor) becomes an initializer that returns it, cast to the
    requested dtype, when asked for its exact shape.

    Example:
        >>> type(get("he_normal")).__name__
        'HeNormal'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return _class(identifier)()
    if _inspect.isclass(identifier):
        return identifier()
    if isinstance(identifier, (_Tensor, _np.ndarray, _np.generic)):
        value = _unwrap(identifier)

        def initialize_fn(shape, dtype=None):
            if tuple(shape) != tuple(value.shape):
                raise ValueError(f"Expected `shape` to be {tuple(value.shape)} for direct tensor as initializer. "
                                 f"Received shape={tuple(shape)}.")
            return _xp.asarray(value).astype(_standardize_dtype(dtype))
        return initialize_fn
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}. Pass a name such as "
                     "'glorot_uniform', an Initializer instance, or a callable `fn(shape, dtype=None)`.")


# The surface (tests/surface checks it against Keras 3.15's keras.initializers).
__all__ = [cls.__name__ for cls in _CLASSES] + [_snake(cls.__name__) for cls in _CLASSES] + [
    "IdentityInitializer", "Initializer", "OrthogonalInitializer", "deserialize", "get", "serialize"]


def __dir__():
    return list(__all__)
