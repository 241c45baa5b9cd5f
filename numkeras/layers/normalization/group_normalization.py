"""GroupNormalization: normalize each sample over groups of channels (and every spatial position).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> x = np.array([[1.0, 3.0, 10.0, 30.0]], "float32")
    >>> layers.GroupNormalization(groups=2, epsilon=0.0)(x).numpy()
    array([[-1.,  1., -1.,  1.]], dtype=float32)
"""
from numkeras.engine import shape_ops
from numkeras.engine.normalization_ops import normalize
from numkeras.layers.layer import Layer
from numkeras.layers.normalization.scale_offset import ScaleOffset, broadcast_param, canonical_axis, check_input


class GroupNormalization(ScaleOffset, Layer):
    """Splits the channels into `groups` and normalizes each sample within each group.

    The channels on `axis` are split into `groups` consecutive groups of
    `channels // groups`; mean and variance are taken per sample and group,
    over that group's channels and every other non-batch axis. gamma and
    beta are per channel. `groups=1` normalizes each sample over everything
    (like LayerNormalization over all non-batch axes); `groups=-1` (one
    channel per group) is instance normalization. Training and inference
    behave the same.

    Args:
        groups: number of groups, a divisor of the channel count, or -1 for
            one group per channel. Defaults to 32.
        axis: integer, the channel axis. Defaults to -1.
        epsilon: small float added to the variance. Defaults to 1e-3.
        center: whether to add the learned offset `beta`. Defaults to True.
        scale: whether to multiply by the learned `gamma`. Defaults to True.
        beta_initializer: defaults to "zeros".
        gamma_initializer: defaults to "ones".
        beta_regularizer, gamma_regularizer: optional penalties. Default to None.
        beta_constraint, gamma_constraint: optional constraints. Default to None.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(f"GroupNormalization: groups must be a positive integer (or -1 for instance "
                             f"normalization). Received: groups={groups!r}.")
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self._init_scale_offset(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                                gamma_regularizer, beta_constraint, gamma_constraint)

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = canonical_axis(self.axis, ndim, self)
        if axis == 0:
            raise ValueError(f"Layer {self.name!r} (GroupNormalization): axis must be a channel axis, not the "
                             f"batch axis. Received: axis={self.axis} for input_shape={tuple(input_shape)}.")
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(f"Layer {self.name!r} (GroupNormalization): axis {self.axis} of the input needs a "
                             f"known size. Received input_shape={tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups or dim % self.groups:
            raise ValueError(f"Layer {self.name!r} (GroupNormalization): groups={self.groups} must divide the "
                             f"{dim} channels on axis {self.axis} (input_shape={tuple(input_shape)}). Pick a "
                             f"divisor of {dim}, or -1 for one group per channel.")
        self._build_scale_offset((dim,))
        self._ndim, self._channel_axis = ndim, axis
        # Inputs are viewed as (..., groups, channels // groups, ...): the group axis sits at `axis`.
        self._reduction_axes = tuple(i for i in range(1, ndim + 1) if i != axis)
        self._param_shape = [1] * (ndim + 1)
        self._param_shape[axis:axis + 2] = [self.groups, dim // self.groups]
        self.built = True

    def call(self, inputs):
        axis = self._channel_axis
        check_input(self, inputs, self._ndim, {axis: self._param_shape[axis] * self._param_shape[axis + 1]})
        shape = tuple(inputs.shape)
        grouped = shape_ops.reshape(inputs, shape[:axis] + tuple(self._param_shape[axis:axis + 2]) + shape[axis + 1:])
        outputs, _, _ = normalize(grouped, self._reduction_axes, self.epsilon,
                                  broadcast_param(self.gamma, self._param_shape),
                                  broadcast_param(self.beta, self._param_shape))
        return shape_ops.reshape(outputs, shape)

    def compute_output_shape(self, input_shape):
        canonical_axis(self.axis, len(input_shape), self)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon,
                **self._scale_offset_config()}
