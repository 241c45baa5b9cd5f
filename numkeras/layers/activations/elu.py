"""ELU: the exponential linear unit as a layer.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.ELU(alpha=2.0)(np.array([-1.0, 0.0, 1.0])).numpy().round(4)
    array([-1.2642,  0.    ,  1.    ], dtype=float32)
"""
from numkeras import activations
from numkeras.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit: `x` for `x >= 0`, `alpha * (exp(x) - 1)` below.

    Args:
        alpha: the scale of the negative part. Defaults to 1.0.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.alpha = alpha
        self.built = True  # no weights

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        # Keras 3 leaves alpha out of ELU's config; it is kept here so that from_config restores it.
        return {**super().get_config(), "alpha": self.alpha}
