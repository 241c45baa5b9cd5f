"""Learning-rate schedules (`keras.optimizers.schedules`), with serialize/deserialize.

Example:
    >>> from numkeras.optimizers import schedules
    >>> config = schedules.serialize(schedules.InverseTimeDecay(0.1, 1.0, 0.5))
    >>> config["class_name"], float(schedules.deserialize(config)(2))
    ('InverseTimeDecay', 0.05000000074505806)
"""
from numkeras.optimizers.schedules.learning_rate_schedule import (CosineDecay, CosineDecayRestarts,
                                                                  ExponentialDecay, InverseTimeDecay,
                                                                  LearningRateSchedule, PiecewiseConstantDecay,
                                                                  PolynomialDecay)
from numkeras.utils.lookup import lookup as _lookup

_ALL_OBJECTS_DICT = {cls.__name__: cls for cls in (CosineDecay, CosineDecayRestarts, ExponentialDecay,
                                                     InverseTimeDecay, LearningRateSchedule,
                                                     PiecewiseConstantDecay, PolynomialDecay)}


def serialize(learning_rate_schedule):
    """Returns `{"class_name": ..., "config": ...}` for a schedule."""
    return {"class_name": type(learning_rate_schedule).__name__, "config": learning_rate_schedule.get_config()}


def deserialize(config, custom_objects=None):
    """Creates a schedule from `serialize()`'s output; `custom_objects` maps names to your own classes."""
    classes = {**_ALL_OBJECTS_DICT, **(custom_objects or {})}
    cls = _lookup("learning rate schedule", config["class_name"], classes)
    return cls.from_config(dict(config.get("config") or {}))


# The surface (tests/surface checks it against Keras 3.15's keras.optimizers.schedules).
__all__ = ["CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay", "LearningRateSchedule",
           "PiecewiseConstantDecay", "PolynomialDecay", "deserialize", "serialize"]


def __dir__():
    return list(__all__)
