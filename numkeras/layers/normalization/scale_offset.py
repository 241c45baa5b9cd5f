"""The learned `gamma` (scale) and `beta` (offset) that every normalization layer shares.

BatchNormalization, LayerNormalization and GroupNormalization take the same
eight arguments for them; these helpers store, build and serialize them once.

Example:
    >>> from numkeras.layers.normalization.scale_offset import broadcast_shape
    >>> broadcast_shape((None, 4, 5, 3), [1])
    [1, 4, 1, 1]
"""
from numkeras.engine import shape_ops
from numkeras.layers.weight_options import set_weight_options, weight_options_config


class ScaleOffset:
    """Mixin: `center`/`scale` flags and the initializers, regularizers, constraints of beta and gamma."""

    def _init_scale_offset(self, center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                           gamma_regularizer, beta_constraint, gamma_constraint):
        self.center = bool(center)
        self.scale = bool(scale)
        set_weight_options(self, beta=(beta_initializer, beta_regularizer, beta_constraint),
                           gamma=(gamma_initializer, gamma_regularizer, gamma_constraint))
        self.gamma = None
        self.beta = None

    def _build_scale_offset(self, shape, scale=None, center=None):
        """Creates gamma (when `scale`) and beta (when `center`) of `shape`: gamma first, as Keras orders them."""
        if self.scale if scale is None else scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center if center is None else center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)

    def _scale_offset_config(self):
        return {"center": self.center, "scale": self.scale, **weight_options_config(self, ("beta", "gamma"))}


def broadcast_shape(input_shape, axes):
    """The shape of a parameter over `axes` that broadcasts against `input_shape` (1 elsewhere)."""
    return [input_shape[i] if i in axes else 1 for i in range(len(input_shape))]


def broadcast_param(param, shape):
    """`param` reshaped to `shape` (differentiably); None stays None."""
    if param is None or tuple(param.shape) == tuple(shape):
        return param
    return shape_ops.reshape(param, tuple(shape))


def canonical_axis(axis, ndim, layer):
    """`axis` as a non-negative int, or a ValueError naming the layer and the input rank."""
    if not -ndim <= axis < ndim:
        raise ValueError(f"Layer {layer.name!r} ({type(layer).__name__}): axis {axis} is out of bounds for an "
                         f"input of rank {ndim}. Received: axis={axis}; pass an axis in [{-ndim}, {ndim - 1}].")
    return axis % ndim


def check_input(layer, inputs, ndim, sizes):
    """Raises a clear ValueError unless `inputs` has rank `ndim` and the sizes {axis: size} seen at build."""
    if inputs.ndim != ndim:
        raise ValueError(f"Input 0 of layer {layer.name!r} is incompatible with the layer: expected ndim={ndim}, "
                         f"found ndim={inputs.ndim}. Full shape received: {tuple(inputs.shape)}.")
    for axis, size in sizes.items():
        if inputs.shape[axis] != size:
            raise ValueError(f"Input 0 of layer {layer.name!r} is incompatible with the layer: expected axis "
                             f"{axis} of input shape to have value {size}, but received input with shape "
                             f"{tuple(inputs.shape)}.")
