"""RepeatVector: (batch, features) -> (batch, n, features).

Example:
    >>> import numpy as np
    >>> from numkeras.layers import RepeatVector
    >>> RepeatVector(3)(np.ones((2, 32), "float32")).shape
    (2, 3, 32)
"""
from numkeras.engine import pad_ops, shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import check_rank


class RepeatVector(Layer):
    """Repeats the input `n` times along a new axis 1.

    Args:
        n: positive int, the number of repetitions.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"RepeatVector: n must be an integer. Received: n={n!r} of type {type(n).__name__}.")
        if n <= 0:
            raise ValueError(f"RepeatVector: n must be a positive integer. Received: n={n}.")
        self.n = n
        self.built = True

    def call(self, inputs):
        check_rank(self, inputs.shape, 2, "(batch, features)")
        return pad_ops.repeat(shape_ops.expand_dims(inputs, 1), self.n, 1)

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, 2, "(batch, features)")
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
