"""GaussianNoise: adds zero-mean Gaussian noise while training (a data-augmentation regularizer).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.GaussianNoise(0.1)(np.zeros((1, 3), "float32")).numpy()  # inference: identity
    array([[0., 0., 0.]], dtype=float32)
"""
from numkeras.layers.layer import Layer
from numkeras.layers.regularization.noise import draw_normal


class GaussianNoise(Layer):
    """Adds `N(0, stddev**2)` noise to every input value when `training=True`; the identity otherwise.

    Args:
        stddev: float in [0, 1], the standard deviation of the noise.
        seed: optional integer seed for this layer's own generator.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if not 0 <= stddev <= 1:
            raise ValueError(f"GaussianNoise: stddev must be a float between 0 and 1. Received: stddev={stddev!r}.")
        self.stddev = stddev
        self.seed = seed
        self._generator = None

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        return inputs + draw_normal(self, inputs, mean=0.0, stddev=self.stddev)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
