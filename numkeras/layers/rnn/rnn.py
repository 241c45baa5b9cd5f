"""RNN: runs a cell over the timesteps of a sequence.

A cell is a layer whose `call(inputs, states, training=...)` takes one
timestep (batch, features) and the previous states and returns
`(output, new_states)`; it declares `state_size` (an int or a list, one
per state) and optionally `output_size`. `RNN(cell)` loops over time calling
the cell under the tape, which works for any cell a user writes.

The built-in cells (`SimpleRNNCell`, `LSTMCell`, `GRUCell`) also offer a
`sequence_call`: the whole sequence as one engine op with a hand-written
backward through time (`numkeras.engine.rnn_ops`). `RNN` takes it when the
cell does not decline (it declines for activations the op has no derivative
for, and for per-gate dropout masks); both paths give the same results.

Masks: a (batch, timesteps) mask makes a masked step keep the previous
states, and output the previous output (zeros with `zero_output_for_mask`).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> rnn = layers.RNN(layers.LSTMCell(4), return_sequences=True, return_state=True)
    >>> out, h, c = rnn(np.ones((2, 5, 3), "float32"))
    >>> out.shape, h.shape, c.shape
    ((2, 5, 4), (2, 4), (2, 4))
"""
import numpy as np

from numkeras.backend import xp
from numkeras.engine import math_ops, shape_ops
from numkeras.engine.tensor import Tensor, as_tensor, unwrap
from numkeras.layers.layer import Layer


def sequence_shape_error(layer, shape):
    return ValueError(
        f"Layer {layer.name!r} ({type(layer).__name__}) needs inputs of shape (batch, timesteps, features). "
        f"Received: inputs of shape {tuple(shape)}. For one feature per step reshape with x[..., None] "
        "(batch, timesteps, 1); for one step per sample x[:, None, :] (batch, 1, features); "
        "or add layers.Reshape((timesteps, features)) before it.")


def check_mask(layer, mask, batch, timesteps):
    """The mask as a (batch, timesteps) boolean array, or None; a clear error for any other shape."""
    if isinstance(mask, (list, tuple)):
        mask = mask[0] if mask else None
    if mask is None:
        return None
    mask = np.asarray(unwrap(mask))
    if mask.shape != (batch, timesteps):
        raise ValueError(
            f"Layer {layer.name!r} ({type(layer).__name__}) needs a mask of shape (batch, timesteps) = "
            f"({batch}, {timesteps}), one flag per timestep. Received: mask of shape {mask.shape}. Pass the "
            "mask made for these sequences (Embedding(mask_zero=True) or Masking make one), or none.")
    return mask.astype(bool)


def initial_states_of(cell, batch_size, dtype):
    """`cell.get_initial_state(batch_size=...)` as a list when the cell has it (Keras's cells do), else zeros."""
    fn = getattr(cell, "get_initial_state", None)
    if fn is None:
        return [Tensor(xp.zeros((batch_size, s), dtype)) for s in state_sizes(cell)]
    states = fn(batch_size=batch_size)
    return list(states) if isinstance(states, (list, tuple)) else [states]


def state_sizes(cell):
    """The cell's states' sizes as a flat list (StackedRNNCells nests one list per cell)."""
    size = cell.state_size
    if isinstance(size, (list, tuple)):
        return [s for part in size for s in (part if isinstance(part, (list, tuple)) else [part])]
    return [size]


class RNN(Layer):
    """Base class of recurrent layers: a cell run over the timesteps of its input.

    Args:
        cell: a cell (a layer with `call(inputs, states)` and `state_size`), or a
            list of cells, which are stacked (`StackedRNNCells`).
        return_sequences: return the output of every timestep, else the last.
            Defaults to False.
        return_state: also return the final states. Defaults to False.
        go_backwards: process the sequence last step first; the outputs come in
            that order. Defaults to False.
        stateful: each batch starts from the final states of the previous one
            (sample i continuing sample i); `reset_states()` zeroes them.
            Defaults to False.
        unroll: accepted for Keras compatibility; the results are the same.
            Defaults to False.
        zero_output_for_mask: masked steps output zeros instead of the previous
            output. Defaults to False.

    Call arguments:
        sequences: (batch, timesteps, features).
        initial_state: a list of tensors, one per state (batch, size); defaults to zeros.
        mask: (batch, timesteps) booleans, False for the steps to skip.
        training: whether dropout is active.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            from numkeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(f"RNN: the cell must have a call(inputs, states) method and a state_size attribute. "
                             f"Received: cell={cell!r}.")
        self.cell = cell
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful, self.unroll = bool(go_backwards), bool(stateful), bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.states = None  # stateful: the final states of the last batch

    def build(self, sequences_shape, initial_state_shape=None):
        if isinstance(sequences_shape, list) and sequences_shape and isinstance(sequences_shape[0], (list, tuple)):
            sequences_shape = sequences_shape[0]
        if len(sequences_shape) != 3:
            raise sequence_shape_error(self, sequences_shape)
        if not self.cell.built:
            self.cell.build((sequences_shape[0], sequences_shape[-1]))
            self.cell.built = True
        self.built = True

    @property
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return size if size is not None else state_sizes(self.cell)[0]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, timesteps = sequences_shape[0], sequences_shape[1]
        out = (batch, timesteps, self._output_size) if self.return_sequences else (batch, self._output_size)
        if self.return_state:
            shapes = [(batch, s) for s in state_sizes(self.cell)]
            group = getattr(self.cell, "group_states", None)
            return [out] + (group(shapes) if group else shapes)
        return out

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            group = getattr(self.cell, "group_states", None)
            nones = [None] * len(state_sizes(self.cell))
            return [output_mask] + (group(nones) if group else nones)
        return output_mask

    def get_initial_state(self, batch_size):
        """The cell's `get_initial_state(batch_size)` when it has one, else zeros; a flat list."""
        states = initial_states_of(self.cell, batch_size, self.dtype)
        flat = getattr(self.cell, "flatten_states", None)
        return flat(states) if flat else states

    def reset_states(self, states=None):
        """Zeroes the states of a stateful layer (or sets them to `states`)."""
        if states is None:
            self.states = None
        else:
            states = states if isinstance(states, (list, tuple)) else [states]
            self.states = [Tensor(np.asarray(unwrap(s), self.dtype)) for s in states]

    reset_state = reset_states

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if sequences.ndim != 3:
            raise sequence_shape_error(self, sequences.shape)
        batch, timesteps = sequences.shape[0], sequences.shape[1]
        mask = check_mask(self, mask, batch, timesteps)
        if initial_state is None:
            if self.stateful and self.states is not None:
                initial_state = self.states
            else:
                initial_state = self.get_initial_state(batch)
        initial_state = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        sizes = state_sizes(self.cell)
        if len(initial_state) != len(sizes):
            raise ValueError(f"Layer {self.name!r} has {len(sizes)} state(s) but received initial_state with "
                             f"{len(initial_state)} tensor(s). Pass a list of {len(sizes)} tensors shaped "
                             f"(batch, {sizes}).")
        initial_state = [as_tensor(s, dtype=self.dtype) for s in initial_state]
        if self.stateful and self.states is not None and self.states[0].shape[0] != batch:
            raise ValueError(f"Layer {self.name!r} is stateful with batch size {self.states[0].shape[0]}; received "
                             f"a batch of {batch}. Feed batches of one size or call reset_states().")
        fast = getattr(self.cell, "sequence_call", None)
        try:
            result = None if fast is None else fast(
                sequences, initial_state, mask=mask, go_backwards=self.go_backwards,
                return_sequences=self.return_sequences, zero_output_for_mask=self.zero_output_for_mask,
                training=bool(training))
            if result is None:
                result = self._loop(sequences, initial_state, mask, bool(training))
        finally:
            _reset_dropout_masks(self.cell)  # the next sequence draws new masks
        output, states = result
        if self.stateful:
            self.states = [Tensor(np.array(s.data)) for s in states]
        if self.return_state:
            group = getattr(self.cell, "group_states", None)  # StackedRNNCells: one list per cell, as Keras
            return [output] + (group(list(states)) if group else list(states))
        return output

    def _loop(self, sequences, states, mask, training):
        """The generic path: one cell call per timestep under the tape."""
        cell = self.cell
        kwargs = {"training": training} if getattr(cell, "_call_takes_training", False) else {}
        timesteps = sequences.shape[1]
        steps = range(timesteps - 1, -1, -1) if self.go_backwards else range(timesteps)
        nest = getattr(cell, "nest_states", list)
        flatten_states = getattr(cell, "flatten_states", lambda s: list(s) if isinstance(s, (list, tuple)) else [s])
        outputs = []
        prev_output_index = getattr(cell, "output_state_index", 0)
        for t in steps:
            x_t = shape_ops.getitem(sequences, (slice(None), t))
            output, new_states = cell(x_t, nest(states), **kwargs)
            new_states = flatten_states(new_states)
            if mask is not None:
                m = Tensor(mask[:, t, None].astype(self.dtype))
                keep = Tensor(1 - m.data)
                if self.zero_output_for_mask:
                    output = math_ops.multiply(output, m)
                else:
                    output = math_ops.add(math_ops.multiply(output, m),
                                          math_ops.multiply(states[prev_output_index], keep))
                new_states = [math_ops.add(math_ops.multiply(n, m), math_ops.multiply(s, keep))
                              for n, s in zip(new_states, states)]
            outputs.append(output)
            states = new_states
        output = shape_ops.stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return output, states

    def get_config(self):
        from numkeras.saving.serialization_lib import serialize_keras_object
        config = {**super().get_config(), "return_sequences": self.return_sequences,
                  "return_state": self.return_state, "go_backwards": self.go_backwards, "stateful": self.stateful,
                  "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask}
        if type(self) is RNN:
            config["cell"] = serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from numkeras.saving.serialization_lib import deserialize_keras_object
        config = dict(config)
        if "cell" in config:  # RNN itself; SimpleRNN, LSTM and GRU write their cell's arguments instead
            config["cell"] = deserialize_keras_object(config["cell"], custom_objects=custom_objects)
        return cls(**config)


def _reset_dropout_masks(cell):
    for c in getattr(cell, "cells", [cell]):
        for name in ("reset_dropout_mask", "reset_recurrent_dropout_mask"):
            if hasattr(c, name):
                getattr(c, name)()
