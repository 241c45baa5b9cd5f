"""GaussianDropout: multiplies inputs by `N(1, rate / (1 - rate))` noise while training.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.GaussianDropout(0.2)(np.ones((1, 3), "float32")).numpy()  # inference: identity
    array([[1., 1., 1.]], dtype=float32)
"""
import math

from numkeras.layers.layer import Layer
from numkeras.layers.regularization.noise import draw_normal


class GaussianDropout(Layer):
    """Multiplicative 1-centered Gaussian noise with the variance of Dropout(rate)'s mask.

    The noise has mean 1 (so the expected output is the input) and standard
    deviation `sqrt(rate / (1 - rate))`. Active only with `training=True`.

    Args:
        rate: float in [0, 1), the drop probability of the Dropout it mimics.
        seed: optional integer seed for this layer's own generator.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        # rate=1 would need infinite noise: Keras accepts it and fails when called; refuse it here.
        if not 0 <= rate < 1:
            raise ValueError(f"GaussianDropout: rate must be a float in [0, 1). Received: rate={rate!r}.")
        self.rate = rate
        self.seed = seed
        self._generator = None

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        return inputs * draw_normal(self, inputs, mean=1.0, stddev=math.sqrt(self.rate / (1.0 - self.rate)))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
