"""Weight penalties added to the training loss: L1, L2, L1L2.

Example:
    >>> import numpy as np
    >>> from numkeras import regularizers
    >>> float(regularizers.L2(0.5)(np.array([1.0, 2.0], "float32")))
    2.5
"""
from numkeras.engine import math_ops, reduction_ops
from numkeras.utils.lookup import lookup


class Regularizer:
    """Base class: a callable `penalty(weight) -> scalar Tensor`."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """Penalty `l1 * sum(|x|) + l2 * sum(x**2)`. Defaults to l1=0.0, l2=0.0."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        total = 0.0
        if self.l1:
            total = total + self.l1 * reduction_ops.sum(math_ops.abs(x))
        if self.l2:
            total = total + self.l2 * reduction_ops.sum(math_ops.square(x))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """Penalty `l1 * sum(|x|)`. Defaults to l1=0.01."""

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    """Penalty `l2 * sum(x**2)`. Defaults to l2=0.01."""

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


l1, l2, l1_l2 = L1, L2, L1L2
_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2}


def get(identifier):
    """Returns a regularizer from a name, an instance, a callable or None."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return lookup("regularizer", identifier["class_name"], {**_BY_NAME, "L1": L1, "L2": L2, "L1L2": L1L2})(
            **identifier.get("config", {}))
    return lookup("regularizer", identifier, _BY_NAME)()
