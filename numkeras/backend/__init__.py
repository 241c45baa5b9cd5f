"""The backend: the one seam between numkeras and its array module.

Everything that touches arrays asks this package for `xp` (NumPy by default;
`NUMKERAS_BACKEND=cupy` for a GPU, `strict` for the CPU guard against seam
leaks: `backend/array_module.py`), for the default float type and the fuzz
factor, and for random numbers. Host-side code crosses to and from `xp`'s
arrays through `to_host` and `from_host` only.

Example:
    >>> from numkeras import backend
    >>> backend.floatx(), backend.epsilon()
    ('float32', 1e-07)
"""
from numkeras.backend import array_module as _array_module

if _array_module.from_environment() == "numpy":
    import numpy as xp  # the default: NumPy itself, nothing in between
    from numpy import asarray as to_host, asarray as from_host  # noqa: I001
    from numpy import add as _add
    scatter_add = _add.at
    from numpy import errstate
else:
    xp, to_host, from_host, scatter_add = _array_module.load(_array_module.from_environment())
    _array_module._state["name"] = _array_module.from_environment()
    errstate = _array_module.errstate_of(_array_module.from_environment())
backend_name = _array_module.backend_name

from numkeras.backend.config import epsilon, floatx, set_epsilon, set_floatx, standardize_dtype
from numkeras.backend.random import random_generator, set_seed

# The surface (tests/surface checks it against Keras 3.15's keras.backend).
_NUMKERAS_EXTRAS = ("xp", "random_generator", "set_seed",  # the array-module seam and its random numbers
                    "to_host", "from_host", "scatter_add", "backend_name", "errstate")  # its host boundary (issue 18)
_LAZY = {"clear_session": "numkeras.utils.naming", "is_keras_tensor": "numkeras.layers.keras_tensor"}
__all__ = ["xp", "epsilon", "floatx", "set_epsilon", "set_floatx", "standardize_dtype",
           "random_generator", "set_seed", "to_host", "from_host", "scatter_add", "backend_name", "errstate", *_LAZY]


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
