"""Dtype policies (Keras's `keras.dtype_policies`): float32, float64, float16 and mixed_float16.

Example:
    >>> from numkeras import dtype_policies
    >>> dtype_policies.get("mixed_float16")
    <DTypePolicy "mixed_float16">
"""
from numkeras.dtype_policies.dtype_policy import DTypePolicy, FloatDTypePolicy, deserialize, get, serialize

__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "get", "serialize"]


def __dir__():
    return list(__all__)
