"""Global settings, as in `keras.config`: float type, fuzz factor, dtype policy, and numkeras's NaN check.

Example:
    >>> import numkeras
    >>> numkeras.config.floatx()
    'float32'
    >>> numkeras.config.is_nan_check_enabled()
    True
"""
from numkeras.backend.config import epsilon, floatx, set_epsilon, set_floatx
from numkeras.dtype_policies.dtype_policy import dtype_policy, set_dtype_policy

_nan_check = True


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


# The surface (tests/surface checks it against Keras 3.15's keras.config).
_NUMKERAS_EXTRAS = ("disable_nan_check", "enable_nan_check", "is_nan_check_enabled")
__all__ = ["disable_nan_check", "dtype_policy", "enable_nan_check", "epsilon", "floatx", "is_nan_check_enabled",
           "set_dtype_policy", "set_epsilon", "set_floatx"]


def __dir__():
    return list(__all__)
