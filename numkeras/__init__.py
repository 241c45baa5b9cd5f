"""numkeras: the Keras 3 API on plain NumPy, with its own autodiff.

Submodules load when first touched, so `import numkeras` stays cheap.

Example:
    >>> import numkeras
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    >>> model.count_params()
    8
"""
import importlib as _importlib

__version__ = "0.1.0"

# The surface (what dir(numkeras) lists; tests/surface checks it against Keras 3.15's `keras`).
# Submodules and names load when first touched.
_SUBMODULES = ("activations", "applications", "backend", "callbacks", "config", "constraints", "datasets", "dtype_policies",
               "engine", "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers",
               "preprocessing", "random", "regularizers", "saving", "utils")
_NAMES = {
    "DTypePolicy": "numkeras.dtype_policies",
    "FloatDTypePolicy": "numkeras.dtype_policies",
    "Initializer": "numkeras.initializers",
    "Input": "numkeras.layers",
    "KerasTensor": "numkeras.layers.keras_tensor",
    "Layer": "numkeras.layers",
    "Loss": "numkeras.losses",
    "Metric": "numkeras.metrics",
    "Model": "numkeras.models",
    "Optimizer": "numkeras.optimizers",
    "Regularizer": "numkeras.regularizers",
    "Sequential": "numkeras.models",
    "Variable": "numkeras.engine.variable",
    # numkeras's own: the autodiff engine Keras leaves to its backends.
    "GradientTape": "numkeras.engine.tape",
    "Tensor": "numkeras.engine.tensor",
    # numkeras's own: `import keras` resolved to numkeras, for code written for Keras.
    "install_as_keras": "numkeras.keras_alias",
}
_NUMKERAS_EXTRAS = ("GradientTape", "Tensor", "engine", "install_as_keras")


def version():
    """Returns numkeras's version, as `keras.version()` returns Keras's.

    Example:
        >>> import numkeras
        >>> numkeras.version() == numkeras.__version__
        True
    """
    return __version__


__all__ = sorted((*_SUBMODULES, *_NAMES, "version"))


def __getattr__(name):
    if name in _SUBMODULES:
        return _importlib.import_module(f"numkeras.{name}")
    if name in _NAMES:
        return getattr(_importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'numkeras' has no attribute {name!r}")


def __dir__():
    return list(__all__)
