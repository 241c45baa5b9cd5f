"""KerasTensor and Node: the symbolic graph behind the functional API.

Calling a layer on KerasTensors (shapes and dtypes, no values) runs no
math: it records a `Node` (which layer, on which inputs, with which
outputs) and returns new KerasTensors. A functional `Model` replays its
nodes in order on real arrays.

Example:
    >>> from numkeras import layers
    >>> x = layers.Input(shape=(4,))
    >>> y = layers.Dense(2)(x)
    >>> y.shape, y._keras_history.layer.name.startswith("dense")
    ((None, 2), True)
"""
from numkeras.backend import floatx, standardize_dtype


class KerasTensor:
    """A symbolic tensor: the shape and dtype of a value that will flow through a model."""

    def __init__(self, shape, dtype=None, name=None):
        self.shape = tuple(shape)
        self.dtype = standardize_dtype(dtype or floatx())
        self.name = name
        self._keras_history = None  # the Node that produced it
        self._keras_mask = None  # a bool KerasTensor when the layer that made it attaches a mask

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            f"A symbolic KerasTensor {self.name!r} (shape {self.shape}) has no values: it can only be passed to "
            "numkeras layers to define a model. To compute with it, build a Model(inputs, outputs) and call that "
            "on real data, or wrap the computation in a layers.Lambda layer.")


def is_keras_tensor(x):
    """True if `x` is a symbolic KerasTensor (what `Input()` and layers called on it return), not data.

    Example:
        >>> import numpy as np
        >>> from numkeras import layers
        >>> from numkeras.utils import is_keras_tensor
        >>> is_keras_tensor(layers.Input(shape=(3,))), is_keras_tensor(np.zeros(3))
        (True, False)
    """
    return isinstance(x, KerasTensor)


class Node:
    """One call of `layer` on symbolic `inputs`, producing `outputs` (nested structures)."""

    def __init__(self, layer, inputs, outputs, kwargs=None):
        from numkeras.utils.tree import flatten
        self.layer = layer
        self.inputs = inputs
        self.outputs = outputs
        self.kwargs = kwargs or {}
        self.parent_nodes = [t._keras_history for t in self.input_tensors() if t._keras_history is not None]
        for t in flatten(outputs):
            t._keras_history = self
        layer._inbound_nodes.append(self)

    def input_tensors(self):
        """Every KerasTensor the call read: its inputs, then those among its other arguments (`value=`, `mask=`)."""
        from numkeras.utils.tree import flatten
        return [t for t in flatten(self.inputs) + flatten(self.kwargs) if isinstance(t, KerasTensor)]


def any_symbolic(structure):
    """True if any leaf of `structure` is a KerasTensor."""
    from numkeras.utils.tree import flatten
    return any(isinstance(t, KerasTensor) for t in flatten(structure))
