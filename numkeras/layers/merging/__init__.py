"""Merge layers: combine a list of inputs (Add, Concatenate, Dot, ...) and their lowercase functions.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import add, concatenate
    >>> a = np.ones((2, 3), "float32")
    >>> add([a, a]).shape, concatenate([a, a]).shape
    ((2, 3), (2, 6))
"""
from numkeras.layers.merging.add import Add, add
from numkeras.layers.merging.average import Average, average
from numkeras.layers.merging.base_merge import Merge
from numkeras.layers.merging.concatenate import Concatenate, concatenate
from numkeras.layers.merging.dot import Dot, dot
from numkeras.layers.merging.maximum import Maximum, maximum
from numkeras.layers.merging.minimum import Minimum, minimum
from numkeras.layers.merging.multiply import Multiply, multiply
from numkeras.layers.merging.subtract import Subtract, subtract

__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Merge", "Minimum", "Multiply", "Subtract",
           "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract"]
