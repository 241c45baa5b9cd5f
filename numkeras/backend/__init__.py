"""The backend: the one seam between numkeras and its array module.

Everything that touches arrays asks this package for `xp` (NumPy today; a
CuPy module can be dropped in later), for the default float type and the
fuzz factor, and for random numbers.

Example:
    >>> from numkeras import backend
    >>> backend.floatx(), backend.epsilon()
    ('float32', 1e-07)
"""
import numpy as xp

from numkeras.backend.config import epsilon, floatx, set_epsilon, set_floatx, standardize_dtype
from numkeras.backend.random import random_generator, set_seed

# The surface (tests/surface checks it against Keras 3.15's keras.backend).
_NUMKERAS_EXTRAS = ("xp", "random_generator", "set_seed")  # the array-module seam and its random numbers
_LAZY = {"clear_session": "numkeras.utils.naming", "is_keras_tensor": "numkeras.layers.keras_tensor"}
__all__ = ["xp", "epsilon", "floatx", "set_epsilon", "set_floatx", "standardize_dtype",
           "random_generator", "set_seed", *_LAZY]


def __getattr__(name):
    if name in _LAZY:  # they live above the backend; loaded when first used
        import importlib
        value = globals()[name] = getattr(importlib.import_module(_LAZY[name]), name)
        return value
    raise AttributeError(f"module 'numkeras.backend' has no attribute {name!r}")


def __dir__():
    return list(__all__)
