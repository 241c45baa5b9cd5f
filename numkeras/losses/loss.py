"""The Loss base class and the reductions that turn per-sample losses into one number.

A Loss's `call(y_true, y_pred)` gives one loss per sample; `__call__`
weights them by `sample_weight` and reduces them. The default reduction,
'sum_over_batch_size', sums the weighted losses and divides by their number
(not by the sum of the weights), as Keras does. When `y_pred` carries a mask
(`_keras_mask`, from `Embedding(mask_zero=True)` or `Masking`), masked entries
count for nothing and the average is over the entries that remain.

Example:
    >>> import numpy as np
    >>> from numkeras import ops
    >>> class MeanSquaredError(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean(ops.square(ops.subtract(y_pred, y_true)), axis=-1)
    >>> float(MeanSquaredError()(np.zeros((2, 2)), np.ones((2, 2))))
    1.0
"""
import re

from numkeras.backend import floatx, standardize_dtype, xp
from numkeras.engine import math_ops, reduction_ops, shape_ops
from numkeras.engine.tensor import Tensor, as_tensor, unwrap
from numkeras.utils.argument_checks import wrap_constructor

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class Loss:
    """Base class for losses: subclass it and implement `call`.

    Args:
        name: the loss's name. Defaults to the class name in snake_case.
        reduction: one of 'sum_over_batch_size' (default: the sum of the
            weighted per-sample losses divided by their number), 'mean' (the
            same), 'sum', 'mean_with_sample_weight' (divided by the sum of the
            sample weights instead), or 'none'/None (no reduction).
        dtype: the dtype the loss is computed in. Defaults to `floatx()`.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or _snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = standardize_dtype(dtype or floatx())
        self._np_dtype = xp.dtype(self._dtype)  # compared on every call: avoid Tensor.dtype's string lookup

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Returns the reduced, weighted loss: a scalar Tensor (per-sample losses for 'none').

        Args:
            y_true: the labels.
            y_pred: the predictions; gradients flow back to it.
            sample_weight: optional weights, of shape (batch,) or broadcastable
                to the per-sample losses.
        """
        in_mask = y_pred._keras_mask if isinstance(y_pred, Tensor) else None  # a masked output's padding
        y_pred = _to_dtype(y_pred, self._np_dtype)
        y_true = y_true if isinstance(y_true, Tensor) else Tensor(xp.asarray(y_true))
        values, mask = self._call_with_mask(y_true, y_pred)
        if in_mask is not None:  # masked timesteps add nothing, and the mean is over the valid ones (as Keras)
            in_mask = xp.asarray(unwrap(in_mask), dtype=bool)
            mask = in_mask if mask is None else xp.asarray(unwrap(mask), dtype=bool) & in_mask
        return reduce_weighted_values(values, sample_weight, mask, self.reduction, self._np_dtype)

    def _call_with_mask(self, y_true, y_pred):
        """Per-sample losses and a boolean mask of the entries that count (None: all do)."""
        return self.call(y_true, y_pred), None

    def call(self, y_true, y_pred):
        """Returns the per-sample losses. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Received: reduction={reduction!r}. "
                         f"Expected one of {list(REDUCTIONS)}.")
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes two tensors the same rank when they differ by a trailing axis of size 1.

    A rank-1 tensor is expanded (labels (n,) against predictions (n, 1));
    otherwise the size-1 axis is squeezed. Other rank gaps are left alone.
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = shape_ops.expand_dims(x2, -1)
        else:
            x1 = shape_ops.squeeze(x1, -1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = shape_ops.expand_dims(x1, -1)
        else:
            x2 = shape_ops.squeeze(x2, -1)
    return x1, x2


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) per-sample losses as `reduction` says."""
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    if reduction == "sum":
        return reduction_ops.sum(values)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(xp.sum(sample_weight.data))
    else:
        divisor = float(values.size)
        if divisor:
            return reduction_ops.mean(values)  # the sum over the batch size, as one graph node
    total = reduction_ops.sum(values)
    if divisor == 0:  # divide_no_nan: nothing counted gives 0, not nan
        return math_ops.multiply(total, 0.0)
    return math_ops.divide(total, divisor)


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size",
                           dtype=None):
    """Weights per-sample `values` by `sample_weight` (and `mask`), then reduces them.

    Args:
        values: per-sample losses (a Tensor).
        sample_weight: None or weights broadcastable to `values`.
        mask: None or a boolean array of the entries that count. With
            'sum_over_batch_size'/'mean' the result is divided by the number
            of entries that count.
        reduction: see `Loss`.
        dtype: the dtype of the weights. Defaults to that of `values`.
    """
    reduction = standardize_reduction(reduction)
    values = as_tensor(values)
    dtype = values.data.dtype if dtype is None else xp.dtype(dtype)
    if values.data.dtype != dtype:
        values = math_ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = _weights(sample_weight, dtype)
    if mask is not None:
        sample_weight = _apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        try:
            xp.broadcast_shapes(values.shape, sample_weight.shape)
        except ValueError:
            raise ValueError(
                f"sample_weight of shape {sample_weight.shape} does not broadcast to the per-sample losses of "
                f"shape {values.shape}. Pass one weight per sample: an array of shape ({values.shape[0]},)."
            ) from None
        values = math_ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


def _weights(sample_weight, dtype):
    data = unwrap(sample_weight)
    return Tensor(xp.asarray(data, dtype=dtype))


def _apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a mask into the weights; for averaging reductions, rescales so the mean is over valid entries."""
    mask = xp.asarray(mask, dtype=bool)
    weights = mask.astype(dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = int(mask.sum())
        weights = weights * xp.asarray(mask.size / valid if valid else 0.0, dtype=dtype)
    weights = Tensor(weights)
    if sample_weight is None:
        return weights
    weights, sample_weight = squeeze_or_expand_to_same_rank(weights, sample_weight)
    return Tensor(sample_weight.data * weights.data)


def _to_dtype(x, dtype):
    """Returns `x` as a Tensor of `dtype`, keeping the logits an activation recorded on it."""
    if not isinstance(x, Tensor):
        return Tensor(xp.asarray(x, dtype=dtype))
    if x.data.dtype == dtype:
        return x
    out = math_ops.cast(x, dtype)
    if x._keras_logits is not None:
        out._keras_logits = math_ops.cast(x._keras_logits, dtype)
        out._keras_activation = x._keras_activation
    return out


def _snake_case(name):
    """'MeanSquaredError' -> 'mean_squared_error', as Keras names its objects."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", name))
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


wrap_constructor(Loss)  # the base class's own arguments (name, dtype, ...) too
