"""Models: Sequential, and the Model base class for subclassing.

Example:
    >>> from numkeras import models
    >>> models.Sequential().layers
    []
"""
from numkeras.models.functional import Functional
from numkeras.models.model import Model
from numkeras.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential"]
