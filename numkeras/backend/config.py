"""Global numeric settings: the default float type and the fuzz factor."""
import numpy as np

_FLOATX = "float32"
_EPSILON = 1e-7


def floatx():
    """Returns the default float type as a string. Defaults to 'float32'."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type: one of 'float16', 'float32', 'float64'."""
    global _FLOATX
    allowed = ("float16", "float32", "float64")
    if value not in allowed:
        raise ValueError(f"Unknown floatx type. Received: value={value!r}. Expected one of {allowed}.")
    _FLOATX = str(value)


def epsilon():
    """Returns the fuzz factor used in numeric expressions. Defaults to 1e-7."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def standardize_dtype(dtype):
    """Returns the canonical string name of `dtype` ('float32', 'int64', ...)."""
    if dtype is None:
        return floatx()
    if (isinstance(dtype, str) and dtype in ("string", "str")) or dtype in (str, bytes, np.str_, np.bytes_) or (
            isinstance(dtype, np.dtype) and dtype.kind in "US"):
        return "string"  # Keras's name for text tensors (TextVectorization, StringLookup inputs)
    return np.dtype(dtype).name
