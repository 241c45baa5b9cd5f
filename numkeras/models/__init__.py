"""Models: Sequential, and the Model base class for subclassing.

Example:
    >>> from numkeras import models
    >>> models.Sequential().layers
    []
"""
from numkeras.models import functional as _functional  # what Model(inputs, outputs) makes; not a Keras name
from numkeras.models.model import Model
from numkeras.models.sequential import Sequential

_SAVING = {"clone_model": "numkeras.saving.cloning", "load_model": "numkeras.saving.saving_lib",
           "save_model": "numkeras.saving.saving_lib"}


def __getattr__(name):
    # Saving (h5py, zipfile) loads only when a model is saved, loaded or cloned.
    if name in _SAVING:
        import importlib
        value = globals()[name] = getattr(importlib.import_module(_SAVING[name]), name)
        return value
    raise AttributeError(f"module 'numkeras.models' has no attribute {name!r}")


# The surface (tests/surface checks it against Keras 3.15's keras.models).
__all__ = ["Model", "Sequential", "clone_model", "load_model", "save_model"]


def __dir__():
    return list(__all__)
