"""Regularizers: penalties on weights (or layer outputs) that join the training loss.

A regularizer is a callable `penalty(x) -> scalar Tensor`; layers take them
as `kernel_regularizer`, `bias_regularizer` and `activity_regularizer`, and
`layer.losses` lists the penalties. Activity penalties are divided by the
batch size (see `Layer.__call__`), weight penalties are not.

Example:
    >>> import numpy as np
    >>> from numkeras import regularizers
    >>> float(regularizers.L2(2.0)(np.ones((5, 5), "float32")))
    50.0
"""
import math

import numpy as np

from numkeras.backend import xp
from numkeras.engine import linalg_ops, math_ops, reduction_ops, shape_ops
from numkeras.engine.tensor import Tensor, as_tensor
from numkeras.utils.argument_checks import wrap_constructor


class Regularizer:
    """Base class: subclasses implement `__call__(x)` and `get_config()`.

    Example:
        >>> from numkeras import ops
        >>> class Sum(Regularizer):
        ...     def __call__(self, x):
        ...         return ops.sum(x)
        ...     def get_config(self):
        ...         return {}
        >>> float(Sum()([1.0, 2.0]))
        3.0
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    def __call__(self, x):
        return 0.0

    def get_config(self):
        """Returns the constructor arguments as a dict."""
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config(). Override it to return "
                                  "the constructor arguments as a dict.")

    @classmethod
    def from_config(cls, config):
        """Creates a regularizer from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = "..."
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """Penalty `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    The string 'l1_l2' gives `L1L2(l1=0.01, l2=0.01)`.

    Args:
        l1: non-negative L1 factor. Defaults to 0.0.
        l2: non-negative L2 factor. Defaults to 0.0.

    Example:
        >>> float(L1L2(l1=1.0, l2=1.0)([-1.0, 2.0]))
        8.0
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = as_tensor(x)
        total = Tensor(xp.zeros((), x.data.dtype))
        if self.l1:
            total = total + self.l1 * reduction_ops.sum(math_ops.abs(x))
        if self.l2:
            total = total + self.l2 * reduction_ops.sum(math_ops.square(x))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Penalty `l1 * sum(abs(x))`.

    Args:
        l1: non-negative factor. Defaults to 0.01.

    Example:
        >>> float(L1(0.5)([-1.0, 2.0]))
        1.5
    """

    def __init__(self, l1=0.01):
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")

    def __call__(self, x):
        return self.l1 * reduction_ops.sum(math_ops.abs(as_tensor(x)))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """Penalty `l2 * sum(square(x))`.

    Args:
        l2: non-negative factor. Defaults to 0.01.

    Example:
        >>> float(L2(0.5)([-1.0, 2.0]))
        2.5
    """

    def __init__(self, l2=0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x):
        return self.l2 * reduction_ops.sum(math_ops.square(as_tensor(x)))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards being orthogonal.

    The penalty is `factor` times the mean, over all pairs of distinct rows
    (`mode="rows"`) or columns (`mode="columns"`), of the absolute dot
    product of the two L2-normalized vectors. For a Dense kernel
    `(input_dim, units)`, "columns" compares the units' weight vectors.

    Args:
        factor: non-negative penalty factor. Defaults to 0.01.
        mode: "rows" or "columns". Defaults to "rows".

    Example:
        >>> float(OrthogonalRegularizer(factor=1.0)(np.eye(3, dtype="float32")))
        0.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = validate_float_arg(factor, name="factor")
        if mode not in ("rows", "columns"):
            raise ValueError(f'Invalid value for argument `mode`. Expected one of {{"rows", "columns"}}. '
                             f"Received: mode={mode!r}")
        self.mode = mode

    def __call__(self, inputs):
        from numkeras.utils.numerical_utils import normalize
        inputs = as_tensor(inputs)
        if inputs.ndim != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={inputs.shape}")
        if self.mode == "rows":
            unit = normalize(inputs, axis=1)
            product = linalg_ops.matmul(unit, shape_ops.transpose(unit))
        else:
            unit = normalize(inputs, axis=0)
            product = linalg_ops.matmul(shape_ops.transpose(unit), unit)
        size = product.shape[0]
        if size < 2:  # no pairs to compare (Keras would divide 0 by 0 here)
            return Tensor(xp.zeros((), inputs.data.dtype))
        off_diagonal = math_ops.abs(product) * (1 - np.eye(size, dtype=inputs.data.dtype))
        num_pairs = size * (size - 1) / 2.0
        # each pair appears twice in the symmetric product, hence the 0.5
        return self.factor * 0.5 * reduction_ops.sum(off_diagonal) / num_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def validate_float_arg(value, name):
    """Returns `value` as a float, or raises if it is not a finite non-negative number."""
    if (isinstance(value, bool) or not isinstance(value, (float, int, np.floating, np.integer))
            or math.isinf(value) or math.isnan(value) or value < 0):
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float. "
                         f"Received: {name}={value!r}")
    return float(value)


wrap_constructor(Regularizer)  # the base class's own arguments (name, dtype, ...) too
