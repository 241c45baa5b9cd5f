"""What the built-in cells (SimpleRNNCell, LSTMCell, GRUCell) and their layers share.

Each cell has a kernel, a recurrent kernel and a bias, each with an
initializer, a regularizer and a constraint; `units`, `activation`,
`use_bias`, `dropout`, `recurrent_dropout` and `seed`. Each layer
(SimpleRNN, LSTM, GRU) builds its cell from the same arguments, shows the
cell's attributes as its own and writes them into its config, as Keras does.

Example:
    >>> from numkeras import layers
    >>> layers.LSTM(3, dropout=0.2).dropout
    0.2
"""
from numkeras import activations
from numkeras.engine import math_ops, shape_ops
from numkeras.engine.rnn_ops import ACTIVATIONS
from numkeras.layers.weight_options import set_weight_options, weight_options_config

WEIGHTS = ("kernel", "recurrent", "bias")


def set_cell_options(cell, units, activation, use_bias, initializers, regularizers, constraints, dropout,
                     recurrent_dropout, seed):
    """Stores a cell's options; `initializers` etc. are (kernel, recurrent, bias) triples."""
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(f"{type(cell).__name__}: units must be a positive integer. Received: units={units!r}.")
    cell.units = units
    cell.activation = activations.get(activation)
    cell.use_bias = bool(use_bias)
    set_weight_options(cell, **{name: options for name, options in
                                zip(WEIGHTS, zip(initializers, regularizers, constraints))})
    cell.dropout = min(1.0, max(0.0, float(dropout)))
    cell.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
    cell.seed = seed


def build_weights(cell, input_dim, gates, bias_shape, bias_initializer=None):
    """Adds `kernel` (input_dim, gates*units), `recurrent_kernel` (units, gates*units) and `bias`."""
    width = gates * cell.units
    cell.kernel = cell.add_weight(shape=(input_dim, width), initializer=cell.kernel_initializer,
                                  regularizer=cell.kernel_regularizer, constraint=cell.kernel_constraint,
                                  name="kernel")
    cell.recurrent_kernel = cell.add_weight(shape=(cell.units, width), initializer=cell.recurrent_initializer,
                                            regularizer=cell.recurrent_regularizer,
                                            constraint=cell.recurrent_constraint, name="recurrent_kernel")
    cell.bias = None
    if cell.use_bias:
        cell.bias = cell.add_weight(shape=bias_shape, initializer=bias_initializer or cell.bias_initializer,
                                    regularizer=cell.bias_regularizer, constraint=cell.bias_constraint,
                                    name="bias")
    cell.built = True


def activation_name(fn):
    """The name `rnn_ops` knows `fn` by, or None (the cell then runs step by step)."""
    if fn is None:
        return "linear"
    try:
        name = activations.serialize(fn)
    except Exception:
        return None
    return name if isinstance(name, str) and name in ACTIVATIONS and activations.get(name) is fn else None


def gated_op_activations(cell):
    """The (activation, recurrent_activation) names for LSTM's and GRU's whole-sequence op, or None when
    the cell must run step by step (an activation the op has no derivative for)."""
    activation, recurrent = activation_name(cell.activation), activation_name(cell.recurrent_activation)
    if activation is None or recurrent is None:
        return None
    return activation, recurrent


def per_gate_dropout_masks(cell, sequences, states, training):
    """`{"dropout_masks": ..., "recurrent_dropout_masks": ...}` for LSTM's and GRU's whole-sequence op:
    with `implementation=1` in training, each gate's masks (drawn once per sequence, input mask first,
    as the step-by-step call draws them), stacked (gates, batch, n); else nothing (None)."""
    if not training or cell.implementation != 1:
        return {}
    masks = {}
    if cell.dropout > 0:
        masks["dropout_masks"] = cell.get_dropout_mask(shape_ops.getitem(sequences, (slice(None), 0)))
    if cell.recurrent_dropout > 0:
        masks["recurrent_dropout_masks"] = cell.get_recurrent_dropout_mask(states[0])
    return masks


def dropped_inputs(cell, sequences, training):
    """`sequences` times the cell's input dropout mask (the same for every timestep), when training;
    unchanged with `implementation=1`, whose masks are per gate (`per_gate_dropout_masks`)."""
    if not training or cell.dropout <= 0 or getattr(cell, "implementation", 2) == 1:
        return sequences
    mask = cell.get_dropout_mask(shape_ops.getitem(sequences, (slice(None), 0)))
    return math_ops.multiply(sequences, shape_ops.reshape(mask, (mask.shape[0], 1, mask.shape[1])))


def cell_config(cell):
    """`units`, `activation`, then the layer-specific entries are added by the caller."""
    return {"units": cell.units, "activation": activations.serialize(cell.activation)}


def weights_config(cell, activity_regularizer=None, with_activity_regularizer=False):
    """The initializers, regularizers (and the layer's activity regularizer) and constraints."""
    config = weight_options_config(cell, WEIGHTS)
    if not with_activity_regularizer:
        return config
    from numkeras import regularizers
    ordered = {}
    for key, value in config.items():
        if key == "kernel_constraint":
            ordered["activity_regularizer"] = regularizers.serialize(activity_regularizer)
        ordered[key] = value
    return ordered


def zero_states(cell, batch_size):
    """A cell's `get_initial_state`: zeros (batch_size, size) for each of its states, in a list."""
    from numkeras.backend import xp
    from numkeras.engine.tensor import Tensor
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
    return [Tensor(xp.zeros((batch_size, size), cell.dtype)) for size in sizes]


def delegate_to_cell(cls, names):
    """Gives the layer class read-only properties that read its cell's attributes."""
    for name in names:
        setattr(cls, name, property(lambda self, n=name: getattr(self.cell, n)))
    return cls
