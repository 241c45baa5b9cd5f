"""Recurrent layers as whole-sequence ops: SimpleRNN, LSTM and GRU with backward through time.

One call runs a layer over every timestep and records ONE node on the tape,
whose vjp is a hand-written backward through time (min-char-rnn's shape):

- the input projections of all timesteps are one matmul (time-major, so each
  step reads a contiguous block), and so are the kernel, bias and input
  gradients afterwards;
- each step forward is one recurrent matmul (two for GRU with
  `reset_after=False`, whose reset gate sits between them), and so is each
  step backward; the recurrent kernel's gradient is one matmul at the end;
- only what the backward needs is kept: the carried states and the gate
  activations of each step;
- a mask carries the previous state (and so the previous output) through a
  masked step without branching: `h = m * h_new + (1 - m) * h_prev`.

Keras's semantics: `go_backwards` reads the sequence last step first and
returns the outputs in that processing order; a masked step's output is the
previous output (zeros with `zero_output_for_mask`); the last output is the
last processed step's. Gate orders and weight layouts are Keras's: LSTM
`i, f, c, o`; GRU `z, r, h` with a `(2, 3 * units)` bias when `reset_after`.

Each op returns `(output, states)`: `output` is `(batch, timesteps, units)`
with `return_sequences`, else `(batch, units)`; `states` the final states,
whose gradients flow back into the initial states.

Activations are named (the backward writes each derivative from the
activation's output); `ACTIVATIONS` lists the names. A layer with any other
activation runs its cell step by step under the tape instead.

Keras's `implementation=1` dropout (LSTM and GRU with `recurrent_dropout`, in
training) gives each gate its own input mask and its own recurrent mask, the
same at every timestep. `lstm` and `gru` take them as `(gates, batch, n)`
arrays: the input projections become one matmul per gate, and each step's
recurrent matmul one batched matmul over the gates' masked copies of `h`.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import rnn_ops
    >>> x = np.ones((2, 5, 3), "float32")
    >>> h0 = np.zeros((2, 4), "float32")
    >>> k, r, b = np.ones((3, 4), "float32") * 0.1, np.eye(4, dtype="float32"), np.zeros(4, "float32")
    >>> out, (h,) = rnn_ops.simple_rnn(x, [h0], k, r, b, return_sequences=True)
    >>> out.shape, h.shape
    ((2, 5, 4), (2, 4))
"""
from numkeras.backend import xp
from numkeras.engine import rnn_kernels
from numkeras.engine.tensor import as_tensor, make


def _sigmoid(x):
    return 0.5 * (xp.tanh(0.5 * x) + 1)  # no overflow for any x


def _hard_sigmoid(x):
    return xp.clip(x / 6 + 0.5, 0, 1)


# name -> (f(x), f'(x) written from y = f(x))
ACTIVATIONS = {
    "tanh": (xp.tanh, lambda y: 1 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1 - y)),
    "relu": (lambda x: xp.maximum(x, 0), lambda y: (y > 0).astype(y.dtype)),
    "linear": (lambda x: x, xp.ones_like),
    "hard_sigmoid": (_hard_sigmoid, lambda y: ((y > 0) & (y < 1)).astype(y.dtype) / 6),
}


def _activation(name):
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"rnn_ops has no backward for activation {name!r}. Expected one of "
                         f"{sorted(ACTIVATIONS)}; other activations run the cell step by step "
                         "(keras.layers.RNN's generic path).") from None


def _check_mask(mask, batch, timesteps):
    if mask is None:
        return None
    mask = xp.asarray(getattr(mask, "data", mask))
    if mask.shape != (batch, timesteps):
        raise ValueError(f"A recurrent layer's mask must be (batch, timesteps) = ({batch}, {timesteps}), one "
                         f"flag per step. Received: mask of shape {mask.shape}. Pass the mask an Embedding "
                         "(mask_zero=True) or a Masking layer makes for these sequences, or none.")
    return mask


class _Sequence:
    """The parts every cell shares: time-major inputs, masks, projections, the packed result."""

    def __init__(self, inputs, states, kernel, bias, mask, go_backwards, return_sequences,
                 zero_output_for_mask, dropout_masks=None):
        self.x, self.kernel = as_tensor(inputs), as_tensor(kernel)
        self.bias = None if bias is None else as_tensor(bias)
        self.states = [as_tensor(s) for s in states]
        if self.x.ndim != 3:
            raise ValueError(f"A recurrent layer needs inputs of shape (batch, timesteps, features). Received: "
                             f"inputs of shape {self.x.shape}. Reshape a (batch, features) array to "
                             "(batch, 1, features) with x[:, None, :], or to (batch, timesteps, 1) with x[..., None].")
        self.dtype = self.x.data.dtype
        self.batch, self.timesteps, self.features = self.x.shape
        mask = _check_mask(mask, self.batch, self.timesteps)
        self.order = order = slice(None, None, -1) if go_backwards else slice(None)
        self._xt = None
        # (T, B, 1) step masks in processing order and their complements, or None
        self.m = None if mask is None else xp.ascontiguousarray(mask.T[order, :, None]).astype(bool).astype(self.dtype)
        self.keep = None if mask is None else 1 - self.m
        self.return_sequences, self.zero_output = return_sequences, zero_output_for_mask
        gates = self.kernel.shape[1] // states[0].shape[-1] if dropout_masks is not None else 0
        self.dropout_masks = _gate_masks(dropout_masks, gates, self.batch, self.features, self.dtype, "dropout_masks")

    @property
    def xt(self):
        """The inputs time-major, (T, B, F) in processing order (made on first use)."""
        if self._xt is None:
            self._xt = xp.ascontiguousarray(self.x.data.transpose(1, 0, 2)[self.order])
        return self._xt

    def features_major(self):
        """The inputs as (T, F, B) in processing order: each step's inputs transposed, for gate-major ops."""
        return xp.ascontiguousarray(self.x.data.transpose(1, 2, 0)[self.order])

    def batch_minor_masks(self):
        """The step masks and their complements as (T, 1, B) views, or (None, None)."""
        if self.m is None:
            return None, None
        return self.m.transpose(0, 2, 1), self.keep.transpose(0, 2, 1)

    def batch_minor_output_gradients(self, g, n_out):
        """`output_gradients` transposed for gate-major ops: every step's (T, U, B) with return_sequences
        (else None), the last step's (U, B) (else None), and the final states' gradients, each (U, B)."""
        dout = dlast = None
        if self.return_sequences:
            dout = xp.ascontiguousarray(g[:, :n_out].transpose(1, 2, 0))
            if self.zero_output and self.m is not None:
                dout *= self.m.transpose(0, 2, 1)
        else:
            dlast = g[:, 0].T
            if self.zero_output and self.m is not None:
                dlast = dlast * self.m[-1].T
        return dout, dlast, [xp.ascontiguousarray(g[:, n_out + i].T) for i in range(len(self.states))]

    def _gate_columns(self):
        width = self.kernel.shape[1] // len(self.dropout_masks)
        return [slice(g * width, (g + 1) * width) for g in range(len(self.dropout_masks))]

    def project(self, bias=None):
        """All timesteps' input projections, (T, B, G): one matmul, or one per gate with per-gate masks."""
        t, b, f = self.xt.shape
        if self.dropout_masks is None:
            proj = xp.matmul(self.xt.reshape(t * b, f), self.kernel.data).reshape(t, b, -1)
        else:
            proj = xp.empty((t, b, self.kernel.shape[1]), self.dtype)
            for mask, cols in zip(self.dropout_masks, self._gate_columns()):
                proj[:, :, cols] = xp.matmul((self.xt * mask).reshape(t * b, f),
                                             self.kernel.data[:, cols]).reshape(t, b, -1)
        if bias is not None:
            proj += bias
        return proj

    def step_mask(self, s):
        return None if self.m is None else self.m[s]

    def carry(self, s, new, prev):
        """`m * new + (1 - m) * prev`: a masked step keeps the previous state."""
        if self.m is None:
            return new
        return self.m[s] * new + self.keep[s] * prev  # exact for 0/1 masks: no rounding of `new`

    def outputs(self, h, *finals):
        """The packed result: (B, T_out + n_states, U), outputs (carried `h`s) then the final states."""
        units = h.shape[-1]
        n_out = self.timesteps if self.return_sequences else 1
        first = 0 if self.return_sequences else self.timesteps - 1
        out = xp.empty((self.batch, n_out + len(self.states), units), self.dtype)
        seq = h[1 + first:].transpose(1, 0, 2)  # (B, n_out, U): carried states = outputs
        if self.zero_output and self.m is not None:
            seq = seq * self.m[first:].transpose(1, 0, 2)
        out[:, :n_out] = seq
        for i, state in enumerate(finals):
            out[:, n_out + i] = state
        return out, n_out

    def output_gradients(self, g, n_out):
        """Per processing step, the gradient reaching its output (T, B, U) or None; final-state gradients."""
        t, b, u = self.timesteps, self.batch, g.shape[-1]
        dout = xp.zeros((t, b, u), self.dtype)
        if self.return_sequences:
            dout[:] = g[:, :n_out].transpose(1, 0, 2)
        else:
            dout[-1] = g[:, 0]
        if self.zero_output and self.m is not None:
            dout *= self.m
        return dout, [xp.array(g[:, n_out + i]) for i in range(len(self.states))]

    def input_gradients(self, dproj):
        """dX, dKernel, dBias(sum) from the (T, B, G) gradients of the projections, one matmul each."""
        t, b, gates = dproj.shape
        flat = dproj.reshape(t * b, gates)
        dx = dk = None
        masks = self.dropout_masks
        if self.x.requires_grad:
            if masks is None:
                dx = xp.matmul(flat, self.kernel.data.T).reshape(t, b, self.features)
            else:
                dx = sum(xp.matmul(flat[:, cols], self.kernel.data[:, cols].T).reshape(t, b, -1) * mask
                         for mask, cols in zip(masks, self._gate_columns()))
            dx = dx[self.order].transpose(1, 0, 2)  # back to (B, T, F) in the inputs' time order
        if self.kernel.requires_grad:
            if masks is None:
                dk = xp.matmul(self.xt.reshape(t * b, self.features).T, flat)
            else:
                dk = xp.empty_like(self.kernel.data)
                for mask, cols in zip(masks, self._gate_columns()):
                    dk[:, cols] = xp.matmul((self.xt * mask).reshape(t * b, self.features).T, flat[:, cols])
        return dx, dk, flat.sum(axis=0)

    def finish(self, packed, n_out, vjp, parents):
        """Records the one node and splits the packed result into (output, states)."""
        node = make(packed, tuple(parents), vjp)
        output = _part(node, slice(0, n_out) if self.return_sequences else 0)
        return output, [_part(node, n_out + i) for i in range(len(self.states))]


def _part(packed, index):
    """`packed[:, index]`, a basic slice: its gradient is written into zeros, never accumulated."""
    def vjp(g):
        full = xp.zeros_like(packed.data)
        full[:, index] = g
        return (full,)
    return make(packed.data[:, index], (packed,), vjp)


def _gate_masks(masks, gates, batch, width, dtype, name):
    """Per-gate dropout masks as one (gates, batch, width) array, or None; a wrong shape is named."""
    if masks is None:
        return None
    if isinstance(masks, (list, tuple)):
        masks = [getattr(m, "data", m) for m in masks]
    masks = xp.asarray(getattr(masks, "data", masks), dtype=dtype)
    if masks.shape != (gates, batch, width):
        raise ValueError(f"{name} must hold one (batch, {width}) mask per gate: shape ({gates}, {batch}, {width}). "
                         f"Received: {name} of shape {masks.shape}. Pass the masks that the cell draws with "
                         "implementation=1, or None.")
    return masks


class _GateRecurrence:
    """The recurrent matmul with one recurrent-dropout mask per gate: gate g reads `(h * masks[g]) @ R_g`.

    `R_g` are the recurrent kernel's column blocks, stacked (gates, U, U), so that a step is one
    batched matmul over the gates' masked copies of `h`, and so is its backward.
    """

    def __init__(self, masks, recurrent_kernel, gates):
        self.masks = masks  # (gates, B, U)
        u = recurrent_kernel.shape[0]
        self.blocks = xp.ascontiguousarray(recurrent_kernel[:, :gates * u].reshape(u, gates, u).transpose(1, 0, 2))

    def forward(self, h):
        """(B, gates * U): column block g is `(h * masks[g]) @ R_g`."""
        out = xp.matmul(h * self.masks, self.blocks)  # (gates, B, U)
        return out.transpose(1, 0, 2).reshape(h.shape[0], -1)

    def backward(self, d):
        """The gradient reaching `h` from the gradient `d` (B, gates * U) of `forward(h)`."""
        gates = self.masks.shape[0]
        per_gate = d.reshape(d.shape[0], gates, -1).transpose(1, 0, 2)
        return (xp.matmul(per_gate, self.blocks.transpose(0, 2, 1)) * self.masks).sum(axis=0)

    def kernel_gradient(self, h_prev, d):
        """The recurrent kernel's gradient (U, gates * U), from every step's `h_prev` (T, B, U) and `d` (T, B, gates * U)."""
        t, b, u = h_prev.shape
        out = xp.empty((u, d.shape[-1]), h_prev.dtype)
        for g, mask in enumerate(self.masks):
            cols = slice(g * u, (g + 1) * u)
            out[:, cols] = xp.matmul((h_prev * mask).reshape(t * b, u).T, d[:, :, cols].reshape(t * b, u))
        return out


def _recurrence(masks, recurrent_kernel, gates, seq):
    masks = _gate_masks(masks, gates, seq.batch, recurrent_kernel.shape[0], seq.dtype, "recurrent_dropout_masks")
    return None if masks is None else _GateRecurrence(masks, recurrent_kernel, gates)


def _parents(seq, recurrent_kernel):
    parents = [seq.x, *seq.states, seq.kernel, recurrent_kernel]
    return parents + ([seq.bias] if seq.bias is not None else [])


def _grads(seq, dx, dstates, dk, dr, db):
    return (dx, *dstates, dk, dr) + ((db,) if seq.bias is not None else ())


def simple_rnn(inputs, initial_states, kernel, recurrent_kernel, bias=None, *, mask=None, go_backwards=False,
               return_sequences=False, activation="tanh", recurrent_dropout_mask=None,
               zero_output_for_mask=False):
    """A SimpleRNN layer over a whole sequence: `h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)`.

    Args:
        inputs: (batch, timesteps, features).
        initial_states: `[h0]`, h0 of shape (batch, units).
        kernel: (features, units). recurrent_kernel: (units, units). bias: (units,) or None.
        mask: optional (batch, timesteps) booleans; a False step carries the state over.
        go_backwards: process the last step first. Defaults to False.
        return_sequences: return every step's output, else the last. Defaults to False.
        activation: a name in `ACTIVATIONS`. Defaults to "tanh".
        recurrent_dropout_mask: optional (batch, units) array multiplying `h_prev` in the recurrent matmul.
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Returns:
        `(output, [h])`.
    """
    seq = _Sequence(inputs, initial_states, kernel, bias, mask, go_backwards, return_sequences,
                    zero_output_for_mask)
    r = as_tensor(recurrent_kernel)
    act, dact = _activation(activation)
    rd = None if recurrent_dropout_mask is None else xp.asarray(
        getattr(recurrent_dropout_mask, "data", recurrent_dropout_mask), dtype=seq.dtype)
    proj = seq.project(None if seq.bias is None else seq.bias.data)
    t, b, u = proj.shape
    h = xp.empty((t + 1, b, u), seq.dtype)  # carried states, h[0] the initial one
    h[0] = seq.states[0].data
    for s in range(t):
        hp = h[s] if rd is None else h[s] * rd
        h[s + 1] = seq.carry(s, act(proj[s] + hp @ r.data), h[s])
    packed, n_out = seq.outputs(h, h[-1])

    def vjp(g):
        dout, (dh,) = seq.output_gradients(g, n_out)
        dpre = xp.empty_like(proj)
        for s in range(t - 1, -1, -1):
            if seq.return_sequences or s == t - 1:  # else no output gradient reaches this step
                dh = dh + dout[s]
            m = seq.step_mask(s)
            dnew = dh if m is None else m * dh
            dpre[s] = dnew * dact(h[s + 1])
            back = dpre[s] @ r.data.T
            if rd is not None:
                back *= rd
            dh = back if m is None else back + (1 - m) * dh
        hp = h[:-1] if rd is None else h[:-1] * rd
        dr = xp.matmul(hp.reshape(t * b, u).T, dpre.reshape(t * b, u)) if r.requires_grad else None
        dx, dk, db = seq.input_gradients(dpre)
        return _grads(seq, dx, [dh], dk, dr, db)
    return seq.finish(packed, n_out, vjp, _parents(seq, r))


def lstm(inputs, initial_states, kernel, recurrent_kernel, bias=None, *, mask=None, go_backwards=False,
         return_sequences=False, activation="tanh", recurrent_activation="sigmoid", zero_output_for_mask=False,
         dropout_masks=None, recurrent_dropout_masks=None):
    """An LSTM layer over a whole sequence, gates `i, f, c, o` in Keras's column order.

    `z = x @ kernel + h_prev @ recurrent_kernel + bias`; `i, f, o = recurrent_activation(z_i, z_f, z_o)`,
    `g = activation(z_c)`; `c = f * c_prev + i * g`; `h = o * activation(c)`.

    Inside, each step is laid out gate-major and batch-minor: the step's pre-activations are a
    (4 * units, batch) array, `recurrent_kernel.T @ h_prev.T` and the projection, so each gate is a
    contiguous block of rows and every elementwise pass runs over contiguous memory (in Keras's
    (batch, 4 * units) layout a gate is a column slice, which NumPy walks row by row, 32 floats at a
    time). With the default activations, sigmoid is `0.5 * tanh(0.5 * x) + 0.5` and the `i, f, o` rows
    of the weights are halved once (exact in binary floating point), so one `tanh` pass serves all
    four gates.

    Args:
        inputs: (batch, timesteps, features).
        initial_states: `[h0, c0]`, each (batch, units).
        kernel: (features, 4 * units). recurrent_kernel: (units, 4 * units). bias: (4 * units,) or None.
        mask, go_backwards, return_sequences, zero_output_for_mask: as in `simple_rnn`.
        activation: a name in `ACTIVATIONS`. Defaults to "tanh".
        recurrent_activation: a name in `ACTIVATIONS`. Defaults to "sigmoid".
        dropout_masks: optional (4, batch, features): gate g's input projection reads
            `inputs * dropout_masks[g]` at every step (Keras's `implementation=1`).
        recurrent_dropout_masks: optional (4, batch, units): gate g's recurrent matmul reads
            `h_prev * recurrent_dropout_masks[g]`. With either, the op runs in Keras's (batch, 4 * units)
            layout, one matmul per gate.

    Returns:
        `(output, [h, c])`.
    """
    if dropout_masks is not None or recurrent_dropout_masks is not None:
        return _lstm_with_gate_masks(inputs, initial_states, kernel, recurrent_kernel, bias, mask=mask,
                                     go_backwards=go_backwards, return_sequences=return_sequences,
                                     activation=activation, recurrent_activation=recurrent_activation,
                                     zero_output_for_mask=zero_output_for_mask, dropout_masks=dropout_masks,
                                     recurrent_dropout_masks=recurrent_dropout_masks)
    seq = _Sequence(inputs, initial_states, kernel, bias, mask, go_backwards, return_sequences,
                    zero_output_for_mask)
    r = as_tensor(recurrent_kernel)
    act, dact = _activation(activation)
    ract, drect = _activation(recurrent_activation)
    fused = activation == "tanh" and recurrent_activation == "sigmoid"
    dtype, rk = seq.dtype, r.data
    u = rk.shape[0]
    scale = xp.ones((4 * u, 1), dtype)
    if fused:  # sigmoid(z) = 0.5 * tanh(0.5 * z) + 0.5: the i, f, o rows' pre-activations halved
        scale[:2 * u] = scale[3 * u:] = 0.5
    rt = xp.ascontiguousarray(rk.T * scale)  # (4u, u)
    xf = seq.features_major()  # (T, F, B)
    gates = xp.matmul(seq.kernel.data.T * scale, xf)  # (T, 4u, B): projections, then the activations i, f, g, o
    if seq.bias is not None:
        gates += seq.bias.data[:, None] * scale
    t, _, b = gates.shape
    h = xp.empty((t + 1, u, b), dtype)  # carried states, transposed; h[0] the initial one
    c = xp.empty((t + 1, u, b), dtype)
    tanh_c = xp.empty((t, u, b), dtype)  # activation(c_new)
    h[0], c[0] = seq.states[0].data.T, seq.states[1].data.T
    m, keep = seq.batch_minor_masks()  # (T, 1, B) or None
    rec = xp.empty((4 * u, b), dtype)
    masked_c = None if m is None else xp.empty((u, b), dtype)  # a masked step's c_new, before the carry
    for s in range(t):
        z = gates[s]
        xp.matmul(rt, h[s], out=rec)
        z += rec
        c_new = c[s + 1] if m is None else masked_c
        if fused:
            xp.tanh(z, out=z)
            if rnn_kernels.lstm_gates(z, c[s], c_new) is None:  # the same operations, one compiled pass
                for part in (z[:2 * u], z[3 * u:]):
                    part += 1
                    part *= 0.5
                xp.multiply(z[u:2 * u], c[s], out=c_new)
                c_new += z[:u] * z[2 * u:3 * u]
            xp.tanh(c_new, out=tanh_c[s])
        else:
            z[:2 * u] = ract(z[:2 * u])
            z[2 * u:3 * u] = act(z[2 * u:3 * u])
            z[3 * u:] = ract(z[3 * u:])
            xp.multiply(z[u:2 * u], c[s], out=c_new)
            c_new += z[:u] * z[2 * u:3 * u]
            tanh_c[s] = act(c_new)
        o = z[3 * u:]
        if m is None:
            xp.multiply(o, tanh_c[s], out=h[s + 1])
        else:
            c[s + 1] = m[s] * c_new + keep[s] * c[s]
            h[s + 1] = m[s] * (o * tanh_c[s]) + keep[s] * h[s]
    hb = h.transpose(0, 2, 1)  # (T + 1, B, U) views
    packed, n_out = seq.outputs(hb, hb[-1], c[-1].T)

    def vjp(g):
        dout, dlast, (dh, dc) = seq.batch_minor_output_gradients(g, n_out)
        dz = xp.empty_like(gates)
        spare = xp.empty((u, b), dtype)  # the compiled step writes the carried dc here, then the two swap
        for s in range(t - 1, -1, -1):
            if dout is not None:
                dh = dh + dout[s]
            elif s == t - 1:
                dh = dh + dlast
            z, d = gates[s], dz[s]
            ms = None if m is None else m[s]
            if fused and rnn_kernels.lstm_backward_step(dh, dc, z, tanh_c[s], c[s], ms, d, spare):
                dc, spare = spare, dc
            else:
                i, f, gg, o = z[:u], z[u:2 * u], z[2 * u:3 * u], z[3 * u:]
                dh_new = dh if ms is None else ms * dh
                dc_new = dh_new * o * dact(tanh_c[s]) + (dc if ms is None else ms * dc)
                d[:u] = dc_new * gg * drect(i)
                d[u:2 * u] = dc_new * c[s] * drect(f)
                d[2 * u:3 * u] = dc_new * i * dact(gg)
                d[3 * u:] = dh_new * tanh_c[s] * drect(o)
                dc = dc_new * f if ms is None else dc_new * f + keep[s] * dc
            back = rk @ d
            dh = back if ms is None else back + keep[s] * dh
        dzt = dz.transpose(0, 2, 1)  # (T, B, 4u) views: each product below is one step's
        dr = xp.matmul(h[:-1], dzt).sum(axis=0) if r.requires_grad else None
        dk = xp.matmul(xf, dzt).sum(axis=0) if seq.kernel.requires_grad else None
        dx = None
        if seq.x.requires_grad:
            dx = xp.matmul(seq.kernel.data, dz)[seq.order].transpose(2, 0, 1)  # (B, T, F), inputs' time order
        return _grads(seq, dx, [dh.T, dc.T], dk, dr, dz.sum(axis=(0, 2)))
    return seq.finish(packed, n_out, vjp, _parents(seq, r))


def _lstm_with_gate_masks(inputs, initial_states, kernel, recurrent_kernel, bias=None, *, mask=None,
                          go_backwards=False, return_sequences=False, activation="tanh",
                          recurrent_activation="sigmoid", zero_output_for_mask=False, dropout_masks=None,
                          recurrent_dropout_masks=None):
    """`lstm` with per-gate dropout masks (Keras's implementation=1), in Keras's (batch, 4 * units) layout."""
    seq = _Sequence(inputs, initial_states, kernel, bias, mask, go_backwards, return_sequences,
                    zero_output_for_mask, dropout_masks)
    r = as_tensor(recurrent_kernel)
    rec = _recurrence(recurrent_dropout_masks, r.data, 4, seq)
    act, dact = _activation(activation)
    ract, drect = _activation(recurrent_activation)
    proj = seq.project(None if seq.bias is None else seq.bias.data)
    t, b, u4 = proj.shape
    u = u4 // 4
    h = xp.empty((t + 1, b, u), seq.dtype)
    c = xp.empty((t + 1, b, u), seq.dtype)
    gates = proj  # overwritten step by step with the activations i, f, g, o
    tanh_c = xp.empty((t, b, u), seq.dtype)  # activation(c_new)
    h[0], c[0] = seq.states[0].data, seq.states[1].data
    for s in range(t):
        z = proj[s]
        z += h[s] @ r.data if rec is None else rec.forward(h[s])
        z[:, :2 * u] = ract(z[:, :2 * u])
        z[:, 2 * u:3 * u] = act(z[:, 2 * u:3 * u])
        z[:, 3 * u:] = ract(z[:, 3 * u:])
        i, f, gg, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        c_new = f * c[s] + i * gg
        tanh_c[s] = act(c_new)
        c[s + 1] = seq.carry(s, c_new, c[s])
        h[s + 1] = seq.carry(s, o * tanh_c[s], h[s])
    packed, n_out = seq.outputs(h, h[-1], c[-1])

    def vjp(g):
        dout, (dh, dc) = seq.output_gradients(g, n_out)
        dz = xp.empty((t, b, u4), seq.dtype)
        for s in range(t - 1, -1, -1):
            if seq.return_sequences or s == t - 1:  # else no output gradient reaches this step
                dh = dh + dout[s]
            m = seq.step_mask(s)
            z = gates[s]
            i, f, gg, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
            dh_new = dh if m is None else m * dh
            dc_new = dh_new * o * dact(tanh_c[s]) + (dc if m is None else m * dc)
            d = dz[s]
            d[:, :u] = dc_new * gg * drect(i)
            d[:, u:2 * u] = dc_new * c[s] * drect(f)
            d[:, 2 * u:3 * u] = dc_new * i * dact(gg)
            d[:, 3 * u:] = dh_new * tanh_c[s] * drect(o)
            back = d @ r.data.T if rec is None else rec.backward(d)
            dc_prev = dc_new * f
            if m is None:
                dh, dc = back, dc_prev
            else:
                dh, dc = back + (1 - m) * dh, dc_prev + (1 - m) * dc
        dr = None
        if r.requires_grad:
            dr = (xp.matmul(h[:-1].reshape(t * b, u).T, dz.reshape(t * b, u4)) if rec is None
                  else rec.kernel_gradient(h[:-1], dz))
        dx, dk, db = seq.input_gradients(dz)
        return _grads(seq, dx, [dh, dc], dk, dr, db)
    return seq.finish(packed, n_out, vjp, _parents(seq, r))


def gru(inputs, initial_states, kernel, recurrent_kernel, bias=None, *, mask=None, go_backwards=False,
        return_sequences=False, activation="tanh", recurrent_activation="sigmoid", reset_after=True,
        zero_output_for_mask=False, dropout_masks=None, recurrent_dropout_masks=None):
    """A GRU layer over a whole sequence, gates `z, r, h` in Keras's column order.

    `z, r = recurrent_activation(x_z + h_prev @ R_z, x_r + h_prev @ R_r)`; the candidate is
    `activation(x_h + r * (h_prev @ R_h + b_rh))` with `reset_after` (bias `(2, 3 * units)`: input
    row, recurrent row), else `activation(x_h + (r * h_prev) @ R_h)` (bias `(3 * units,)`);
    `h = z * h_prev + (1 - z) * candidate`.

    Args:
        inputs: (batch, timesteps, features).
        initial_states: `[h0]`, (batch, units).
        kernel: (features, 3 * units). recurrent_kernel: (units, 3 * units). bias: as above, or None.
        mask, go_backwards, return_sequences, zero_output_for_mask: as in `simple_rnn`.
        activation, recurrent_activation: names in `ACTIVATIONS`. Default to "tanh" and "sigmoid".
        reset_after: apply the reset gate after the recurrent matmul. Defaults to True.
        dropout_masks: optional (3, batch, features): gate g's input projection reads
            `inputs * dropout_masks[g]` at every step (Keras's `implementation=1`).
        recurrent_dropout_masks: optional (3, batch, units): gate g's recurrent matmul reads
            `h_prev * recurrent_dropout_masks[g]` (the candidate's, `r * h_prev * mask` without
            `reset_after`); the update `z * h_prev` reads `h_prev` itself, as in Keras.

    Returns:
        `(output, [h])`.
    """
    seq = _Sequence(inputs, initial_states, kernel, bias, mask, go_backwards, return_sequences,
                    zero_output_for_mask, dropout_masks)
    r = as_tensor(recurrent_kernel)
    # reset_after: all three gates' matmuls at once; before: z and r at once, the candidate's apart
    rec = _recurrence(recurrent_dropout_masks, r.data, 3, seq)
    cand_mask = None
    if rec is not None and not reset_after:
        rec, cand_mask = _GateRecurrence(rec.masks[:2], r.data, 2), rec.masks[2]
    act, dact = _activation(activation)
    ract, drect = _activation(recurrent_activation)
    bias_in = bias_rec = None
    if seq.bias is not None:
        if reset_after:
            bias_in, bias_rec = seq.bias.data[0], seq.bias.data[1]
        else:
            bias_in = seq.bias.data
    proj = seq.project(bias_in)
    t, b, u3 = proj.shape
    u = u3 // 3
    h = xp.empty((t + 1, b, u), seq.dtype)
    h[0] = seq.states[0].data
    gates = proj  # overwritten with z, r, candidate
    rec_h = xp.empty((t, b, u), seq.dtype) if reset_after else None  # h_prev @ R_h + b_rh
    rk = r.data
    for s in range(t):
        x = proj[s]
        if reset_after:
            inner = h[s] @ rk if rec is None else rec.forward(h[s])
            if bias_rec is not None:
                inner += bias_rec
            x[:, :2 * u] = ract(x[:, :2 * u] + inner[:, :2 * u])
            rec_h[s] = inner[:, 2 * u:]
            x[:, 2 * u:] = act(x[:, 2 * u:] + x[:, u:2 * u] * rec_h[s])
        else:
            x[:, :2 * u] = ract(x[:, :2 * u] + (h[s] @ rk[:, :2 * u] if rec is None else rec.forward(h[s])))
            hh = h[s] if cand_mask is None else h[s] * cand_mask
            x[:, 2 * u:] = act(x[:, 2 * u:] + (x[:, u:2 * u] * hh) @ rk[:, 2 * u:])
        zg, cand = x[:, :u], x[:, 2 * u:]
        h[s + 1] = seq.carry(s, zg * h[s] + (1 - zg) * cand, h[s])
    packed, n_out = seq.outputs(h, h[-1])

    def vjp(g):
        dout, (dh,) = seq.output_gradients(g, n_out)
        dx_pre = xp.empty((t, b, u3), seq.dtype)  # gradients of the input projections
        dinner = xp.empty((t, b, u3), seq.dtype) if reset_after else None  # of h_prev @ R (+ b_rec)
        for s in range(t - 1, -1, -1):
            if seq.return_sequences or s == t - 1:  # else no output gradient reaches this step
                dh = dh + dout[s]
            m = seq.step_mask(s)
            x = gates[s]
            zg, rg, cand = x[:, :u], x[:, u:2 * u], x[:, 2 * u:]
            dh_new = dh if m is None else m * dh
            d = dx_pre[s]
            d[:, 2 * u:] = dh_new * (1 - zg) * dact(cand)
            d[:, :u] = dh_new * (h[s] - cand) * drect(zg)
            direct = dh_new * zg
            if reset_after:
                d[:, u:2 * u] = d[:, 2 * u:] * rec_h[s] * drect(rg)
                di = dinner[s]
                di[:, :2 * u] = d[:, :2 * u]
                di[:, 2 * u:] = d[:, 2 * u:] * rg
                back = di @ rk.T if rec is None else rec.backward(di)
            else:
                drh = d[:, 2 * u:] @ rk[:, 2 * u:].T
                if cand_mask is not None:
                    drh *= cand_mask  # now the gradient of r * h_prev's candidate copy, per h_prev
                d[:, u:2 * u] = drh * h[s] * drect(rg)
                back = (d[:, :2 * u] @ rk[:, :2 * u].T if rec is None else rec.backward(d[:, :2 * u])) + drh * rg
            back += direct
            dh = back if m is None else back + (1 - m) * dh
        hp = h[:-1].reshape(t * b, u)
        dr = None
        if r.requires_grad:
            if reset_after:
                dr = xp.matmul(hp.T, dinner.reshape(t * b, u3)) if rec is None else rec.kernel_gradient(h[:-1], dinner)
            else:
                dr = xp.empty_like(rk)
                dr[:, :2 * u] = (xp.matmul(hp.T, dx_pre[:, :, :2 * u].reshape(t * b, 2 * u)) if rec is None
                                 else rec.kernel_gradient(h[:-1], dx_pre[:, :, :2 * u]))
                hh = h[:-1] if cand_mask is None else h[:-1] * cand_mask
                rh = (gates[:, :, u:2 * u] * hh).reshape(t * b, u)
                dr[:, 2 * u:] = xp.matmul(rh.T, dx_pre[:, :, 2 * u:].reshape(t * b, u))
        dx, dk, db = seq.input_gradients(dx_pre)
        if reset_after:
            db = xp.stack([db, dinner.reshape(t * b, u3).sum(axis=0)])
        return _grads(seq, dx, [dh], dk, dr, db)
    return seq.finish(packed, n_out, vjp, _parents(seq, r))
