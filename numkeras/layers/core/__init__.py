"""Core layers: Dense and Lambda.

Example:
    >>> from numkeras.layers.core import Dense, Lambda
    >>> Dense(4).units, Lambda(abs).function is abs
    (4, True)
"""
from numkeras.layers.core.dense import Dense
from numkeras.layers.core.lambda_layer import Lambda

__all__ = ["Dense", "Lambda"]
