"""`LossFunctionWrapper`: a `Loss` made from a function of per-sample losses.

Every built-in loss class is one of these around its function; a user's
`fn(y_true, y_pred)` becomes one too when passed to `compile`. The helpers
below turn labels and predictions into Tensors of one float dtype, shared by
all the loss families.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import math_ops
    >>> def l1(y_true, y_pred):
    ...     return math_ops.abs(math_ops.subtract(y_pred, y_true))
    >>> float(LossFunctionWrapper(l1)(np.zeros(4), np.full(4, 2.0)))
    2.0
"""
from numkeras.backend import floatx, xp
from numkeras.engine import math_ops
from numkeras.engine.tensor import Tensor
from numkeras.losses.loss import Loss, squeeze_or_expand_to_same_rank


class LossFunctionWrapper(Loss):
    """Turns a function `fn(y_true, y_pred, **kwargs)` of per-sample losses into a `Loss`.

    Args:
        fn: the loss function.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: the loss's name. Defaults to "loss_function_wrapper".
        dtype: see `Loss`.
        **kwargs: passed on to `fn`.

    Example:
        >>> import numpy as np
        >>> def scaled_l1(y_true, y_pred, scale=1.0):
        ...     return math_ops.multiply(math_ops.abs(math_ops.subtract(y_pred, y_true)), scale)
        >>> float(LossFunctionWrapper(scaled_l1, scale=3.0)(np.zeros(4), np.full(4, 2.0)))
        6.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        from numkeras.losses.registry import serialize
        return {**super().get_config(), "fn": serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        from numkeras.losses.registry import deserialize
        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({getattr(self.fn, '__name__', self.fn)}, kwargs={self._fn_kwargs})>"


class BuiltinLoss(LossFunctionWrapper):
    """Base of the built-in loss classes: a fixed function whose keyword arguments are the config.

    Each keyword argument also becomes an attribute (`loss.from_logits`,
    `loss.delta`, ...), and `get_config` returns the name, the reduction and
    these arguments: what the constructor takes, so `from_config` rebuilds it.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self):
        return {**Loss.get_config(self), **self._fn_kwargs}


# -- input helpers shared by the loss families ----------------------------------

def prediction(y_pred):
    """`y_pred` as a float Tensor (Python lists become floatx, not float64)."""
    if isinstance(y_pred, Tensor):
        return y_pred
    data = xp.asarray(y_pred)
    if data.dtype.kind != "f" or not hasattr(y_pred, "dtype"):
        data = data.astype(floatx())
    return Tensor(data)


def labels_like(y_true, y_pred):
    """`y_true` as a Tensor of `y_pred`'s dtype (labels may arrive as ints or float64)."""
    if isinstance(y_true, Tensor):
        return math_ops.cast(y_true, y_pred.data.dtype)
    return Tensor(xp.asarray(y_true, dtype=y_pred.data.dtype))


def pair(y_true, y_pred, squeeze=True):
    """Labels and predictions as Tensors of one float dtype, optionally made the same rank."""
    y_pred = prediction(y_pred)
    y_true = labels_like(y_true, y_pred)
    return squeeze_or_expand_to_same_rank(y_true, y_pred) if squeeze else (y_true, y_pred)


def check_axis(axis, fn_name):
    if isinstance(axis, bool) or not isinstance(axis, (int, xp.integer)):
        raise ValueError(f"In {fn_name}, `axis` must be an int. Received: axis={axis!r}")
