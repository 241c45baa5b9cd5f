"""Softmax: the softmax activation as a layer, over one or more axes, with an optional mask.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Softmax()(np.array([1.0, 2.0, 1.0])).numpy().round(4)
    array([0.2119, 0.5761, 0.2119], dtype=float32)
"""
from numkeras.backend import standardize_dtype, xp
from numkeras.engine import math_ops, nn_ops
from numkeras.engine.tensor import unwrap
from numkeras.layers.layer import Layer


class Softmax(Layer):
    """Softmax along `axis`: `exp(x - max(x)) / sum(exp(x - max(x)))`.

    Args:
        axis: an int, or a list of ints, the axes normalized together. Defaults to -1.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Call arguments:
        inputs: the logits.
        mask: optional mask broadcastable to `inputs` (each dimension 1 or
            equal to the input's): True (or > 0.5) keeps a position, masked
            positions get probability 0. Defaults to None.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.axis = axis
        self.built = True  # no weights

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._check_mask(xp.asarray(unwrap(mask)), inputs.shape)
            # masked logits become a large negative number, so their exp is 0
            inputs = math_ops.where(mask, inputs, -3e4 if standardize_dtype(inputs.dtype) == "float16" else -1e9)
        axis = tuple(self.axis) if isinstance(self.axis, (list, tuple)) else self.axis
        outputs = nn_ops.softmax(inputs, axis=axis)
        if mask is not None:  # a fully masked row would otherwise come out uniform
            outputs = math_ops.where(mask, outputs, 0.0)
        return outputs

    def _check_mask(self, mask, input_shape):
        fits = mask.ndim <= len(input_shape) and all(
            m in (1, i) for m, i in zip(mask.shape[::-1], tuple(input_shape)[::-1]))
        if not fits:
            raise ValueError(f"Softmax layer {self.name!r}: the `mask` must be broadcastable to `inputs`, each mask "
                             f"dimension 1 or equal to the input's, with no more dimensions. Received: "
                             f"inputs.shape={tuple(input_shape)}, mask.shape={mask.shape}")
        return mask if mask.dtype == bool else mask > 0.5

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
