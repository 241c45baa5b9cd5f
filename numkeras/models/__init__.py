"""Models: Sequential, and the Model base class for subclassing.

Example:
    >>> from numkeras import models
    >>> models.Sequential().layers
    []
"""
from numkeras.models.functional import Functional
from numkeras.models.model import Model
from numkeras.models.sequential import Sequential
from numkeras.saving.cloning import clone_model
from numkeras.saving.saving_lib import load_model, save_model

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "save_model"]
