"""Optimizers (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion), resolvable by name.

Learning-rate schedules live in `numkeras.optimizers.schedules`.

Example:
    >>> from numkeras import optimizers
    >>> type(optimizers.get("rmsprop")).__name__
    'RMSprop'
"""
import inspect as _inspect

from numkeras.optimizers import schedules
from numkeras.optimizers.adadelta import Adadelta
from numkeras.optimizers.adagrad import Adagrad
from numkeras.optimizers.adam import Adam
from numkeras.optimizers.adamax import Adamax
from numkeras.optimizers.adamw import AdamW
from numkeras.optimizers.ftrl import Ftrl
from numkeras.optimizers.lion import Lion
from numkeras.optimizers.nadam import Nadam
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.rmsprop import RMSprop
from numkeras.optimizers.sgd import SGD
from numkeras.utils.lookup import lookup as _lookup

_ALL_OBJECTS_DICT = {cls.__name__.lower(): cls
                     for cls in (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion)}


def serialize(optimizer):
    """Returns `{"class_name": ..., "config": ...}` for an optimizer."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    """Creates an optimizer from `serialize()`'s output (class names are case-insensitive)."""
    classes = {**_ALL_OBJECTS_DICT, **{k.lower(): v for k, v in (custom_objects or {}).items()}}
    cls = _lookup("optimizer", config["class_name"], classes)
    if custom_objects:  # a custom schedule inside the config needs them
        return cls.from_config(dict(config.get("config", {})), custom_objects=custom_objects)
    return cls.from_config(dict(config.get("config", {})))


def get(identifier):
    """Returns an optimizer from a name ('rmsprop', 'Adam', ...), a config dict, a class or an instance.

    A string makes a new instance with Keras's defaults; an instance is returned as is.
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return _lookup("optimizer", identifier, _ALL_OBJECTS_DICT)()
    if _inspect.isclass(identifier) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Pass an optimizer name such as "
                     f"'rmsprop', or an instance such as numkeras.optimizers.RMSprop(learning_rate=0.001).")


# The surface (tests/surface checks it against Keras 3.15's keras.optimizers).
__all__ = ["Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lion", "Nadam", "Optimizer", "RMSprop", "SGD",
           "deserialize", "get", "schedules", "serialize"]


def __dir__():
    return list(__all__)
