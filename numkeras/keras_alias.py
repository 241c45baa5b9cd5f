"""`install_as_keras()`: `import keras` resolves to numkeras, so the book's code runs unedited.

The convention is PyMySQL's `install_as_MySQLdb()`: one call at the top of a program, and every
later `import keras`, `from keras import layers`, `from keras.datasets import imdb` or
`from keras import backend as K` gets numkeras's module of the same name. Nothing on disk
changes: a finder placed first on `sys.meta_path` answers for the name `keras` and its
submodules in this process only.

Example:
    >>> import numkeras
    >>> numkeras.install_as_keras()
    >>> import keras
    >>> from keras.layers import Dense
    >>> keras is numkeras, Dense is numkeras.layers.Dense
    (True, True)
    >>> numkeras.keras_alias.uninstall()  # (only so this example leaves the process as it was)
"""
import importlib
import importlib.abc
import importlib.util
import sys


class _KerasAliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds `keras` and `keras.*` as the numkeras modules of the same path."""

    def __init__(self):
        self._own_specs = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras" and not fullname.startswith("keras."):
            return None
        target_name = "numkeras" + fullname[len("keras"):]
        try:
            found = importlib.util.find_spec(target_name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            # ModuleNotFoundError is what `import keras.foo` raises; it names what is missing.
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: numkeras (installed as keras) has no {target_name}. "
                f"See numkeras's README for the Keras modules it covers.", name=fullname)
        return importlib.util.spec_from_loader(fullname, self, is_package=found.submodule_search_locations is not None)

    def create_module(self, spec):
        # The module object is numkeras's own, so `keras.layers is numkeras.layers`.
        module = importlib.import_module("numkeras" + spec.name[len("keras"):])
        self._own_specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module):
        # Already executed when numkeras imported it. The import system has just stamped the
        # alias's spec on it; give the module its own back, so numkeras's modules stay as they were.
        module.__spec__ = self._own_specs.pop(module.__name__)


_FINDER = _KerasAliasFinder()


def install_as_keras():
    """Makes `import keras` (and every `keras.*` module) resolve to numkeras in this process.

    Call it before the first `import keras`. Calling it again does nothing.

    Raises:
        RuntimeError: the real Keras is already imported in this process (the two cannot share
            the name); call `install_as_keras()` before anything imports Keras, or run the
            program in a fresh process.
    """
    already = sys.modules.get("keras")
    if already is not None and not getattr(already, "__name__", "").startswith("numkeras"):
        where = getattr(already, "__file__", None) or "an unknown location"
        raise RuntimeError(
            f"install_as_keras(): the real Keras is already imported in this process (from {where}), so `keras` "
            f"cannot also name numkeras. Call numkeras.install_as_keras() before anything imports keras, "
            f"or start a fresh Python process.")
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    sys.modules["keras"] = importlib.import_module("numkeras")


def uninstall():
    """Undoes `install_as_keras()`: `keras` and its submodules no longer name numkeras modules."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in sys.modules if n == "keras" or n.startswith("keras.")]:
        if getattr(sys.modules[name], "__name__", "").startswith("numkeras"):
            del sys.modules[name]
