"""Dropout: in training, zeroes a `rate` fraction of inputs and scales the rest by 1/(1-rate).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Dropout(0.5)(np.ones((1, 4), "float32")).numpy()  # inference: identity
    array([[1., 1., 1., 1.]], dtype=float32)
"""
import numpy as np

from numkeras.backend import from_host, random_generator
from numkeras.engine import math_ops
from numkeras.layers.layer import Layer


class Dropout(Layer):
    """Randomly drops inputs while training.

    Args:
        rate: float in [0, 1), the fraction of inputs to drop.
        noise_shape: optional shape of the keep/drop mask (size-1 axes broadcast).
        seed: optional integer seed for this layer's own generator.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1). Received: rate={rate!r}.")
        self.rate = float(rate)
        self.noise_shape = noise_shape
        self.seed = seed
        self._generator = np.random.default_rng(seed) if seed is not None else None

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        rng = self._generator or random_generator()
        shape = inputs.shape if self.noise_shape is None else tuple(
            n if d is None else d for d, n in zip(self.noise_shape, inputs.shape))
        keep = rng.random(shape, dtype=np.float32) >= self.rate
        mask = keep.astype(inputs.dtype) * np.asarray(1 / (1 - self.rate), dtype=inputs.dtype)
        return math_ops.multiply(inputs, from_host(mask))  # drawn on the host generator: the same masks on every backend

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}
