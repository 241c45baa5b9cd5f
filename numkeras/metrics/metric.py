"""The Metric base class: state that accumulates over batches.

A metric keeps its state in non-trainable `Variable`s (`metric.variables`),
updates it with `update_state(y_true, y_pred, sample_weight=None)`, reads it
with `result()` and clears it with `reset_state()`. Metrics need no
gradients, so they compute on plain arrays.

Example:
    >>> import numpy as np
    >>> class Count(Metric):
    ...     def __init__(self, name="count", dtype=None):
    ...         super().__init__(name=name, dtype=dtype)
    ...         self.count = self.add_variable(shape=(), initializer="zeros", name="count")
    ...     def update_state(self, values, sample_weight=None):
    ...         self.count.assign_add(np.size(values))
    ...     def result(self):
    ...         return np.asarray(self.count.data)
    >>> m = Count()
    >>> m.update_state([1, 2, 3])
    >>> float(m.result())
    3.0
"""
from numkeras.backend import floatx, standardize_dtype, xp
from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable
from numkeras.losses.loss import _snake_case
from numkeras.utils.argument_checks import wrap_constructor


class Metric:
    """Encapsulates a metric's state and logic. Subclass it and implement
    `update_state` and `result` (and `reset_state` if zeros are not the start).

    Args:
        dtype: the dtype of the state and result. Defaults to `floatx()`.
        name: the metric's name. Defaults to the class name in snake_case.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    def __init__(self, dtype=None, name=None):
        self.name = name or _snake_case(type(self).__name__)
        self._dtype = standardize_dtype(dtype or floatx())
        self._variables = []

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        """The metric's state variables."""
        return list(self._variables)

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable, tracked in `variables`.

        Args:
            shape: the variable's shape. Defaults to ().
            initializer: 'zeros', 'ones', an array, or `fn(shape, dtype)`. Defaults to 'zeros'.
            dtype: Defaults to the metric's dtype.
            aggregation: accepted for Keras compatibility.
            name: the variable's name.
        """
        if not hasattr(self, "_variables"):
            raise RuntimeError(f"{type(self).__name__}: you forgot to call super().__init__() in __init__(). "
                               "Call it before add_variable().")
        dtype = standardize_dtype(dtype or self._dtype)
        if isinstance(initializer, str) and initializer.lower() in ("zeros", "ones"):
            value = (xp.zeros if initializer.lower() == "zeros" else xp.ones)(shape, dtype=dtype)
        elif callable(initializer):
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = xp.broadcast_to(xp.asarray(initializer, dtype=dtype), shape)
        variable = Variable(value, dtype=dtype, trainable=False, name=name)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer="zeros", dtype=None, name=None):
        """Same as `add_variable`."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics for the metric."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        """Returns the metric's current value."""
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def reset_state(self):
        """Sets every state variable back to zero (called at the start of each epoch)."""
        for v in self._variables:
            v.assign(xp.zeros_like(v.data))

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch and returns the result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def raw(x):
    """The array behind a Tensor (anything else is returned as an array)."""
    return x.data if isinstance(x, Tensor) else xp.asarray(x)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """The NumPy form of `numkeras.losses.loss.squeeze_or_expand_to_same_rank`, for metrics."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


wrap_constructor(Metric)  # the base class's own arguments (name, dtype, ...) too
