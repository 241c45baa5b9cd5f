"""LeakyReLU: `x` for `x >= 0`, `negative_slope * x` below.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.LeakyReLU(negative_slope=0.5)(np.array([-10.0, -5.0, 0.0, 5.0, 10.0])).numpy()
    array([-5. , -2.5,  0. ,  5. , 10. ], dtype=float32)
"""
import warnings

from numkeras import activations
from numkeras.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky rectified linear unit: a small slope keeps a gradient for negative inputs.

    Args:
        negative_slope: float >= 0, the slope below 0. Defaults to 0.3.
        **kwargs: base layer arguments such as `name` and `dtype`. The
            deprecated `alpha` is accepted for `negative_slope`, with a warning.
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                             f"Expected a float. Received: negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        self.built = True  # no weights

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
