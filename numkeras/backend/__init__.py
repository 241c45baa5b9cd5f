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
    if name in _KERAS2_NAMES:
        return _keras2_function(name)  # not cached here: dir() stays Keras 3's
    raise AttributeError(f"module 'numkeras.backend' has no attribute {name!r}")


def __dir__():
    return list(__all__)


# Keras 2's backend functions the 1st edition calls (`K.mean`, `K.random_normal`, ...), kept reachable;
# named here so that a submodule import (`from numkeras.backend import config`) never loads them.
_KERAS2_NAMES = frozenset(
    "abs argmax batch_flatten batch_get_value cast clip concatenate constant dot exp expand_dims flatten function "
    "get_value gradients int_shape l2_normalize log max maximum mean min minimum pow random_normal random_uniform "
    "relu reshape set_value shape sigmoid softmax sqrt square squeeze stack stop_gradient sum tanh transpose "
    "variable".split())


def _keras2_function(name):
    """Keras 2's `K.<name>` (numkeras.utils.keras2_backend)."""
    import importlib
    return importlib.import_module("numkeras.utils.keras2_backend").LEGACY[name]
