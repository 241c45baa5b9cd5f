"""LSTM and its cell: Hochreiter and Schmidhuber's long short-term memory.

Gates in Keras's column order `i, f, c, o`: kernel (features, 4*units),
recurrent_kernel (units, 4*units), bias (4*units,). With `unit_forget_bias`
the forget gate's bias starts at one.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> out, h, c = layers.LSTM(4, return_state=True)(np.ones((2, 5, 3), "float32"))
    >>> out.shape, c.shape
    ((2, 4), (2, 4))
"""
import numpy as np

from numkeras import activations, initializers
from numkeras.engine import linalg_ops, math_ops, rnn_ops, shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.rnn.cell_options import (build_weights, cell_config, delegate_to_cell, dropped_inputs,
                                              gated_op_activations, per_gate_dropout_masks, set_cell_options,
                                              weights_config, zero_states)
from numkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from numkeras.layers.rnn.rnn import RNN


class LSTMCell(DropoutRNNCell, Layer):
    """One timestep of `LSTM`; states `[h, c]`.

    Args:
        units: positive integer, the size of the states and the output.
        activation: of the candidate and the cell state. Defaults to "tanh".
        recurrent_activation: of the gates i, f, o. Defaults to "sigmoid".
        use_bias: defaults to True.
        kernel_initializer: defaults to "glorot_uniform".
        recurrent_initializer: defaults to "orthogonal".
        bias_initializer: defaults to "zeros".
        unit_forget_bias: start the forget gate's bias at one. Defaults to True.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped in training. Defaults to 0.
        recurrent_dropout: fraction of `h` dropped in the recurrent matmul in
            training; as in Keras it selects `implementation=1` (a mask per gate).
            Defaults to 0.
        seed: seed of the dropout masks.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        set_cell_options(self, units, activation, use_bias,
                         (kernel_initializer, recurrent_initializer, bias_initializer),
                         (kernel_regularizer, recurrent_regularizer, bias_regularizer),
                         (kernel_constraint, recurrent_constraint, bias_constraint),
                         dropout, recurrent_dropout, seed)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        init = None
        if self.unit_forget_bias:
            u, base = self.units, self.bias_initializer

            def init(shape, dtype=None):
                ones = initializers.get("ones")((u,), dtype=dtype)
                parts = [base((u,), dtype=dtype), ones, base((2 * u,), dtype=dtype)]
                return np.concatenate([np.asarray(p) for p in parts])
        build_weights(self, input_shape[-1], 4, (4 * self.units,), init)

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        u = self.units
        k, r = self.kernel, self.recurrent_kernel

        def cols(w, g):
            return shape_ops.getitem(w, (Ellipsis, slice(g * u, (g + 1) * u)))
        if self.implementation == 1:
            dp = self.get_dropout_mask(inputs) if training and self.dropout > 0 else None
            rdp = self.get_recurrent_dropout_mask(h_prev) if training and self.recurrent_dropout > 0 else None
            z = []
            for g in range(4):
                x = inputs if dp is None else math_ops.multiply(inputs, dp[g])
                h = h_prev if rdp is None else math_ops.multiply(h_prev, rdp[g])
                zg = math_ops.add(linalg_ops.matmul(x, cols(k, g)), linalg_ops.matmul(h, cols(r, g)))
                z.append(zg if self.bias is None else math_ops.add(zg, cols(self.bias, g)))
        else:
            if training and self.dropout > 0:
                inputs = math_ops.multiply(inputs, self.get_dropout_mask(inputs))
            zall = math_ops.add(linalg_ops.matmul(inputs, k), linalg_ops.matmul(h_prev, r))
            if self.bias is not None:
                zall = math_ops.add(zall, self.bias)
            z = [cols(zall, g) for g in range(4)]
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = math_ops.add(math_ops.multiply(f, c_prev), math_ops.multiply(i, self.activation(z[2])))
        o = self.recurrent_activation(z[3])
        h = math_ops.multiply(o, self.activation(c))
        return h, [h, c]

    def sequence_call(self, sequences, states, mask=None, go_backwards=False, return_sequences=False,
                      zero_output_for_mask=False, training=False):
        """The whole sequence as one op (`rnn_ops.lstm`), per-gate dropout masks included; None when it
        cannot (an activation the op has no derivative for)."""
        names = gated_op_activations(self)
        if names is None:
            return None
        activation, recurrent = names
        masks = per_gate_dropout_masks(self, sequences, states, training)
        return rnn_ops.lstm(dropped_inputs(self, sequences, training), states, self.kernel, self.recurrent_kernel,
                            self.bias, mask=mask, go_backwards=go_backwards, return_sequences=return_sequences,
                            activation=activation, recurrent_activation=recurrent,
                            zero_output_for_mask=zero_output_for_mask, **masks)

    def get_initial_state(self, batch_size=None):
        """Zeros for each state, (batch_size, units)."""
        return zero_states(self, batch_size)

    def get_config(self):
        return {**super().get_config(), **cell_config(self),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias, **weights_config(self),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


CELL_ATTRIBUTES = ("units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
                   "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                   "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
                   "bias_constraint", "dropout", "recurrent_dropout", "seed", "implementation")


class LSTM(RNN):
    """Long short-term memory layer.

    Args:
        units, activation, recurrent_activation, use_bias, unit_forget_bias: as
            in `LSTMCell`, and so are the initializers, regularizers,
            constraints, dropout, recurrent_dropout and seed.
        activity_regularizer: optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: accepted for Keras compatibility ("auto", True or False) and ignored.

    Call arguments: `sequences`, `initial_state` (`[h, c]`), `mask`, `training` as in `RNN`.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                        kernel_initializer=kernel_initializer, unit_forget_bias=unit_forget_bias,
                        recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                        kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                        dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, dtype=kwargs.get("dtype"),
                        trainable=kwargs.get("trainable", True), name="lstm_cell",
                        implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"LSTM: use_cudnn must be one of 'auto', True, False. Received: use_cudnn={use_cudnn!r}.")
        self.use_cudnn = use_cudnn

    def get_config(self):
        cell = self.cell
        return {**super().get_config(), **cell_config(cell),
                "recurrent_activation": activations.serialize(cell.recurrent_activation),
                "use_bias": cell.use_bias, **_initializers_then_forget_bias(cell, self.activity_regularizer),
                "dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout, "seed": cell.seed}


def _initializers_then_forget_bias(cell, activity_regularizer):
    config = weights_config(cell, activity_regularizer, with_activity_regularizer=True)
    ordered = {}
    for key, value in config.items():
        ordered[key] = value
        if key == "bias_initializer":
            ordered["unit_forget_bias"] = cell.unit_forget_bias
    return ordered


delegate_to_cell(LSTM, CELL_ATTRIBUTES)
