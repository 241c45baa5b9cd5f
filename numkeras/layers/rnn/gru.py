"""GRU and its cell: Cho et al.'s gated recurrent unit.

Gates in Keras's column order `z, r, h`: kernel (features, 3*units),
recurrent_kernel (units, 3*units). With `reset_after=True` (the default, as
cuDNN computes it) the reset gate multiplies `h_prev @ R_h + b_rh` and the
bias is `(2, 3*units)` (input row, recurrent row); with `reset_after=False`
it multiplies `h_prev` before the matmul and the bias is `(3*units,)`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> gru = layers.GRU(4)
    >>> gru(np.ones((2, 5, 3), "float32")).shape, tuple(gru.cell.bias.shape)
    ((2, 4), (2, 12))
"""
from numkeras import activations
from numkeras.engine import linalg_ops, math_ops, rnn_ops, shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.rnn.cell_options import (build_weights, cell_config, delegate_to_cell, dropped_inputs,
                                              gated_op_activations, per_gate_dropout_masks, set_cell_options,
                                              weights_config, zero_states)
from numkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from numkeras.layers.rnn.rnn import RNN


class GRUCell(DropoutRNNCell, Layer):
    """One timestep of `GRU`; one state `h`.

    Args:
        units: positive integer, the size of the state and the output.
        activation: of the candidate state. Defaults to "tanh".
        recurrent_activation: of the gates z and r. Defaults to "sigmoid".
        use_bias: defaults to True.
        kernel_initializer: defaults to "glorot_uniform".
        recurrent_initializer: defaults to "orthogonal".
        bias_initializer: defaults to "zeros".
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the inputs dropped in training. Defaults to 0.
        recurrent_dropout: fraction of `h` dropped in the recurrent matmuls in
            training; as in Keras it selects `implementation=1`. Defaults to 0.
        reset_after: apply the reset gate after the recurrent matmul. Defaults to True.
        seed: seed of the dropout masks.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        set_cell_options(self, units, activation, use_bias,
                         (kernel_initializer, recurrent_initializer, bias_initializer),
                         (kernel_regularizer, recurrent_regularizer, bias_regularizer),
                         (kernel_constraint, recurrent_constraint, bias_constraint),
                         dropout, recurrent_dropout, seed)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        build_weights(self, input_shape[-1], 3, bias_shape)

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        u, k, r = self.units, self.kernel, self.recurrent_kernel

        def cols(w, g, n=1):
            return shape_ops.getitem(w, (Ellipsis, slice(g * u, (g + n) * u)))
        b_in = b_rec = None
        if self.bias is not None:
            b_in, b_rec = (self.bias[0], self.bias[1]) if self.reset_after else (self.bias, None)
        dp = self.get_dropout_mask(inputs) if training and self.dropout > 0 else None
        rdp = self.get_recurrent_dropout_mask(h_prev) if training and self.recurrent_dropout > 0 else None
        if self.implementation == 1:
            xs = [inputs if dp is None else math_ops.multiply(inputs, dp[g]) for g in range(3)]
            hs = [h_prev if rdp is None else math_ops.multiply(h_prev, rdp[g]) for g in range(3)]
        else:
            x = inputs if dp is None else math_ops.multiply(inputs, dp)
            xs, hs = [x] * 3, [h_prev] * 3
        x_g = [linalg_ops.matmul(xs[g], cols(k, g)) for g in range(3)]
        if b_in is not None:
            x_g = [math_ops.add(x_g[g], cols(b_in, g)) for g in range(3)]
        rec = [linalg_ops.matmul(hs[g], cols(r, g)) for g in range(2)]
        if self.reset_after:
            rec.append(linalg_ops.matmul(hs[2], cols(r, 2)))
            if b_rec is not None:
                rec = [math_ops.add(rec[g], cols(b_rec, g)) for g in range(3)]
        z = self.recurrent_activation(math_ops.add(x_g[0], rec[0]))
        rg = self.recurrent_activation(math_ops.add(x_g[1], rec[1]))
        if self.reset_after:
            rec_h = math_ops.multiply(rg, rec[2])
        else:
            rec_h = linalg_ops.matmul(math_ops.multiply(rg, hs[2]), cols(r, 2))
        hh = self.activation(math_ops.add(x_g[2], rec_h))
        h = math_ops.add(math_ops.multiply(z, h_prev), math_ops.multiply(math_ops.subtract(1.0, z), hh))
        return h, [h] if isinstance(states, (list, tuple)) else h

    def sequence_call(self, sequences, states, mask=None, go_backwards=False, return_sequences=False,
                      zero_output_for_mask=False, training=False):
        """The whole sequence as one op (`rnn_ops.gru`); None when it cannot."""
        names = gated_op_activations(self)
        if names is None:
            return None
        activation, recurrent = names
        masks = per_gate_dropout_masks(self, sequences, states, training)
        return rnn_ops.gru(dropped_inputs(self, sequences, training), states, self.kernel, self.recurrent_kernel,
                           self.bias, mask=mask, go_backwards=go_backwards, return_sequences=return_sequences,
                           activation=activation, recurrent_activation=recurrent, reset_after=self.reset_after,
                           zero_output_for_mask=zero_output_for_mask, **masks)

    def get_initial_state(self, batch_size=None):
        """Zeros for each state, (batch_size, units)."""
        return zero_states(self, batch_size)

    def get_config(self):
        return {**super().get_config(), **cell_config(self),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "use_bias": self.use_bias, **weights_config(self), "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "reset_after": self.reset_after, "seed": self.seed}


CELL_ATTRIBUTES = ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                   "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
                   "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                   "recurrent_dropout", "reset_after", "seed", "implementation")


class GRU(RNN):
    """Gated recurrent unit layer.

    Args:
        units, activation, recurrent_activation, use_bias, reset_after: as in
            `GRUCell`, and so are the initializers, regularizers, constraints,
            dropout, recurrent_dropout and seed.
        activity_regularizer: optional penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: accepted for Keras compatibility ("auto", True or False) and ignored.

    Call arguments: `sequences`, `initial_state`, `mask`, `training` as in `RNN`.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                       kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                       kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                       bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                       reset_after=reset_after, seed=seed, dtype=kwargs.get("dtype"),
                       trainable=kwargs.get("trainable", True), name="gru_cell",
                       implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"GRU: use_cudnn must be one of 'auto', True, False. Received: use_cudnn={use_cudnn!r}.")
        self.use_cudnn = use_cudnn

    def get_config(self):
        cell = self.cell
        return {**super().get_config(), **cell_config(cell),
                "recurrent_activation": activations.serialize(cell.recurrent_activation), "use_bias": cell.use_bias,
                **weights_config(cell, self.activity_regularizer, with_activity_regularizer=True),
                "dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout,
                "reset_after": cell.reset_after, "seed": cell.seed}


delegate_to_cell(GRU, CELL_ATTRIBUTES)
