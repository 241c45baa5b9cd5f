import numpy as np
import pytest

from numkeras import ops
from numkeras.engine import rnn_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

B, T, F, U = 2, 4, 3, 3
MASK = np.array([[1, 0, 1, 1], [1, 1, 0, 0]], bool)
GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3, "gru_reset_before": 3}


def _weights(kind, seed=0, use_bias=True):
    rng = np.random.default_rng(seed)
    g = GATES[kind]
    bias = rng.standard_normal((2, g * U) if kind == "gru" else (g * U,)) * 0.5 if use_bias else None
    return rng.standard_normal((F, g * U)) * 0.5, rng.standard_normal((U, g * U)) * 0.5, bias


def _run(kind, x, h0, c0, kernel, recurrent, bias, **kw):
    if kind == "simple_rnn":
        return rnn_ops.simple_rnn(x, [h0], kernel, recurrent, bias, **kw)
    if kind == "lstm":
        return rnn_ops.lstm(x, [h0, c0], kernel, recurrent, bias, **kw)
    return rnn_ops.gru(x, [h0], kernel, recurrent, bias, reset_after=kind == "gru", **kw)


def _flat(out, states):
    return ops.concatenate([ops.reshape(out, (B, -1))] + list(states), axis=1)


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_gradients_match_finite_differences(kind, go_backwards, return_sequences, mask):
    rng = np.random.default_rng(1)
    x, h0, c0 = rng.standard_normal((B, T, F)), rng.standard_normal((B, U)) * 0.5, rng.standard_normal((B, U))
    kernel, recurrent, bias = _weights(kind)
    kw = dict(mask=mask, go_backwards=go_backwards, return_sequences=return_sequences)
    check_gradients(lambda *a: _flat(*_run(kind, *a, **kw)), x, h0, c0, kernel, recurrent, bias)


@pytest.mark.parametrize("kind", sorted(GATES))
def test_gradients_without_bias_with_zero_output_and_other_activations(kind):
    rng = np.random.default_rng(2)
    x, h0, c0 = rng.standard_normal((B, T, F)), rng.standard_normal((B, U)), rng.standard_normal((B, U))
    kernel, recurrent, _ = _weights(kind, use_bias=False)
    kw = dict(mask=MASK, return_sequences=True, zero_output_for_mask=True, activation="linear")
    if kind != "simple_rnn":
        kw["recurrent_activation"] = "hard_sigmoid"
    check_gradients(lambda x, h0, c0, k, r: _flat(*_run(kind, x, h0, c0, k, r, None, **kw)),
                    x, h0, c0, kernel, recurrent)


def test_simple_rnn_recurrent_dropout_mask_and_relu():
    rng = np.random.default_rng(3)
    x, h0 = rng.standard_normal((B, T, F)), rng.standard_normal((B, U))
    kernel, recurrent, bias = _weights("simple_rnn")
    rd = (rng.random((B, U)) > 0.3) / 0.7
    check_gradients(lambda x, h0, k, r, b: _flat(*rnn_ops.simple_rnn(
        x, [h0], k, r, b, activation="relu", recurrent_dropout_mask=rd, mask=MASK, return_sequences=True)),
        x, h0, kernel, recurrent, bias)


def _reference_lstm(x, h, c, kernel, recurrent, bias, mask):
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    outs = []
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c_new = sig(f) * c + sig(i) * np.tanh(g)
        h_new = sig(o) * np.tanh(c_new)
        m = mask[:, t, None]
        h, c = np.where(m, h_new, h), np.where(m, c_new, c)
        outs.append(h)
    return np.stack(outs, 1), h, c


def test_lstm_matches_a_step_by_step_reference():
    rng = np.random.default_rng(4)
    x, h0, c0 = rng.standard_normal((B, T, F)), rng.standard_normal((B, U)), rng.standard_normal((B, U))
    kernel, recurrent, bias = _weights("lstm")
    out, (h, c) = rnn_ops.lstm(x, [h0, c0], kernel, recurrent, bias, mask=MASK, return_sequences=True)
    ref_out, ref_h, ref_c = _reference_lstm(x, h0, c0, kernel, recurrent, bias, MASK)
    np.testing.assert_allclose(out.numpy(), ref_out, rtol=1e-12)
    np.testing.assert_allclose(h.numpy(), ref_h, rtol=1e-12)
    np.testing.assert_allclose(c.numpy(), ref_c, rtol=1e-12)
    back, _ = rnn_ops.lstm(x, [h0, c0], kernel, recurrent, bias, go_backwards=True, return_sequences=True)
    ref_back, _, _ = _reference_lstm(x[:, ::-1], h0, c0, kernel, recurrent, bias, np.ones((B, T), bool))
    np.testing.assert_allclose(back.numpy(), ref_back, rtol=1e-12)  # outputs in processing order, as Keras


@pytest.mark.parametrize("kind", sorted(GATES))
def test_float32_stays_float32(kind):
    kernel, recurrent, bias = (None if w is None else w.astype("float32") for w in _weights(kind))
    x = np.ones((B, T, F), "float32")
    h0 = np.zeros((B, U), "float32")
    out = check_float32(lambda x, h0, c0, k, r, b: _flat(*_run(kind, x, h0, c0, k, r, b, mask=MASK)),
                        x, h0, h0, kernel, recurrent, bias)
    assert out.dtype == "float32"


def test_errors_name_what_was_received():
    kernel, recurrent, bias = _weights("lstm")
    with pytest.raises(ValueError, match=r"\(batch, timesteps, features\).*\(2, 3\).*x\[:, None, :\]"):
        rnn_ops.lstm(np.ones((2, 3)), [np.zeros((2, U))] * 2, kernel, recurrent, bias)
    with pytest.raises(ValueError, match=r"mask must be \(batch, timesteps\) = \(2, 4\).*\(2, 5\)"):
        rnn_ops.lstm(np.ones((B, T, F)), [np.zeros((B, U))] * 2, kernel, recurrent, bias,
                     mask=np.ones((2, 5), bool))
    with pytest.raises(ValueError, match="no backward for activation 'swish'"):
        rnn_ops.lstm(np.ones((B, T, F)), [np.zeros((B, U))] * 2, kernel, recurrent, bias, activation="swish")


# Keras's implementation=1 dropout: one input mask and one recurrent mask per gate, fixed over time.

def _gate_masks(kind, seed):
    rng = np.random.default_rng(seed)
    gates = GATES[kind]
    return (rng.random((gates, B, F)) > 0.4) / 0.6, (rng.random((gates, B, U)) > 0.3) / 0.7


def _reference_per_gate(kind, x, h, c, kernel, recurrent, bias, dp, rd, mask):
    """Keras's implementation=1 cell written out gate by gate in NumPy, the carried state masked."""
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    gates = GATES[kind]
    k, r = np.split(kernel, gates, axis=1), np.split(recurrent, gates, axis=1)
    b_in, b_rec = (bias[0], bias[1]) if kind == "gru" else (bias, np.zeros_like(bias))
    bi, br = np.split(b_in, gates), np.split(b_rec, gates)
    outs = []
    for t in range(x.shape[1]):
        xs = [x[:, t] * dp[g] @ k[g] + bi[g] for g in range(gates)]
        hs = [h * rd[g] for g in range(gates)]
        if kind == "lstm":
            i, f, o = (sig(xs[g] + hs[g] @ r[g]) for g in (0, 1, 3))
            c_new = f * c + i * np.tanh(xs[2] + hs[2] @ r[2])
            h_new = o * np.tanh(c_new)
        else:
            z, rg = (sig(xs[g] + hs[g] @ r[g] + br[g]) for g in (0, 1))
            if kind == "gru":
                cand = np.tanh(xs[2] + rg * (hs[2] @ r[2] + br[2]))
            else:
                cand = np.tanh(xs[2] + (rg * hs[2]) @ r[2])
            h_new, c_new = z * h + (1 - z) * cand, c
        m = mask[:, t, None]
        h, c = np.where(m, h_new, h), np.where(m, c_new, c)
        outs.append(h)
    return np.stack(outs, 1), h


@pytest.mark.parametrize("kind", ["lstm", "gru", "gru_reset_before"])
def test_per_gate_dropout_masks_match_a_gate_by_gate_reference(kind):
    rng = np.random.default_rng(5)
    x, h0, c0 = rng.standard_normal((B, T, F)), rng.standard_normal((B, U)), rng.standard_normal((B, U))
    kernel, recurrent, bias = _weights(kind)
    dp, rd = _gate_masks(kind, 6)
    out, states = _run(kind, x, h0, c0, kernel, recurrent, bias, mask=MASK, return_sequences=True,
                       dropout_masks=dp, recurrent_dropout_masks=rd)
    ref_out, ref_h = _reference_per_gate(kind, x, h0, c0, kernel, recurrent, bias, dp, rd, MASK)
    np.testing.assert_allclose(out.numpy(), ref_out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(states[0].numpy(), ref_h, rtol=1e-12, atol=1e-14)
    plain, _ = _run(kind, x, h0, c0, kernel, recurrent, bias, mask=MASK, return_sequences=True)
    assert not np.allclose(out.numpy(), plain.numpy())  # the masks did something


@pytest.mark.parametrize("kind", ["lstm", "gru", "gru_reset_before"])
@pytest.mark.parametrize("go_backwards,return_sequences,mask", [(False, True, MASK), (True, False, None),
                                                                (True, True, MASK)])
@pytest.mark.parametrize("which", ["both", "recurrent_only"])
def test_per_gate_dropout_gradients_match_finite_differences(kind, go_backwards, return_sequences, mask, which):
    rng = np.random.default_rng(7)
    x, h0, c0 = rng.standard_normal((B, T, F)), rng.standard_normal((B, U)) * 0.5, rng.standard_normal((B, U))
    kernel, recurrent, bias = _weights(kind, seed=8)
    dp, rd = _gate_masks(kind, 9)
    kw = dict(mask=mask, go_backwards=go_backwards, return_sequences=return_sequences, recurrent_dropout_masks=rd,
              dropout_masks=dp if which == "both" else None)
    check_gradients(lambda *a: _flat(*_run(kind, *a, **kw)), x, h0, c0, kernel, recurrent, bias)


def test_per_gate_masks_of_the_wrong_shape_are_named():
    kernel, recurrent, bias = _weights("lstm")
    x, h0 = np.ones((B, T, F)), np.zeros((B, U))
    with pytest.raises(ValueError, match=r"recurrent_dropout_masks must hold one \(batch, 3\) mask per gate: "
                                         r"shape \(4, 2, 3\).*\(3, 2, 3\)"):
        rnn_ops.lstm(x, [h0, h0], kernel, recurrent, bias, recurrent_dropout_masks=np.ones((3, B, U)))
    with pytest.raises(ValueError, match=r"dropout_masks must hold one \(batch, 3\) mask per gate.*\(2, 3\)"):
        rnn_ops.gru(x, [h0], *_weights("gru"), dropout_masks=np.ones((B, F)))


def test_per_gate_masks_keep_float32():
    kernel, recurrent, bias = (w.astype("float32") for w in _weights("gru"))
    dp, rd = _gate_masks("gru", 10)
    x, h0 = np.ones((B, T, F), "float32"), np.zeros((B, U), "float32")
    out = check_float32(lambda x, h0, k, r, b: _flat(*rnn_ops.gru(
        x, [h0], k, r, b, dropout_masks=dp, recurrent_dropout_masks=rd)), x, h0, kernel, recurrent, bias)
    assert out.dtype == "float32"
