"""The switch for numkeras's optional compiled kernels, and how they are compiled.

With numba installed (`pip install numkeras[fast]`), a few hot loops that NumPy can only run as many
passes over memory (an optimizer's update, the max-pooling gradient) run as one compiled loop
instead. Each kernel does the same float operations as the NumPy code it stands in for, which stays
the reference and the only path without numba or with `NUMKERAS_FUSED=0`; tests check both agree.
numba is imported when the first kernel is needed, never by `import numkeras`.

The contract every kernel family keeps (`engine/relu_kernels.py`, `engine/pool_kernels.py`,
`engine/conv_kernels.py`, `engine/rnn_kernels.py`, `engine/attention_kernels.py`, `engine/gather_kernels.py`,
`engine/normalization_kernels.py`, `optimizers/update_kernels.py`, `layers/preprocessing/text_kernels.py`):
  * An entry point takes the arrays it would work on and either runs, returning its result (the
    array it wrote), or declines, returning None: kernels off, numba absent or broken, or arrays it
    does not take (`takes`: another dtype, layout or array module, or too small to pay).
  * On None the caller runs its NumPy code. That code is the same whatever the switch says and
    whether or not numba is installed; only the kernel families import this module. (A family may
    also answer whether it is ready, e.g. `conv_kernels.col2im_ready`, so its caller can lay out a
    buffer the kernel reads; the NumPy code handles that layout too.)
  * Results are bit-identical either way (`compiled_kernels_test.py` checks each family). One stated
    exception: layer normalization's scale and offset gradients, when its rows are split over more
    than one thread, are summed per thread and then added (`normalization_kernels`), so they agree
    with NumPy's one running sum within rounding (rtol 1e-5 in float32), not bit for bit.
  * On the cupy backend, device arrays go to the family's CuPy twin (`*_cupy_kernels.py`:
    ElementwiseKernel/RawKernel sources, imported only there; `NUMKERAS_FUSED=0` turns them off too).

Example:
    >>> from numkeras.backend import compiled_kernels
    >>> compiled_kernels.set_enabled(False)
    >>> compiled_kernels.is_enabled()
    False
    >>> compiled_kernels.set_enabled(True)
"""
import importlib.util
import os
import warnings

import numpy as np  # the kernels run on CPU arrays only

_state = {"enabled": None}
_compiled = {}  # define function -> its kernels


def is_enabled():
    """Whether numkeras uses its compiled kernels: numba is installed and NUMKERAS_FUSED is not "0"."""
    if _state["enabled"] is None:
        _state["enabled"] = (os.environ.get("NUMKERAS_FUSED", "1") != "0"
                             and importlib.util.find_spec("numba") is not None)
    return _state["enabled"]


def is_enabled_on_device():
    """Whether the GPU kernel families (`*_cupy_kernels.py`) run on the cupy backend: NUMKERAS_FUSED is not "0"."""
    return os.environ.get("NUMKERAS_FUSED", "1") != "0"


def set_enabled(flag):
    """Turns the compiled kernels on (where numba is installed) or off (NumPy alone)."""
    _state["enabled"] = bool(flag) and importlib.util.find_spec("numba") is not None


def takes(*arrays, contiguous=True):
    """Whether the compiled kernels are on and can take these arrays: NumPy float32 or float64 arrays
    (C-contiguous unless `contiguous=False`). Anything else, a CuPy array or float16 (which numba cannot
    compile: mixed precision) included, goes to the NumPy/xp code."""
    return is_enabled() and all(
        type(a) is np.ndarray and a.dtype.char in "fd" and (a.flags.c_contiguous or not contiguous) for a in arrays)


def compiled(define, name):
    """Kernel `name` of `define(jit)`, compiled on first use; None when numba cannot be imported."""
    found = kernels(define)
    return None if found is None else found[name]


def kernels(define):
    """`define(jit)`'s dict of kernels, compiled with numba on first use.

    Returns None (and turns the kernels off, with a warning) when numba cannot be imported.

    `jit` compiles with error_model="numpy": a float division by zero gives inf as in NumPy, instead
    of a Python exception check in the loop, which would also stop LLVM from vectorizing it. Compiled
    code is cached on disk (numba's cache: `__pycache__` beside the source, or numba's user cache
    directory where that is read-only; with neither writable, each run compiles), keyed by the source
    and the CPU: the book convnet's eight kernels take 1.6 s to compile and 0.45 s to load, most of it
    numba's own start.
    """
    if define not in _compiled:
        try:
            with warnings.catch_warnings():  # numba's own import-time notices are not the user's to act on
                warnings.simplefilter("ignore")
                import numba
        except ImportError as e:  # installed but broken (say, a mismatched llvmlite): NumPy from here on
            _state["enabled"] = False
            warnings.warn(f"numkeras: numba is installed but cannot be imported ({e}); continuing on NumPy "
                          "alone. Reinstall it (pip install -U numba) or set NUMKERAS_FUSED=0 to silence "
                          "this.", RuntimeWarning, stacklevel=3)
            return None
        try:
            _compiled[define] = define(numba.njit(nogil=True, error_model="numpy", cache=True))
        except RuntimeError:  # no writable cache directory at all (a read-only install and home): no cache
            _compiled[define] = define(numba.njit(nogil=True, error_model="numpy", cache=False))
    return _compiled[define]
