"""Variable: a named, mutable Tensor holding a model's state.

Trainable variables are watched by every GradientTape. `assign`,
`assign_add` and `assign_sub` update the array in place, so optimizers and
views of the weights see one buffer.

Example:
    >>> import numkeras
    >>> v = numkeras.Variable([1.0, 2.0], name="v")
    >>> v.assign_add([1.0, 1.0]).numpy()
    array([2., 3.], dtype=float32)
"""
import numpy as np

from numkeras.backend import array_module as _array_module
from numkeras.backend import floatx, standardize_dtype, to_host, xp
from numkeras.engine.tensor import Tensor, unwrap


class Variable(Tensor):
    """A mutable tensor.

    Args:
        initializer: an initial value (array-like) or a callable
            `initializer(shape, dtype)` such as those in `numkeras.initializers`.
        shape: the shape, needed when `initializer` is callable.
        dtype: the dtype. Defaults to the value's float type, else `floatx()`.
        trainable: whether gradients are taken for it. Defaults to True.
        name: a name. Defaults to "variable".
        autocast: whether a mixed-precision layer may read it in its compute dtype. Defaults to True.
        aggregation: how replicas would combine it: "none", "mean", "sum" or "only_first_replica"
            (recorded, as Keras does; numkeras runs one replica). Defaults to "none".
    """

    __slots__ = ("_trainable", "name", "path", "constraint", "regularizer", "autocast", "aggregation",
                 "overwrite_with_gradient")

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None,
                 constraint=None, regularizer=None, autocast=True, aggregation="none"):
        if aggregation not in (None, "none", "mean", "sum", "only_first_replica"):
            raise ValueError(f"Variable {name!r}: aggregation must be one of None, 'none', 'mean', 'sum' or "
                             f"'only_first_replica'. Received: aggregation={aggregation!r}.")
        if isinstance(initializer, str):  # a name, as Keras takes it: Variable(shape=..., initializer="uniform")
            from numkeras import initializers
            initializer = initializers.get(initializer)
        if callable(initializer) and not isinstance(initializer, (Tensor, np.ndarray, xp.ndarray)):
            if shape is None:
                raise ValueError(
                    f"Variable {name!r}: a callable initializer needs a shape. Received: shape=None. "
                    "Pass shape=(...) or an initial array instead.")
            value = initializer(tuple(shape), dtype=standardize_dtype(dtype))
        else:
            value = unwrap(initializer)
        if not _array_module._state["locked"]:
            _array_module.lock()  # the backend is fixed from the first variable on
        value = xp.asarray(value)
        if dtype is not None:
            value = value.astype(standardize_dtype(dtype), copy=False)
        elif value.dtype.kind not in "iub":  # floats (and anything odd) default to floatx
            value = value.astype(floatx(), copy=False)
        if shape is not None and tuple(value.shape) != tuple(shape):
            raise ValueError(
                f"Variable {name!r}: initial value has shape {value.shape}, expected shape {tuple(shape)}.")
        super().__init__(xp.array(value, copy=True))
        self.name = name or "variable"
        self.path = self.name
        self.constraint = constraint
        self.regularizer = regularizer
        self.autocast = bool(autocast)
        self.aggregation = aggregation or "none"
        self.overwrite_with_gradient = False  # True: an optimizer step sets it to its gradient (Keras's float8 use)
        self.trainable = trainable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self.requires_grad = self._trainable

    def numpy(self):
        """Returns a copy of the value (the buffer itself changes with every optimizer step)."""
        return np.array(to_host(self.data))  # host copy

    @property
    def value(self):
        """The current value as a Tensor (a snapshot outside the graph)."""
        return Tensor(self.data)

    def _checked(self, value, method):
        value = xp.asarray(unwrap(value))
        if value.shape != self.data.shape and value.size != 1:
            raise ValueError(
                f"Variable {self.path!r}.{method}(): value has shape {value.shape}, but the variable has "
                f"shape {self.data.shape}. Pass a value of shape {self.data.shape}.")
        return value

    def assign(self, value):
        """Sets the value in place. Returns the variable."""
        self.data[...] = self._checked(value, "assign")
        return self

    def assign_add(self, delta):
        """Adds `delta` in place. Returns the variable."""
        delta = unwrap(delta)
        if not (type(delta) is xp.ndarray and delta.shape == self.data.shape):
            delta = self._checked(delta, "assign_add")
        xp.add(self.data, delta, out=self.data, casting="unsafe")
        return self

    def assign_sub(self, delta):
        """Subtracts `delta` in place. Returns the variable."""
        delta = unwrap(delta)
        if not (type(delta) is xp.ndarray and delta.shape == self.data.shape):
            delta = self._checked(delta, "assign_sub")
        xp.subtract(self.data, delta, out=self.data, casting="unsafe")
        return self

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={self.data}>"
