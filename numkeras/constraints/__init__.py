"""Weight constraints: projections applied to a weight after each optimizer step.

Example:
    >>> import numpy as np
    >>> from numkeras import constraints
    >>> constraints.NonNeg()(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
"""

from numkeras.engine.tensor import unwrap
from numkeras.utils.lookup import lookup


class Constraint:
    """Base class: a callable `constraint(value) -> projected value`."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}


class NonNeg(Constraint):
    """Clamps weights to be non-negative."""

    def __call__(self, w):
        w = unwrap(w)
        return w * (w >= 0)


_BY_NAME = {"non_neg": NonNeg}


def get(identifier):
    """Returns a constraint from a name, an instance, a callable or None."""
    if identifier is None or callable(identifier):
        return identifier
    return lookup("constraint", identifier, _BY_NAME)()


