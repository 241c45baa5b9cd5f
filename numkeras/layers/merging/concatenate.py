"""Concatenate: joins a list of inputs along one axis.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> x, y = np.zeros((2, 2, 5), "float32"), np.ones((2, 1, 5), "float32")
    >>> layers.Concatenate(axis=1)([x, y]).shape
    (2, 3, 5)
    >>> layers.concatenate([x, x]).shape
    (2, 2, 10)
"""
import numpy as np

from numkeras.engine import shape_ops
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    All inputs must have the same rank and the same size on every axis but
    `axis` (an unknown size, None, matches any size).

    Args:
        axis: the axis to concatenate along. Defaults to -1.
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).

    Example:
        >>> from numkeras import layers
        >>> a, b = layers.Input(shape=(3,)), layers.Input(shape=(4,))
        >>> layers.Concatenate()([a, b]).shape
        (None, 7)
    """

    _align_ranks = False

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"Concatenate: `axis` must be an integer. Received: axis={axis!r}.")
        self.axis = axis

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            return super().call(inputs)  # raises the "list of inputs" error
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        return shape_ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes = self._input_shapes(input_shape)
        rank = len(shapes[0])
        error = (f"A `Concatenate` layer ({self.name!r}) requires inputs with matching shapes except for the "
                 f"concatenation axis (axis={self.axis}). Received: input_shape={shapes}.")
        if any(len(s) != rank for s in shapes):
            raise ValueError(f"{error} The inputs have different ranks; reshape them to the same rank first.")
        if not -rank <= self.axis < rank:
            raise ValueError(f"Concatenate layer {self.name!r}: axis={self.axis} is out of range for inputs of rank "
                             f"{rank} (input_shape={shapes}). Pick an axis in [{-rank}, {rank - 1}].")
        axis = self.axis % rank
        out = []
        for d in range(rank):
            sizes = [s[d] for s in shapes]
            if d == axis:
                out.append(None if None in sizes else sum(sizes))
                continue
            known = set(sizes) - {None}
            if len(known) > 1:
                raise ValueError(f"{error} Axis {d} differs: sizes {sizes}.")
            out.append(known.pop() if known else None)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        """Keras's rule: each input's mask (all True when it has none) widened to the input's shape,
        concatenated along `axis`, then `any` over the last axis."""
        if mask is None or all(m is None for m in mask):
            return None
        super().compute_mask(inputs, mask)  # checks one mask per input
        parts = []
        for x, m in zip(inputs, mask):
            shape = tuple(x.shape)
            if m is None:
                parts.append(np.ones(shape, dtype=bool))
                continue
            m = np.asarray(unwrap(m), dtype=bool)
            parts.append(np.broadcast_to(m[..., None], shape) if m.ndim < len(shape) else m)
        return Tensor(np.concatenate(parts, axis=self.axis).any(axis=-1))

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer: `Concatenate(axis, **kwargs)(inputs)`.

    Args:
        inputs: a list of tensors.
        axis: the axis to concatenate along. Defaults to -1.
        **kwargs: standard layer keyword arguments.

    Returns:
        The concatenation of the inputs along `axis`.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
