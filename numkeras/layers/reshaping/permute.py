"""Permute: reorders the non-batch axes (`dims` counts from 1).

Example:
    >>> import numpy as np
    >>> from numkeras.layers import Permute
    >>> Permute((2, 1))(np.ones((4, 10, 64), "float32")).shape
    (4, 64, 10)
"""
from numkeras.engine import shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.pooling.arguments import check_rank


class Permute(Layer):
    """Permutes the axes of each sample, e.g. dims=(2, 1) swaps the two axes after the batch.

    Args:
        dims: tuple of ints, a permutation of 1..rank (the batch axis 0 stays first).
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute: dims must be a permutation of 1..{len(self.dims)} (the batch axis 0 is not "
                             f"included). Received: dims={dims!r}.")
        self.built = True

    def call(self, inputs):
        check_rank(self, inputs.shape, len(self.dims) + 1, f"(batch, {len(self.dims)} more axes)")
        return shape_ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, len(self.dims) + 1, f"(batch, {len(self.dims)} more axes)")
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
