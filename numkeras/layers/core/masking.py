"""Masking: skip the timesteps whose features all equal `mask_value`.

A timestep (axis 1 of `(batch, timesteps, features)`) is masked when every
feature equals `mask_value`; the output is the input with masked timesteps
set to 0, and carries the mask `any(inputs != mask_value, axis=-1)` for the
layers after it (recurrent layers skip those steps, poolings ignore them).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]], "float32")
    >>> out = layers.Masking(mask_value=0.0)(x)
    >>> out._keras_mask.numpy().tolist()
    [[True, False, True]]
"""
import numpy as np

from numkeras.engine import math_ops
from numkeras.engine.tensor import Tensor
from numkeras.layers.layer import Layer


class Masking(Layer):
    """Masks the timesteps whose features all equal `mask_value`.

    Args:
        mask_value: the padding value. Defaults to 0.0.
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("class_name") == "__numpy__":  # an array, as Keras saves it
            mask_value = np.asarray(mask_value["config"]["value"], dtype=mask_value["config"].get("dtype"))
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        data = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
        return Tensor(np.any(data != self.mask_value, axis=-1))

    def call(self, inputs):
        keep = np.any(inputs.data != self.mask_value, axis=-1)
        outputs = math_ops.where(keep[..., None], inputs, 0.0)
        outputs._keras_mask = Tensor(keep)  # the output and its mask from one comparison
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
