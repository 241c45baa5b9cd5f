import gc
import numpy as np
import pytest

from numkeras import ops
from numkeras.backend import blas_threads
from numkeras.engine import attention_ops, einsum_ops, nn_ops, thread_pool
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor

B, T, S, N, H, HV = 3, 4, 5, 2, 3, 2


def _inputs(seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((B, T, N, H)).astype(dtype), rng.standard_normal((B, S, N, H)).astype(dtype),
            rng.standard_normal((B, S, N, HV)).astype(dtype))


def _mask(seed=1):
    mask = np.random.default_rng(seed).random((B, 1, T, S)) > 0.4
    mask[0, 0, 1] = False  # a fully masked row: it attends to nothing
    return mask


def _reference(q, k, v, mask):
    """Plain NumPy, one batch item and head at a time."""
    out = np.zeros((B, T, N, HV))
    for b in range(B):
        for n in range(N):
            scores = q[b, :, n] @ k[b, :, n].T
            keep = np.ones((T, S), bool) if mask is None else np.broadcast_to(mask, (B, N, T, S))[b, n]
            e = np.where(keep, np.exp(scores - np.where(keep, scores, -np.inf).max(-1, keepdims=True,
                                                                                 initial=-np.inf)), 0)
            total = e.sum(-1, keepdims=True)
            p = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
            out[b, :, n] = p @ v[b, :, n]
    return out


@pytest.mark.parametrize("masked", [False, True])
def test_values_match_a_per_head_reference(masked):
    q, k, v = _inputs()
    mask = _mask() if masked else None
    np.testing.assert_allclose(attention_ops.attention(q, k, v, mask).numpy(), _reference(q, k, v, mask),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("chunk", [1, 2, 1 << 16])
def test_gradients_match_finite_differences(masked, chunk, monkeypatch):
    monkeypatch.setattr(attention_ops, "CHUNK_SCORES", chunk * N * T * S)  # batch items per chunk
    q, k, v = _inputs(2)
    mask = _mask(3) if masked else None
    check_gradients(lambda q, k, v: attention_ops.attention(q, k, v, mask), q, k, v)


def _composite(q, k, v, mask):
    """What MultiHeadAttention computes without the fused op: two einsums and the Softmax layer's masking."""
    scores = einsum_ops.einsum("aecd,abcd->acbe", k, q)
    if mask is not None:
        scores = ops.where(mask, scores, -1e9)
    p = nn_ops.softmax(scores, axis=-1)
    if mask is not None:
        p = ops.where(mask, p, 0.0)
    return einsum_ops.einsum("acbe,aecd->abcd", p, v)


@pytest.mark.parametrize("masked", [False, True])
def test_float32_output_equals_the_composite_ops_bit_for_bit(masked):
    q, k, v = _inputs(4, "float32")
    mask = _mask(5) if masked else None
    fused = attention_ops.attention(q, k, v, mask)
    assert fused.dtype == "float32"
    np.testing.assert_array_equal(fused.numpy(), _composite(q, k, v, mask).numpy())


def test_float32_stays_float32():
    q, k, v = _inputs(6, "float32")
    assert check_float32(lambda q, k, v: attention_ops.attention(q, k, v, _mask()), q, k, v).dtype == "float32"


def test_errors_name_what_was_received():
    q, k, v = _inputs()
    with pytest.raises(ValueError, match=r"query \(B, T, N, H\).*key.shape=\(3, 5, 1, 3\)"):
        attention_ops.attention(q, k[:, :, :1], v)
    with pytest.raises(ValueError, match=r"mask must broadcast to .*\(3, 2, 4, 5\).*\(3, 4, 4\)"):
        attention_ops.attention(q, k, v, np.ones((B, T, T), bool))


def _threaded(monkeypatch, threads):
    """Chunks of one batch item, spread over `threads` pool threads (or kept in this thread)."""
    monkeypatch.setattr(attention_ops, "CHUNK_SCORES", 1)
    monkeypatch.setattr(thread_pool, "THREADS", threads)
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    monkeypatch.setattr(blas_threads, "threads", lambda: 8)


@pytest.mark.parametrize("masked", [False, True])
def test_threaded_chunks_give_the_serial_numbers_bit_for_bit(monkeypatch, masked):
    q, k, v = _inputs(7, "float32")
    mask = _mask(8) if masked else None
    g = np.random.default_rng(9).standard_normal(q.shape[:3] + (HV,)).astype("float32")

    def run():
        tensors = [Tensor(a) for a in (q, k, v)]
        with GradientTape() as tape:
            tape.watch(tensors)
            out = attention_ops.attention(*tensors, mask)
        return [out.numpy()] + [d.numpy() for d in tape.gradient(out, tensors, output_gradients=g)]
    _threaded(monkeypatch, 1)
    assert attention_ops._workers(B, 10**9) == 1
    with blas_threads.single_threaded():  # the threaded path's products run on one BLAS thread
        serial = run()
    _threaded(monkeypatch, 3)
    assert attention_ops._workers(B, 10**9) == 3
    for a, b in zip(serial, run()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("masked", [False, True])
def test_threaded_gradients_match_finite_differences(monkeypatch, masked):
    _threaded(monkeypatch, 2)
    q, k, v = _inputs(10)
    mask = _mask(11) if masked else None
    check_gradients(lambda q, k, v: attention_ops.attention(q, k, v, mask), q, k, v)


def test_threads_follow_blas_and_the_pool(monkeypatch):
    monkeypatch.setattr(thread_pool, "THREADS", 2)
    monkeypatch.setattr(blas_threads, "threads", lambda: 1)  # OPENBLAS_NUM_THREADS=1: one thread here too
    assert attention_ops._workers(64, 10**7) == 1
    monkeypatch.setattr(blas_threads, "threads", lambda: None)  # no OpenBLAS to hold to one: BLAS threads
    assert attention_ops._workers(64, 10**7) == 1
    monkeypatch.setattr(blas_threads, "threads", lambda: 16)
    assert attention_ops._workers(64, 10**7) == 2
    assert attention_ops._workers(1, 10**7) == 1  # one chunk
    assert attention_ops._workers(64, 1000) == 1  # small work


def _spares(shape, dtype="float32"):
    return len(attention_ops._spare.get((shape, np.dtype(dtype)), []))


def test_probabilities_go_back_to_the_spares_only_when_the_backward_is_gone(monkeypatch):
    monkeypatch.setattr(attention_ops, "_spare", {})
    monkeypatch.setattr(attention_ops, "_spare_state", {"bytes": 0, "lock": attention_ops._spare_state["lock"]})
    monkeypatch.setattr(attention_ops, "CHUNK_SCORES", N * T * S)  # one batch item per chunk
    chunk = (1, N, T, S)
    q, k, v = (Tensor(a) for a in _inputs(12, "float32"))
    g = np.random.default_rng(13).standard_normal((B, T, N, HV)).astype("float32")
    with GradientTape(persistent=True) as tape:
        tape.watch([q, k, v])
        out = attention_ops.attention(q, k, v)
    first = tape.gradient(out, [q, k, v], output_gradients=g)
    assert _spares(chunk) == 1  # the backward's gradient buffer; the probabilities are still held
    again = tape.gradient(out, [q, k, v], output_gradients=g)  # the same probabilities, not overwritten
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    expected = out.numpy()
    del tape, out
    gc.collect()
    assert _spares(chunk) == B + 1
    reused = attention_ops.attention(q, k, v)  # no tape: its probabilities come from the spares and go back
    np.testing.assert_array_equal(reused.numpy(), expected)
    assert _spares(chunk) == B + 1
    assert attention_ops._spare_state["bytes"] == (B + 1) * N * T * S * 4


def test_the_spares_keep_at_most_spare_bytes(monkeypatch):
    monkeypatch.setattr(attention_ops, "_spare", {})
    monkeypatch.setattr(attention_ops, "_spare_state", {"bytes": 0, "lock": attention_ops._spare_state["lock"]})
    monkeypatch.setattr(attention_ops, "CHUNK_SCORES", N * T * S)
    monkeypatch.setattr(attention_ops, "SPARE_BYTES", 2 * N * T * S * 4)  # room for two chunks
    q, k, v = _inputs(14, "float32")
    attention_ops.attention(q, k, v)
    gc.collect()
    assert _spares((1, N, T, S)) == 2
    assert attention_ops._spare_state["bytes"] == 2 * N * T * S * 4


@pytest.mark.parametrize("masked", [False, True])
def test_scale_gives_the_numbers_of_the_scaled_query_bit_for_bit(masked):
    """`attention(q, k, v, scale=s)` is `attention(q * s, k, v)`, values and all three gradients, float32."""
    q, k, v = _inputs(8, "float32")
    mask = _mask(9) if masked else None
    g = np.random.default_rng(10).standard_normal((B, T, N, HV)).astype("float32")
    scale = np.asarray(1 / np.sqrt(H), "float32")
    results = []
    for fused in (True, False):
        qt, kt, vt = Tensor(q), Tensor(k), Tensor(v)
        with GradientTape() as tape:
            for t in (qt, kt, vt):
                tape.watch(t)
            out = (attention_ops.attention(qt, kt, vt, mask, scale=scale) if fused
                   else attention_ops.attention(ops.multiply(qt, scale), kt, vt, mask))
        results.append([out.numpy()] + [d.numpy() for d in tape.gradient(out, [qt, kt, vt], output_gradients=g)])
    for fused, separate in zip(*results):
        np.testing.assert_array_equal(fused, separate)
    check_gradients(lambda q, k, v: attention_ops.attention(q, k, v, mask, scale=0.5), *_inputs(11))
