"""Core layers: Dense, EinsumDense, Embedding, Input/InputLayer, Lambda and Masking.

Example:
    >>> from numkeras.layers import Dense, Input, Lambda
    >>> Dense(4).units, Input(shape=(3,)).shape, Lambda(abs).function is abs
    (4, (None, 3), True)
"""
from numkeras.layers.core.dense import Dense
from numkeras.layers.core.einsum_dense import EinsumDense
from numkeras.layers.core.embedding import Embedding
from numkeras.layers.core.input_layer import Input, InputLayer
from numkeras.layers.core.lambda_layer import Lambda
from numkeras.layers.core.masking import Masking

__all__ = ["Dense", "EinsumDense", "Embedding", "Input", "InputLayer", "Lambda", "Masking"]
