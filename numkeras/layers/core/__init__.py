"""Core layers living in their own files (Lambda for now).

Example:
    >>> from numkeras.layers.core import Lambda
    >>> Lambda(abs).function is abs
    True
"""
from numkeras.layers.core.lambda_layer import Lambda

__all__ = ["Lambda"]
