"""ActivityRegularization: the identity, plus an L1/L2 penalty on its input added to the model's losses.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.ActivityRegularization(l1=0.5)
    >>> layer(np.array([[1.0, -2.0]], "float32")).numpy(), float(layer.losses[0])
    (array([[ 1., -2.]], dtype=float32), 1.5)
"""
from numkeras import regularizers
from numkeras.layers.layer import Layer


class ActivityRegularization(Layer):
    """Passes its input through and records `l1 * sum(|x|) + l2 * sum(x**2)` (per sample) in `layer.losses`.

    As for any activity regularizer, the penalty is divided by the batch
    size, and `fit()` adds it to the loss.

    Args:
        l1: non-negative L1 factor. Defaults to 0.0.
        l2: non-negative L2 factor. Defaults to 0.0.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}
