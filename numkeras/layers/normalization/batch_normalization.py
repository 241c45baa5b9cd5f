"""BatchNormalization: normalize each channel by batch statistics in training, moving averages at inference.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> bn = layers.BatchNormalization(momentum=0.5)
    >>> x = np.array([[0.0, 10.0], [2.0, 30.0]], "float32")
    >>> bn(x, training=True).numpy().round(2)
    array([[-1., -1.],
           [ 1.,  1.]], dtype=float32)
    >>> bn.moving_mean.numpy(), bn.moving_variance.numpy()
    (array([ 0.5, 10. ], dtype=float32), array([ 1. , 50.5], dtype=float32))
"""
import numpy as np

from numkeras import initializers
from numkeras.backend import epsilon
from numkeras.engine import math_ops, reduction_ops
from numkeras.engine.normalization_ops import normalize
from numkeras.engine.tensor import unwrap
from numkeras.layers.layer import Layer
from numkeras.layers.normalization.scale_offset import (ScaleOffset, broadcast_param, broadcast_shape,
                                                        canonical_axis, check_input)


class BatchNormalization(ScaleOffset, Layer):
    """Normalizes its inputs per channel: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    In training (`training=True`, as in `fit()`), `mean` and `var` are the
    statistics of the current batch over every axis but `axis`, and the
    non-trainable `moving_mean` and `moving_variance` are updated in place:

        moving_mean = moving_mean * momentum + mean * (1 - momentum)
        moving_variance = moving_variance * momentum + var * (1 - momentum)

    At inference (`training=False` or None, as in `evaluate()`/`predict()`),
    the moving statistics are used instead.

    Freezing: with `layer.trainable = False` the layer runs in inference
    mode even when called with `training=True` (its moving statistics stay
    put and gamma/beta are not trained), as in Keras 3. This is what
    fine-tuning a pretrained model needs. Like any `trainable` change, it
    takes effect in `fit()` after the next `compile()`.

    Args:
        axis: integer, the channel axis (the one kept). Defaults to -1; use 1
            after a `channels_first` convolution.
        momentum: momentum of the moving averages. Defaults to 0.99.
        epsilon: small float added to the variance. Defaults to 1e-3.
        center: whether to add the learned offset `beta`. Defaults to True.
        scale: whether to multiply by the learned `gamma`. Defaults to True.
        beta_initializer: defaults to "zeros".
        gamma_initializer: defaults to "ones".
        moving_mean_initializer: defaults to "zeros".
        moving_variance_initializer: defaults to "ones".
        beta_regularizer, gamma_regularizer: optional penalties. Default to None.
        beta_constraint, gamma_constraint: optional constraints. Default to None.
        synchronized: accepted for Keras compatibility; numkeras runs in one
            process, where local batch statistics are the global ones.
            Defaults to False.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    _batch_dependent_in_training = True  # normalized by the statistics of the batch it is given

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"BatchNormalization: axis must be an integer (the channel axis). Received: "
                            f"axis={axis!r}. For several axes, use LayerNormalization.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        self._init_scale_offset(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                                gamma_regularizer, beta_constraint, gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.moving_mean = None
        self.moving_variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = canonical_axis(self.axis, ndim, self)
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(f"Layer {self.name!r} (BatchNormalization) needs a known size on its channel axis "
                             f"{self.axis}. Received input_shape={tuple(input_shape)}.")
        self._build_scale_offset((dim,))
        # Non-trainable: the optimizer never sees them; `call` updates them with `assign`.
        self.moving_mean = self.add_weight(shape=(dim,), name="moving_mean",
                                           initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight(shape=(dim,), name="moving_variance",
                                               initializer=self.moving_variance_initializer, trainable=False)
        self._ndim, self._channel_axis = ndim, axis
        self._reduction_axes = tuple(i for i in range(ndim) if i != axis)
        self._param_shape = broadcast_shape(input_shape, [axis])
        self.built = True

    def call(self, inputs, training=None, mask=None):
        check_input(self, inputs, self._ndim, {self._channel_axis: self.moving_mean.shape[0]})
        if mask is not None and np.ndim(unwrap(mask)) != inputs.ndim - 1:
            raise ValueError(f"BatchNormalization layer {self.name!r}: the mask must have one dimension less than "
                             f"the inputs. Received: mask.shape={np.shape(unwrap(mask))}, inputs.shape={inputs.shape}.")
        shape = self._param_shape
        gamma, beta = broadcast_param(self.gamma, shape), broadcast_param(self.beta, shape)
        if training and self.trainable:
            if mask is not None:  # the batch statistics of the steps that count, as Keras takes them
                outputs, mean, variance = self._masked_normalize(inputs, mask, gamma, beta)
            else:
                outputs, mean, variance = normalize(inputs, self._reduction_axes, self.epsilon, gamma, beta)
            m = self.momentum
            self.moving_mean.assign(self.moving_mean.data * m + mean.reshape(-1) * (1 - m))
            self.moving_variance.assign(self.moving_variance.data * m + variance.reshape(-1) * (1 - m))
            return outputs
        outputs, _, _ = normalize(inputs, self._reduction_axes, self.epsilon, gamma, beta,
                                  mean=self.moving_mean.data.reshape(shape),
                                  variance=self.moving_variance.data.reshape(shape))
        return outputs

    def _masked_normalize(self, inputs, mask, gamma, beta):
        """Training-mode normalization with the mean and variance of the unmasked steps (differentiable)."""
        weights = np.broadcast_to(np.asarray(unwrap(mask), bool)[..., None], inputs.shape).astype(inputs.dtype)
        axes = self._reduction_axes
        count = weights.sum(axis=axes, keepdims=True) + np.asarray(epsilon(), inputs.dtype)
        mean = math_ops.divide(reduction_ops.sum(math_ops.multiply(inputs, weights), axis=axes, keepdims=True), count)
        centred = math_ops.subtract(inputs, mean)
        squares = math_ops.square(math_ops.multiply(centred, weights))
        variance = math_ops.divide(reduction_ops.sum(squares, axis=axes, keepdims=True), count)
        outputs = math_ops.divide(centred, math_ops.sqrt(math_ops.add(variance, self.epsilon)))
        if gamma is not None:
            outputs = math_ops.multiply(outputs, gamma)
        if beta is not None:
            outputs = math_ops.add(outputs, beta)
        return outputs, mean.data, variance.data

    def compute_output_shape(self, input_shape):
        canonical_axis(self.axis, len(input_shape), self)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                **self._scale_offset_config(),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "synchronized": self.synchronized}
