"""Initializer: the base class of callables `initializer(shape, dtype=None) -> array`.

Example:
    >>> import numpy as np
    >>> from numkeras.initializers import Initializer
    >>> class Halves(Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return np.full(shape, 0.5, dtype or "float32")
    >>> Halves()((2,)).tolist()
    [0.5, 0.5]
"""
from numkeras.utils.argument_checks import wrap_constructor



class Initializer:
    """Base class: subclasses implement `__call__(shape, dtype=None)` and, when they
    take arguments, `get_config()` returning them."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self):
        """Returns the constructor arguments as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates an initializer from `get_config()`'s output."""
        return cls(**config)

    def clone(self):
        """Returns a new initializer with the same config."""
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def as_shape(shape):
    """Returns `shape` (an int or a sequence of ints) as a tuple of ints."""
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(d) for d in shape)


wrap_constructor(Initializer)  # the base class's own arguments (name, dtype, ...) too
