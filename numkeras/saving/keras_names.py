"""Where numkeras's built-in classes and functions live under Keras's names, and back.

A saved config names each object by Keras module and class name
(`{"module": "keras.layers", "class_name": "Dense", ...}`), so files move
between the two libraries. Loading never imports a module named in a file:
names resolve only to numkeras's own public classes and functions.

Example:
    >>> from numkeras import layers
    >>> public_module(layers.Dense)
    'keras.layers'
    >>> find_builtin_class("keras.layers", "Dense") is layers.Dense
    True
"""
import importlib
import inspect

# numkeras package -> the Keras module its public objects are exported from
_PACKAGES = {
    "layers": "keras.layers", "models": "keras.models", "optimizers": "keras.optimizers",
    "optimizers.schedules": "keras.optimizers.schedules", "losses": "keras.losses", "metrics": "keras.metrics",
    "initializers": "keras.initializers", "regularizers": "keras.regularizers",
    "constraints": "keras.constraints", "activations": "keras.activations",
}
# Models are written exactly as Keras writes them.
_MODEL_MODULES = {"Sequential": "keras", "Model": "keras", "Functional": "keras.src.models.functional"}
_FUNCTION_PACKAGES = ("activations", "losses", "metrics")  # where configs name plain functions


def _package(name):
    try:
        return importlib.import_module(f"numkeras.{name}")
    except ImportError:
        return None


def _exported(package, name):
    """`name` if the package declares it (its `__all__`: never a submodule or helper), else None."""
    module = _package(package)
    return getattr(module, name) if module is not None and name in getattr(module, "__all__", ()) else None


def _model_class(name):
    if name == "Functional":  # what Model(inputs, outputs) makes; Keras keeps it out of keras.models too
        from numkeras.models.functional import Functional
        return Functional
    return _exported("models", name)


def public_module(obj):
    """The Keras module a numkeras built-in class or function is saved under; None for other objects."""
    name = getattr(obj, "__name__", None)
    module = getattr(obj, "__module__", None) or ""
    if name is None or not module.startswith("numkeras."):
        return None
    if inspect.isclass(obj) and name in _MODEL_MODULES and _model_class(name) is obj:
        return _MODEL_MODULES[name]
    parts = module.split(".")
    candidates = [".".join(parts[1:3]), parts[1]] if len(parts) > 2 else [parts[1]]
    for package in candidates:
        if package in _PACKAGES and _exported(package, name) is obj:
            return _PACKAGES[package]
    return None


def _packages_for(module):
    """numkeras packages to search for a name saved under `module` (Keras's or numkeras's spelling)."""
    parts = [p for p in (module or "").split(".") if p not in ("keras", "numkeras", "src")]
    if "schedules" in parts:
        return ["optimizers.schedules"]
    found = [p for p in parts if p in _PACKAGES]
    if not parts:  # plain "keras": keras.Sequential, keras.Model, keras.Input, ...
        return ["models", "layers"]
    return found[:1]


def find_builtin_class(module, name):
    """The numkeras class Keras saves as `module.name` (e.g. "keras.layers", "Dense"), else None."""
    if not isinstance(module, str) or not module.split(".")[0] in ("keras", "numkeras"):
        return None
    packages = _packages_for(module)
    if name in _MODEL_MODULES and "models" in packages:
        return _model_class(name)
    for package in packages:
        obj = _exported(package, name)
        if inspect.isclass(obj) and obj.__module__.startswith("numkeras.") and hasattr(obj, "from_config"):
            return obj
    return None


def find_builtin_function(module, name):
    """The numkeras activation, loss or metric function saved as `name`, else None.

    `module` may be a Keras module ("keras.activations") or "builtins"/None,
    which Keras writes for its own functions; then every function package is searched.
    """
    if not isinstance(name, str):
        return None
    packages = [p for p in _packages_for(module) if p in _FUNCTION_PACKAGES] if module not in (None, "builtins") \
        else list(_FUNCTION_PACKAGES)
    for package in packages:
        obj = _exported(package, name)
        if inspect.isfunction(obj) and obj.__module__.startswith("numkeras."):
            return obj
    return None
