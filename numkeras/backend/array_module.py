"""Which array module numkeras computes with, and the one explicit boundary to the host.

`NUMKERAS_BACKEND` picks it when numkeras is imported; `numkeras.config.set_backend(name)` changes
it before any model is built:

  * `numpy` (the default): NumPy itself; `to_host`/`from_host` are `numpy.asarray`, no cost added.
  * `strict`: NumPy behind CuPy's walls (`backend/strict_array.py`), for catching seam leaks in CI.
  * `cupy`: the GPU (`pip install numkeras[gpu]`).

Host-side code (data checks, datasets, saving, callbacks' logs) reads arrays through `to_host`, and
hands host data to the compute side through `from_host`; everything between computes with `xp`.

Example:
    >>> from numkeras.backend import array_module
    >>> array_module.backend_name()
    'numpy'
"""
import os
import sys

import numpy as np  # the host side of the boundary

BACKENDS = ("numpy", "strict", "cupy")
_GPU_HINT = ("Install CuPy for your CUDA with `pip install numkeras[gpu]` (it names the cupy-cuda13x wheel; "
             "another CUDA takes its own cupy-cudaXXx).")


def _checked(name):
    if name not in BACKENDS:
        raise ValueError(f"Unknown numkeras backend. Received: {name!r}. Expected one of {BACKENDS} "
                         "(set NUMKERAS_BACKEND or call numkeras.config.set_backend).")
    return name


def load(name):
    """(xp, to_host, from_host, scatter_add) of backend `name`."""
    if _checked(name) == "numpy":
        return np, np.asarray, np.asarray, np.add.at
    if name == "strict":
        from numkeras.backend import strict_array
        return strict_array.strict_module(), strict_array.to_host, strict_array.from_host, strict_array.scatter_add
    try:
        import cupy
        import cupyx
    except ImportError as e:
        raise ImportError(f"The numkeras backend 'cupy' needs CuPy, which cannot be imported ({e}). "
                          f"{_GPU_HINT}") from e
    return cupy, cupy.asnumpy, cupy.asarray, cupyx.scatter_add


class no_errstate:
    """`errstate` where the array module has no floating-point error state (a GPU): a context that does nothing.

    Code that needs to know about overflow checks the values (`xp.isfinite`) instead.
    """

    def __init__(self, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def errstate_of(name):
    """The `errstate` context of backend `name`: NumPy's, or one that does nothing."""
    return np.errstate if name == "numpy" else no_errstate


def from_environment():
    """The backend NUMKERAS_BACKEND names, 'numpy' when unset or empty."""
    return (os.environ.get("NUMKERAS_BACKEND", "").strip().lower() or "numpy")


_state = {"name": "numpy", "locked": False}


def backend_name():
    """The name of the array backend in use: 'numpy', 'strict' or 'cupy'."""
    return _state["name"]


def lock():
    """Called when the first Variable is made: from then on the backend cannot change."""
    _state["locked"] = True


def switch(name):
    """Makes `name` the backend of numkeras and of its modules already imported.

    Modules bind `xp` (and `to_host`, `from_host`, `scatter_add`) at import; each binding to the old
    backend's object is re-pointed at the new one, as Keras's `set_backend` reloads its modules.
    """
    name = _checked(str(name).lower())
    if name == _state["name"]:
        return
    if _state["locked"]:
        raise RuntimeError(f"numkeras.config.set_backend({name!r}) was called after arrays were made on the "
                           f"{_state['name']!r} backend (a model, layer or variable exists). Call it first, "
                           "before building anything, or set NUMKERAS_BACKEND before starting Python.")
    backend = sys.modules["numkeras.backend"]
    old = [backend.xp, backend.to_host, backend.from_host, backend.scatter_add]
    new = list(load(name))
    old.append(backend.errstate)
    new.append(errstate_of(name))
    swap = {id(o): n for o, n in zip(old, new)}
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("numkeras") or module_name.startswith(
                "numkeras.backend.strict_array"):
            continue
        namespace = getattr(module, "__dict__", {})
        for key, value in list(namespace.items()):
            if id(value) in swap and key in ("xp", "_xp", "to_host", "from_host", "scatter_add", "errstate",
                                             "_to_host", "_from_host", "_scatter_add", "_errstate"):
                namespace[key] = swap[id(value)]
    _state["name"] = name
