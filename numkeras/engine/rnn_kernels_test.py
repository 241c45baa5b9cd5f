"""The compiled LSTM step loops give what rnn_ops.lstm's NumPy code gives, bit for bit."""
import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.backend import compiled_kernels
from numkeras.engine import rnn_kernels, rnn_ops

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); the NumPy path is "
                                    "what rnn_ops.lstm runs without it")

B, T, F, U = 5, 7, 3, 4


def _lstm_outputs_and_gradients(dtype, mask, go_backwards, return_sequences, seed=0):
    rng = np.random.default_rng(seed)
    x = numkeras.Variable(rng.standard_normal((B, T, F)).astype(dtype), dtype=dtype)
    h0 = numkeras.Variable(rng.standard_normal((B, U)).astype(dtype), dtype=dtype)
    c0 = numkeras.Variable(rng.standard_normal((B, U)).astype(dtype), dtype=dtype)
    weights = [numkeras.Variable((rng.standard_normal(shape) * 0.7).astype(dtype), dtype=dtype)
               for shape in ((F, 4 * U), (U, 4 * U), (4 * U,))]
    with numkeras.GradientTape() as tape:
        out, (h, c) = rnn_ops.lstm(x, [h0, c0], *weights, mask=mask, go_backwards=go_backwards,
                                   return_sequences=return_sequences)
        loss = ops.sum(out * out) + ops.sum(h) + ops.sum(c * c)  # a gradient reaches every output
    grads = tape.gradient(loss, [x, h0, c0] + weights)
    return [a.numpy() for a in (out, h, c)] + [g.numpy() for g in grads]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_lstm_with_kernels_equals_numpy_bit_for_bit(dtype, masked, go_backwards, return_sequences, monkeypatch):
    mask = np.random.default_rng(1).random((B, T)) > 0.3 if masked else None
    calls = {"lstm_gates": 0, "lstm_backward_step": 0}
    for name in calls:  # count the kernels' runs, to know the compiled path was taken
        original = getattr(rnn_kernels, name)

        def counted(*args, _original=original, _name=name):
            ran = _original(*args)
            calls[_name] += ran is True
            return ran
        monkeypatch.setattr(rnn_kernels, name, counted)
    try:
        compiled_kernels.set_enabled(True)
        compiled = _lstm_outputs_and_gradients(dtype, mask, go_backwards, return_sequences)
        assert calls == {"lstm_gates": T, "lstm_backward_step": T}
        compiled_kernels.set_enabled(False)
        reference = _lstm_outputs_and_gradients(dtype, mask, go_backwards, return_sequences)
    finally:
        compiled_kernels.set_enabled(True)
    assert calls == {"lstm_gates": T, "lstm_backward_step": T}  # the NumPy run called none
    for got, want in zip(compiled, reference):
        assert got.dtype == want.dtype == dtype
        np.testing.assert_array_equal(got, want)


def test_the_kernels_decline_what_they_do_not_take():
    z = np.zeros((8, 3), "float32")
    c = np.zeros((2, 3), "float32")
    assert rnn_kernels.lstm_gates(z, c.astype("float64"), c) is None  # mixed dtypes
    assert rnn_kernels.lstm_gates(z, np.zeros((3, 2), "float32").T, c) is None  # not C-contiguous
    compiled_kernels.set_enabled(False)
    try:
        assert rnn_kernels.lstm_gates(z, c, c.copy()) is None
    finally:
        compiled_kernels.set_enabled(True)
    assert rnn_kernels.lstm_gates(z, c, c.copy()) is True
