"""PReLU: a leaky ReLU whose negative slope `alpha` is learned.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.PReLU(alpha_initializer="ones", shared_axes=[1])
    >>> layer(np.array([[[-2.0, 3.0], [-1.0, 0.5]]])).numpy().tolist()
    [[[-2.0, 3.0], [-1.0, 0.5]]]
    >>> layer.alpha.shape
    (1, 2)
"""
from numkeras import constraints, initializers, regularizers
from numkeras.engine import math_ops, nn_ops
from numkeras.layers.layer import Layer


class PReLU(Layer):
    """Parametric ReLU: `x` for `x >= 0`, `alpha * x` below, with a trainable `alpha`.

    `alpha` has the shape of one sample (`input_shape[1:]`), with size 1 on
    the `shared_axes`, so those axes share one slope.

    Args:
        alpha_initializer: initializer of `alpha`. Defaults to "Zeros" (a plain ReLU at first).
        alpha_regularizer: optional penalty on `alpha`. Defaults to None.
        alpha_constraint: optional constraint on `alpha`. Defaults to None.
        shared_axes: an int or a list of axes (1 = the first axis after the
            batch) along which `alpha` is shared, e.g. `[1, 2]` for one slope
            per channel of `(batch, height, width, channels)` feature maps.
            Defaults to None.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis <= len(param_shape):
                raise ValueError(f"PReLU layer {self.name!r}: shared_axes must be axes of the input after the "
                                 f"batch axis, in [1, {len(param_shape)}]. Received: shared_axes="
                                 f"{self.shared_axes} for input_shape={tuple(input_shape)}.")
            param_shape[axis - 1] = 1
        if None in param_shape:
            raise ValueError(f"PReLU layer {self.name!r} needs known sizes on the axes it does not share. Received "
                             f"input_shape={tuple(input_shape)}; pass those axes in `shared_axes`.")
        self.alpha = self.add_weight(shape=param_shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint,
                                     name="alpha")
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self.alpha.ndim + 1:
            raise ValueError(f"Input 0 of layer {self.name!r} is incompatible with the layer: expected ndim="
                             f"{self.alpha.ndim + 1}, found ndim={inputs.ndim}. Full shape received: "
                             f"{tuple(inputs.shape)}.")
        # relu(x) - alpha * relu(-x): the gradient reaches alpha only through negative inputs
        return nn_ops.relu(inputs) - self.alpha * nn_ops.relu(math_ops.negative(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(),
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes}
