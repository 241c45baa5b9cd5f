"""Weight constraints: projections applied to a weight after each optimizer step.

A constraint is a callable `constraint(w) -> projected w`. Layers take them
as `kernel_constraint` / `bias_constraint`; the optimizer assigns
`constraint(variable)` back to each constrained variable after its update.
They work on the raw array (no gradient flows through a projection) and
keep its dtype.

Example:
    >>> import numpy as np
    >>> from numkeras import constraints
    >>> constraints.MaxNorm(1.0)(np.array([[3.0], [4.0]], "float32")).astype("float64").round(4).tolist()
    [[0.6], [0.8]]
"""
from numkeras.backend import epsilon, xp
from numkeras.engine.tensor import unwrap
from numkeras.utils.argument_checks import wrap_constructor


def _array(w):
    w = xp.asarray(unwrap(w))
    return w if w.dtype.kind == "f" else w.astype("float32")


def _norms(w, axis):
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return xp.sqrt(xp.sum(xp.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: subclasses implement `__call__(w)` (and `get_config()` when they take arguments).

    Example:
        >>> import numpy as np
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return np.clip(w, -1, 1)
        >>> Clip()(np.array([-3.0, 0.5])).tolist()
        [-1.0, 0.5]
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    def __call__(self, w):
        return w

    def get_config(self):
        """Returns the constructor arguments as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates a constraint from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class MaxNorm(Constraint):
    """Rescales each weight vector whose norm exceeds `max_value` down to it.

    Args:
        max_value: the largest allowed norm. Defaults to 2.
        axis: the axis (or axes) over which each norm is computed. For a
            Dense kernel `(input_dim, units)`, `axis=0` constrains each unit's
            incoming weights. Defaults to 0.

    Example:
        >>> import numpy as np
        >>> MaxNorm(2.0)(np.array([[3.0, 0.3], [4.0, 0.4]])).round(4).tolist()
        [[1.2, 0.3], [1.6, 0.4]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _array(w)
        norms = _norms(w, self.axis)
        desired = xp.clip(norms, 0, self.max_value)
        return w * (desired / (epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each weight vector's norm into `[min_value, max_value]`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`:
    `rate=1.0` enforces the bounds at once, a smaller rate moves towards them.

    Args:
        min_value: the smallest allowed norm. Defaults to 0.0.
        max_value: the largest allowed norm. Defaults to 1.0.
        rate: how far to move towards the bounds at each step. Defaults to 1.0.
        axis: the axis (or axes) of each norm. Defaults to 0.

    Example:
        >>> import numpy as np
        >>> MinMaxNorm(1.0, 2.0)(np.array([[0.3], [0.4]])).round(4).tolist()
        [[0.6], [0.8]]
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _array(w)
        norms = _norms(w, self.axis)
        desired = self.rate * xp.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to 0.

    Example:
        >>> import numpy as np
        >>> NonNeg()(np.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __call__(self, w):
        return xp.maximum(_array(w), 0)


class UnitNorm(Constraint):
    """Rescales each weight vector to norm 1.

    Args:
        axis: the axis (or axes) of each norm. Defaults to 0.

    Example:
        >>> import numpy as np
        >>> UnitNorm()(np.array([[3.0], [4.0]])).round(4).tolist()
        [[0.6], [0.8]]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _array(w)
        return w / (epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


wrap_constructor(Constraint)  # the base class's own arguments (name, dtype, ...) too
