"""A cap on the weights a model file may make numkeras allocate while it is rebuilt.

`load_model` rebuilds the model from config.json before reading
model.weights.h5, and building a layer allocates its variables. A file
declaring `Dense(units=10**12)` would have numpy allocate (and fill)
whatever that asks for. Inside `weight_budget(max_bytes)` every
`Layer.add_weight` first charges its variable's size: once the total would
pass `max_bytes` (set from the size of the weights the file actually
stores), or `MAX_ELEMENTS` values in all, the load is refused before
anything is allocated. Outside a budget (ordinary model building) charging
costs nothing.

Example:
    >>> from numkeras import layers
    >>> with weight_budget(1024, "model.weights.h5 stores 1024 bytes"):
    ...     layers.Dense(10**6).build((None, 4))
    Traceback (most recent call last):
    ...
    numkeras.saving.file_format_error.FileFormatError: Layer '...' asks for a variable of shape (4, 1000000) ...
"""
import contextlib
import math
import threading

import numpy as np

from numkeras.saving.file_format_error import FileFormatError

MAX_ELEMENTS = 2**31  # values in all variables of one loaded model
_state = threading.local()


@contextlib.contextmanager
def weight_budget(max_bytes, stored):
    """Within the block, variables created by layers may total at most `max_bytes` (and MAX_ELEMENTS values).

    Args:
        max_bytes: the bytes all new variables may take together.
        stored: what the file stores, for the error message
            (e.g. "model.weights.h5 stores 2,000 bytes").
    """
    saved = getattr(_state, "budget", None)
    _state.budget = {"left": max_bytes, "elements": 0, "stored": stored}
    try:
        yield
    finally:
        _state.budget = saved


def charge(shape, dtype, layer_name):
    """Counts a variable of `shape` and `dtype` against the active budget; raises FileFormatError past it."""
    budget = getattr(_state, "budget", None)
    if budget is None:
        return
    elements = math.prod(int(d) for d in shape)  # exact for any size: no int64 overflow
    size = elements * np.dtype(dtype).itemsize
    budget["elements"] += elements
    if size > budget["left"] or budget["elements"] > MAX_ELEMENTS:
        raise FileFormatError(
            f"Layer {layer_name!r} asks for a variable of shape {tuple(shape)} ({elements} values, {size} bytes), "
            f"but {budget['stored']}: config.json declares more weights than the file holds (at most "
            f"{MAX_ELEMENTS} values are loaded in all). Refusing to allocate them; the file is corrupted or "
            "crafted. If you trust it, rebuild the model in code and load its weights with model.load_weights().")
    budget["left"] -= size
