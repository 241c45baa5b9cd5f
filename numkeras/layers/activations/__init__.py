"""Activation layers: Activation (any activation by name or function), ReLU, LeakyReLU, PReLU, ELU, Softmax.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import LeakyReLU
    >>> LeakyReLU()(np.array([-1.0, 1.0])).numpy()
    array([-0.3,  1. ], dtype=float32)
"""
from numkeras.layers.activations.activation import Activation
from numkeras.layers.activations.elu import ELU
from numkeras.layers.activations.leaky_relu import LeakyReLU
from numkeras.layers.activations.prelu import PReLU
from numkeras.layers.activations.relu import ReLU
from numkeras.layers.activations.softmax import Softmax

__all__ = ["Activation", "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
