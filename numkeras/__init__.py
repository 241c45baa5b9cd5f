"""numkeras: the Keras 3 API on plain NumPy, with its own autodiff.

Submodules load when first touched, so `import numkeras` stays cheap.

Example:
    >>> import numkeras
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    >>> model.count_params()
    8
"""
import importlib

__version__ = "0.1.0"

_SUBMODULES = ("activations", "backend", "callbacks", "config", "constraints", "datasets", "engine",
               "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers", "regularizers", "saving", "utils")
_NAMES = {
    "Variable": "numkeras.engine.variable",
    "GradientTape": "numkeras.engine.tape",
    "Tensor": "numkeras.engine.tensor",
    "Sequential": "numkeras.models",
    "Model": "numkeras.models",
    "Input": "numkeras.layers",
    "Layer": "numkeras.layers",
}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"numkeras.{name}")
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'numkeras' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES) + list(_NAMES))
