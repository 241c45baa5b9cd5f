"""Global settings, as in `keras.config`: float type, fuzz factor, dtype policy, and numkeras's NaN check.

Example:
    >>> import numkeras
    >>> numkeras.config.floatx()
    'float32'
    >>> numkeras.config.is_nan_check_enabled()
    True
"""
import os as _os

from numkeras.backend.config import epsilon, floatx, set_epsilon, set_floatx
from numkeras.dtype_policies.dtype_policy import dtype_policy, set_dtype_policy

_nan_check = True


def _limit_from_environment(variable):
    """A positive integer limit from the environment variable, else None (unset or empty)."""
    text = _os.environ.get(variable, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"numkeras.config: the environment variable {variable} must be a positive integer. "
                         f"Received: {text!r}. Unset it for no limit.")
    return value


# Debugging limits on fit/evaluate/predict, as Keras reads them: from the environment at import.
_max_epochs = _limit_from_environment("KERAS_MAX_EPOCHS")
_max_steps_per_epoch = _limit_from_environment("KERAS_MAX_STEPS_PER_EPOCH")


def _checked_limit(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name}() takes a positive integer or None (no limit). Received: {value!r}.")
    return value


def set_max_epochs(max_epochs):
    """Caps the number of epochs of every later `fit()` call; for quick debugging runs.

    `fit(epochs=E)` then trains `min(E, max_epochs)` epochs and warns that it did.
    The `KERAS_MAX_EPOCHS` environment variable sets the same limit when numkeras
    is imported.

    Args:
        max_epochs: a positive integer, or None for no limit (the default).

    Example:
        >>> import numkeras
        >>> numkeras.config.set_max_epochs(2)
        >>> numkeras.config.max_epochs()
        2
        >>> numkeras.config.set_max_epochs(None)
    """
    global _max_epochs
    _max_epochs = _checked_limit(max_epochs, "set_max_epochs")


def max_epochs():
    """The epoch limit set by `set_max_epochs` (or `KERAS_MAX_EPOCHS`), or None."""
    return _max_epochs


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the batches of one epoch of every later `fit()`, and of `evaluate()` and `predict()`.

    For quick debugging runs: each of those calls then stops after
    `max_steps_per_epoch` batches (and warns that it did), so `evaluate()`
    scores, and `predict()` returns, only the first batches' samples. The
    `KERAS_MAX_STEPS_PER_EPOCH` environment variable sets the same limit
    when numkeras is imported.

    Args:
        max_steps_per_epoch: a positive integer, or None for no limit (the default).

    Example:
        >>> import numkeras
        >>> numkeras.config.set_max_steps_per_epoch(10)
        >>> numkeras.config.max_steps_per_epoch()
        10
        >>> numkeras.config.set_max_steps_per_epoch(None)
    """
    global _max_steps_per_epoch
    _max_steps_per_epoch = _checked_limit(max_steps_per_epoch, "set_max_steps_per_epoch")


def max_steps_per_epoch():
    """The per-epoch batch limit set by `set_max_steps_per_epoch` (or `KERAS_MAX_STEPS_PER_EPOCH`), or None."""
    return _max_steps_per_epoch


def enable_nan_check():
    """fit() stops at the first non-finite loss with an error naming the epoch, batch and layer (the default)."""
    global _nan_check
    _nan_check = True


def disable_nan_check():
    """fit() carries on through non-finite losses, as Keras does (use TerminateOnNaN to stop)."""
    global _nan_check
    _nan_check = False


def is_nan_check_enabled():
    return _nan_check


def backend():
    """The name of the array backend numkeras computes with: 'numpy' (the default), 'strict' or 'cupy'.

    Example:
        >>> import numkeras
        >>> numkeras.config.backend()
        'numpy'
    """
    from numkeras.backend import array_module
    return array_module.backend_name()


def set_backend(backend):
    """Chooses the array backend, before any model, layer or variable is built.

    The `NUMKERAS_BACKEND` environment variable does the same when numkeras is imported.

    Args:
        backend: 'numpy' (CPU, the default), 'cupy' (an NVIDIA GPU; `pip install numkeras[gpu]`) or
            'strict' (NumPy behind CuPy's rules, to catch code that would break on a GPU).

    Raises:
        ValueError: for an unknown name. ImportError: 'cupy' without CuPy installed.
        RuntimeError: when arrays were already made on another backend.

    Example:
        >>> import numkeras
        >>> numkeras.config.set_backend("numpy")
        >>> numkeras.config.backend()
        'numpy'
    """
    from numkeras.backend import array_module
    array_module.switch(backend)


# The surface (tests/surface checks it against Keras 3.15's keras.config).
_NUMKERAS_EXTRAS = ("disable_nan_check", "enable_nan_check", "is_nan_check_enabled")
__all__ = ["backend", "set_backend", "disable_nan_check", "dtype_policy", "enable_nan_check", "epsilon", "floatx", "is_nan_check_enabled",
           "max_epochs", "max_steps_per_epoch", "set_dtype_policy", "set_epsilon", "set_floatx", "set_max_epochs",
           "set_max_steps_per_epoch"]


def __dir__():
    return list(__all__)
