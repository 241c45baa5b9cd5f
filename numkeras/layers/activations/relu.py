"""ReLU: the rectified linear unit as a layer, with Keras's optional slope, cap and threshold.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.ReLU(max_value=10, negative_slope=0.5)(np.array([-10.0, -5.0, 0.0, 5.0, 10.0])).numpy()
    array([-5. , -2.5,  0. ,  5. , 10. ], dtype=float32)
"""
from numkeras import activations
from numkeras.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit: `max(x, 0)` by default.

    In general `max_value` for `x >= max_value`, `x` for
    `threshold < x < max_value`, and `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: float >= 0, the saturation value. Defaults to None (no cap).
        negative_slope: float >= 0, the slope below the threshold. Defaults to 0.0.
        threshold: float >= 0, values at or below it are cut. Defaults to 0.0.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be None or a negative value. "
                             f"Received: negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be None or a negative value. "
                             f"Received: threshold={threshold}")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.built = True  # no weights

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
