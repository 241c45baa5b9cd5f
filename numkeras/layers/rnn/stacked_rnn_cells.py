"""StackedRNNCells: several cells as one, each step feeding the next cell the previous one's output.

Its `state_size` nests one entry per cell, as Keras's does; `RNN` runs it
through its generic (step by step) path.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> cells = layers.StackedRNNCells([layers.LSTMCell(4), layers.GRUCell(2)])
    >>> layers.RNN(cells)(np.ones((3, 5, 6), "float32")).shape
    (3, 2)
"""
from numkeras.layers.layer import Layer


def _sizes(cell):
    size = cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


class StackedRNNCells(Layer):
    """Wraps a list of cells so that `RNN` runs them as one, bottom to top.

    Args:
        cells: a list of cells.
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError("StackedRNNCells: every cell needs a call(inputs, states) method and a "
                                 f"state_size attribute. Received: {cell!r}.")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        return getattr(last, "output_size", None) or _sizes(last)[0]

    @property
    def output_state_index(self):
        """Where the last cell's first state sits among the flat states: a masked step's output."""
        return sum(len(_sizes(c)) for c in self.cells[:-1])

    def nest_states(self, flat):
        """Splits a flat list of states into one entry per cell (a single state unwrapped, as Keras)."""
        out, i = [], 0
        for cell in self.cells:
            n = len(_sizes(cell))
            part = flat[i:i + n]
            out.append(part if isinstance(cell.state_size, (list, tuple)) else part[0])
            i += n
        return out

    def group_states(self, flat):
        """Splits a flat list into one list per cell: what `RNN(return_state=True)` returns, as Keras."""
        out, i = [], 0
        for cell in self.cells:
            n = len(_sizes(cell))
            out.append(list(flat[i:i + n]))
            i += n
        return out

    def flatten_states(self, nested):
        return [s for part in nested for s in (part if isinstance(part, (list, tuple)) else [part])]

    def get_initial_state(self, batch_size=None):
        """Each cell's initial states (its own `get_initial_state`, else zeros), one entry per cell."""
        from numkeras.layers.rnn.rnn import initial_states_of
        return [initial_states_of(cell, batch_size, self.dtype) for cell in self.cells]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            if not cell.built:
                cell.build(shape)
                cell.built = True
            size = getattr(cell, "output_size", None) or _sizes(cell)[0]
            shape = shape[:-1] + (size,)
        self.built = True

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            kwargs = {"training": training} if getattr(cell, "_call_takes_training", False) else {}
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            new_states.append(cell_states)
        return inputs, new_states

    def get_config(self):
        from numkeras.saving.serialization_lib import serialize_keras_object
        return {**super().get_config(), "cells": [serialize_keras_object(c) for c in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from numkeras.saving.serialization_lib import deserialize_keras_object
        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
