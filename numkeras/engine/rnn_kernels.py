"""An LSTM step's gate arithmetic as single compiled passes (numba, when installed).

`rnn_ops.lstm` runs each timestep gate-major, batch-minor: the step's gates are a (4 * units, batch)
array. With the default activations (sigmoid gates, tanh cell), what is left around the step's
matmul and its `tanh` passes is a dozen elementwise NumPy operations forward and about twenty-five
backward, each over a (units, batch) block (4,096 floats for the IMDB LSTM(32) at batch 128), each a
NumPy call of about a microsecond; 500 timesteps make that 10-15 ms of a training step. Each function
here does one step's share in one loop:

- `lstm_gates`: the sigmoid gates from their `tanh` (`0.5 * (t + 1)`) and the new cell state
  `f * c_prev + i * g`;
- `lstm_backward_step`: the four gates' pre-activation gradients and the cell state's gradient
  carried back, with or without a mask.

The transcendental passes (`tanh`) stay NumPy's, so each loop does the same float operations in the
same order as the NumPy code beside it in `rnn_ops.lstm`, which stays the reference (and the path
without numba, for other activations or other arrays): `rnn_kernels_test.py` checks both give the
same outputs and gradients bit for bit. Each entry point returns True when it ran, None when it
declines (see `numkeras.backend.compiled_kernels`).

Example:
    >>> import numpy as np
    >>> z = np.zeros((8, 3), "float32")  # tanh of the gates: 4 gates x 2 units, batch 3
    >>> c = np.ones((2, 3), "float32")
    >>> ran = lstm_gates(z, c, np.empty_like(c))
    >>> ran is None or z[:2].tolist() == [[0.5] * 3] * 2
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels


def lstm_gates(z, c_prev, c_new):
    """On one step's (4u, B) gates after `tanh` (the i, f, o rows of halved pre-activations): the i, f, o
    rows become `0.5 * (t + 1)` in place, and `c_new = f * c_prev + i * g`. True, or None for NumPy."""
    kernel = _kernel("lstm_gates", z, c_prev, c_new)
    if kernel is None:
        return None
    kernel(z, c_prev, c_new, z.dtype.type(1), z.dtype.type(0.5))
    return True


def lstm_backward_step(dh, dc, z, tanh_c, c_prev, m, d, dc_out):
    """One step of the LSTM's backward through time: the (4u, B) gradients `d` of the gates' pre-activations
    and the cell state's gradient `dc_out` sent to the previous step (with a (1, B) mask `m`, the masked
    steps' carried `dc` included; without, `m` is None). True, or None for NumPy."""
    arrays = (dh, dc, z, tanh_c, c_prev, d, dc_out) + (() if m is None else (m,))
    kernel = _kernel("lstm_backward_step", *arrays)
    if kernel is None:
        return None
    if m is None:
        kernel(dh, dc, z, tanh_c, c_prev, dh[:1], False, d, dc_out, dh.dtype.type(1))
    else:
        kernel(dh, dc, z, tanh_c, c_prev, m, True, d, dc_out, dh.dtype.type(1))
    return True


def _kernel(name, *arrays):
    dtype = arrays[0].dtype
    if all(a.dtype == dtype and a.ndim == 2 for a in arrays) and compiled_kernels.takes(*arrays):
        return compiled_kernels.compiled(_define, name)
    return None


def _define(jit):
    @jit
    def lstm_gates(z, c_prev, c_new, one, half):  # typed constants: a Python 1 would promote float32 to float64
        units, batch = c_prev.shape
        for u in range(units):
            for b in range(batch):
                i = (z[u, b] + one) * half
                f = (z[units + u, b] + one) * half
                z[u, b] = i
                z[units + u, b] = f
                z[3 * units + u, b] = (z[3 * units + u, b] + one) * half
                c_new[u, b] = f * c_prev[u, b] + i * z[2 * units + u, b]

    @jit
    def lstm_backward_step(dh, dc, z, tanh_c, c_prev, m, masked, d, dc_out, one):
        units, batch = dh.shape
        for u in range(units):
            for b in range(batch):
                i, f = z[u, b], z[units + u, b]
                g, o = z[2 * units + u, b], z[3 * units + u, b]
                tc = tanh_c[u, b]
                if masked:
                    dh_new = m[0, b] * dh[u, b]
                    dc_new = dh_new * o * (one - tc * tc) + m[0, b] * dc[u, b]
                else:
                    dh_new = dh[u, b]
                    dc_new = dh_new * o * (one - tc * tc) + dc[u, b]
                d[u, b] = dc_new * g * (i * (one - i))
                d[units + u, b] = dc_new * c_prev[u, b] * (f * (one - f))
                d[2 * units + u, b] = dc_new * i * (one - g * g)
                d[3 * units + u, b] = dh_new * tc * (o * (one - o))
                if masked:
                    dc_out[u, b] = dc_new * f + (one - m[0, b]) * dc[u, b]
                else:
                    dc_out[u, b] = dc_new * f
    return {"lstm_gates": lstm_gates, "lstm_backward_step": lstm_backward_step}
