"""LayerNormalization: normalize each sample over its feature axes, the same in training and inference.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.LayerNormalization(epsilon=0.0)(np.array([[1.0, 2.0, 3.0]], "float32")).numpy().round(4)
    array([[-1.2247,  0.    ,  1.2247]], dtype=float32)
"""
import warnings

from numkeras.engine import math_ops, reduction_ops
from numkeras.engine.normalization_ops import normalize
from numkeras.layers.layer import Layer
from numkeras.layers.normalization.scale_offset import (ScaleOffset, broadcast_param, broadcast_shape,
                                                        canonical_axis, check_input)


class LayerNormalization(ScaleOffset, Layer):
    """Normalizes each sample over `axis`: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    The statistics are those of each sample over `axis` (not of the batch),
    so the layer behaves the same in training and at inference. gamma and
    beta have the shape of the normalized axes.

    Args:
        axis: integer or list of integers, the axes to normalize over.
            Defaults to -1. After the layer is built it holds the sorted,
            non-negative axes, as in Keras.
        epsilon: small float added to the variance. Defaults to 1e-3.
        center: whether to add the learned offset `beta`. Defaults to True.
        scale: whether to multiply by the learned `gamma`. Defaults to True.
        rms_scaling: deprecated in Keras 3 (it warns). When True, the output is
            `gamma * x / sqrt(var + epsilon)`: scaled by the variance of the
            sample (not its root mean square), not centered, no beta. Defaults to False.
        beta_initializer: defaults to "zeros".
        gamma_initializer: defaults to "ones".
        beta_regularizer, gamma_regularizer: optional penalties. Default to None.
        beta_constraint, gamma_constraint: optional constraints. Default to None.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        if rms_scaling:
            warnings.warn("LayerNormalization: rms_scaling=True is deprecated in Keras 3: it scales the input by "
                          "its variance, not its root mean square, and does not center it.", UserWarning,
                          stacklevel=2)
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(f"LayerNormalization: axis must be an int or a list/tuple of ints. "
                            f"Received: axis={axis!r}.")
        self.epsilon = float(epsilon)
        self.rms_scaling = bool(rms_scaling)
        self._init_scale_offset(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                                gamma_regularizer, beta_constraint, gamma_constraint)

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = [canonical_axis(a, ndim, self) for a in (self.axis if isinstance(self.axis, list) else [self.axis])]
        if len(set(axes)) != len(axes):
            raise ValueError(f"Layer {self.name!r} (LayerNormalization): duplicate axes are not allowed. "
                             f"Received: axis={self.axis}.")
        self.axis = sorted(axes)
        if any(input_shape[a] is None for a in self.axis):
            raise ValueError(f"Layer {self.name!r} (LayerNormalization) needs known sizes on the axes it "
                             f"normalizes. Received input_shape={tuple(input_shape)}, axis={self.axis}.")
        self._build_scale_offset(tuple(input_shape[a] for a in self.axis), scale=self.scale or self.rms_scaling,
                                 center=self.center and not self.rms_scaling)
        self._ndim = ndim
        self._param_shape = broadcast_shape(input_shape, self.axis)
        self.built = True

    def call(self, inputs):
        check_input(self, inputs, self._ndim, {a: self._param_shape[a] for a in self.axis})
        axes = tuple(self.axis)
        gamma = broadcast_param(self.gamma, self._param_shape)
        if self.rms_scaling:  # Keras's deprecated formula, composed from differentiable ops
            mean = reduction_ops.mean(inputs, axis=axes, keepdims=True)
            variance = reduction_ops.mean(math_ops.square(inputs - mean), axis=axes, keepdims=True)
            outputs = inputs / math_ops.sqrt(variance + self.epsilon)
            return outputs if gamma is None else outputs * gamma
        outputs, _, _ = normalize(inputs, axes, self.epsilon, gamma, broadcast_param(self.beta, self._param_shape))
        return outputs

    def compute_output_shape(self, input_shape):
        for a in self.axis if isinstance(self.axis, list) else [self.axis]:
            canonical_axis(a, len(input_shape), self)
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                  **self._scale_offset_config(), "rms_scaling": self.rms_scaling}
        return config
