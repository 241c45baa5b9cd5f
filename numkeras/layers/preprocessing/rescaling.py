"""Rescaling: `inputs * scale + offset`, in training and at inference.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Rescaling(1.0 / 127.5, offset=-1)(np.array([[0, 255]], "uint8")).numpy()
    array([[-1.,  1.]], dtype=float32)
"""
import numbers
import numpy as np

from numkeras.engine import math_ops
from numkeras.layers.layer import Layer


class Rescaling(Layer):
    """Multiplies the inputs by `scale` and adds `offset` (e.g. 1/255 maps [0, 255] to [0, 1]).

    Integer inputs come out as floats of the layer's dtype.

    Args:
        scale: float (or an array broadcasting against the channels).
        offset: float (or array) added after scaling. Defaults to 0.0.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        for arg, value in (("scale", scale), ("offset", offset)):
            if isinstance(value, (str, bytes, bool)) or not (isinstance(value, numbers.Real) or hasattr(value, "shape")
                                                            or isinstance(value, (list, tuple))):
                raise TypeError(f"Rescaling: `{arg}` must be a number (or one per channel). Received: {arg}={value!r} "
                                f"(of type {type(value).__name__}). Pass e.g. Rescaling(scale=1 / 255).")
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.scale = scale
        self.offset = offset

    def call(self, inputs):
        x = inputs if inputs.dtype == self.dtype else math_ops.cast(inputs, self.dtype)
        scale = np.asarray(self.scale, dtype=self.dtype)
        offset = np.asarray(self.offset, dtype=self.dtype)
        return math_ops.add(math_ops.multiply(x, scale), offset)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def plain(v):
            return np.asarray(v).tolist() if isinstance(v, np.ndarray) else v
        return {**super().get_config(), "scale": plain(self.scale), "offset": plain(self.offset)}
