"""SimpleRNN and its cell: `h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)`.

The output of each step is its state `h_t`. Weights as in Keras: kernel
(features, units), recurrent_kernel (units, units), bias (units,).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.SimpleRNN(4, return_sequences=True)(np.ones((2, 5, 3), "float32")).shape
    (2, 5, 4)
"""
from numkeras.engine import linalg_ops, math_ops, rnn_ops
from numkeras.layers.layer import Layer
from numkeras.layers.rnn.cell_options import (activation_name, build_weights, cell_config, delegate_to_cell,
                                              dropped_inputs, set_cell_options, weights_config, zero_states)
from numkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from numkeras.layers.rnn.rnn import RNN


class SimpleRNNCell(DropoutRNNCell, Layer):
    """The cell of a fully-connected RNN: one timestep of `SimpleRNN`.

    Args:
        units: positive integer, the size of the state and the output.
        activation: defaults to "tanh".
        use_bias: defaults to True.
        kernel_initializer: defaults to "glorot_uniform".
        recurrent_initializer: defaults to "orthogonal".
        bias_initializer: defaults to "zeros".
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped in training (one mask per sequence). Defaults to 0.
        recurrent_dropout: fraction of the previous state dropped in the recurrent
            matmul in training (one mask per sequence). Defaults to 0.
        seed: seed of the dropout masks.
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        set_cell_options(self, units, activation, use_bias,
                         (kernel_initializer, recurrent_initializer, bias_initializer),
                         (kernel_regularizer, recurrent_regularizer, bias_regularizer),
                         (kernel_constraint, recurrent_constraint, bias_constraint),
                         dropout, recurrent_dropout, seed)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        build_weights(self, input_shape[-1], 1, (self.units,))

    def call(self, sequence, states, training=False):
        prev = states[0] if isinstance(states, (list, tuple)) else states
        if training and self.dropout > 0:
            sequence = math_ops.multiply(sequence, self.get_dropout_mask(sequence))
        h = linalg_ops.matmul(sequence, self.kernel)
        if self.bias is not None:
            h = math_ops.add(h, self.bias)
        if training and self.recurrent_dropout > 0:
            prev = math_ops.multiply(prev, self.get_recurrent_dropout_mask(prev))
        output = self.activation(math_ops.add(h, linalg_ops.matmul(prev, self.recurrent_kernel)))
        return output, [output] if isinstance(states, (list, tuple)) else output

    def sequence_call(self, sequences, states, mask=None, go_backwards=False, return_sequences=False,
                      zero_output_for_mask=False, training=False):
        """The whole sequence as one op (`rnn_ops.simple_rnn`); None when it cannot."""
        activation = activation_name(self.activation)
        if activation is None:
            return None
        x = dropped_inputs(self, sequences, training)  # the input mask first, as the step-by-step call draws them
        rd = None
        if training and self.recurrent_dropout > 0:
            rd = self.get_recurrent_dropout_mask(states[0])
        return rnn_ops.simple_rnn(x, states, self.kernel,
                                  self.recurrent_kernel, self.bias, mask=mask, go_backwards=go_backwards,
                                  return_sequences=return_sequences, activation=activation,
                                  recurrent_dropout_mask=rd, zero_output_for_mask=zero_output_for_mask)

    def get_initial_state(self, batch_size=None):
        """Zeros for each state, (batch_size, units)."""
        return zero_states(self, batch_size)

    def get_config(self):
        return {**super().get_config(), **cell_config(self), "use_bias": self.use_bias, **weights_config(self),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


CELL_ATTRIBUTES = ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                   "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                   "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")


class SimpleRNN(RNN):
    """A fully-connected RNN: the output of each step is fed back as the next step's state.

    Args:
        units, activation, use_bias, dropout, recurrent_dropout, seed: as in
            `SimpleRNNCell`, and so are the initializers, regularizers and constraints.
        activity_regularizer: optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    Call arguments: `sequences`, `initial_state`, `mask`, `training` as in `RNN`.
    """

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias,
                             kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                             bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                             recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                             kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                             bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                             seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                             name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    def get_config(self):
        cell = self.cell
        return {**super().get_config(), **cell_config(cell), "use_bias": cell.use_bias,
                **weights_config(cell, self.activity_regularizer, with_activity_regularizer=True),
                "dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout}


delegate_to_cell(SimpleRNN, CELL_ATTRIBUTES)
