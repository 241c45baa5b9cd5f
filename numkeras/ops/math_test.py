"""ops.math: values vs NumPy or hand formulas, dtypes, errors, and float64 gradients of the composed ops.

The primitives underneath (erf, FFTs, segment reductions, top_k, matrix functions) are tested in
numkeras/engine/*_ops_test.py; Keras's own answers are compared in tests/keras_parity/ops_math_test.py.
"""
import numpy as np
import pytest

from numkeras import ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(3)


def test_every_keras_math_name_is_here():
    names = ("cdist erf erfc erfinv extract_sequences fft fft2 ifft2 in_top_k irfft istft logdet logsumexp rfft "
             "rsqrt segment_max segment_min segment_prod segment_sum stft top_k view_as_complex view_as_real").split()
    from numkeras.ops import math
    assert sorted(math.__all__) == sorted(names)


@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (1, True), ((0, 2), False), (-1, True)])
def test_logsumexp_values_and_gradient(axis, keepdims):
    x = RNG.standard_normal((3, 4, 2))
    expected = np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(ops.logsumexp(x, axis=axis, keepdims=keepdims).numpy(), expected, rtol=1e-12)
    check_gradients(lambda a: ops.logsumexp(a, axis=axis, keepdims=keepdims), x)


def test_logsumexp_is_stable_and_keeps_dtypes():
    big = np.array([1000.0, 1000.0, -1000.0], "float32")
    out = ops.logsumexp(big)
    assert out.dtype == "float32" and np.isclose(float(out), 1000 + np.log(2))
    assert float(ops.logsumexp(np.array([-np.inf, -np.inf]))) == -np.inf
    assert ops.logsumexp(np.array([1, 2], "int32")).dtype == "float32"
    check_float32(lambda a: ops.logsumexp(a, axis=-1), RNG.standard_normal((2, 3)))


def test_rsqrt():
    x = RNG.uniform(0.1, 4.0, (3, 4))
    np.testing.assert_allclose(ops.rsqrt(x).numpy(), 1 / np.sqrt(x))
    assert ops.rsqrt(np.array([4], "int32")).dtype == "float32"
    check_gradients(ops.rsqrt, x)
    check_float32(ops.rsqrt, x)


def test_cdist():
    x, y = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 5, 3))
    expected = np.sqrt(((x[:, :, None, :] - y[:, None, :, :]) ** 2).sum(-1))
    np.testing.assert_allclose(ops.cdist(x, y).numpy(), expected)
    check_gradients(ops.cdist, x, y)
    with pytest.raises(ValueError, match="last dimensions"):
        ops.cdist(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.cdist(np.ones(3), np.ones((2, 3)))


def test_segment_ops_accept_lists_and_keep_int32():
    out = ops.segment_sum([1, 2, 10, 20], [0, 0, 1, 1], num_segments=2)
    assert out.dtype == "int32" and out.numpy().tolist() == [3, 30]
    assert ops.segment_max([1.0, 5.0], [1, 1], sorted=True).numpy().tolist() == [-np.inf, 5.0]


def test_top_k_and_in_top_k():
    values, indices = ops.top_k([[0.1, 0.9, 0.5]], 2)
    assert values.numpy().tolist() == [[np.float32(0.9), np.float32(0.5)]] and indices.numpy().tolist() == [[1, 2]]
    preds = np.array([[0.1, 0.9, 0.5], [0.3, 0.3, 0.3], [np.nan, 0.2, 0.1]], "float32")
    out = ops.in_top_k([2, 0, 0], preds, 1)
    assert out.dtype == "bool" and out.numpy().tolist() == [False, True, False]
    assert ops.in_top_k([2, 0, 1], preds, 2).numpy().tolist() == [True, True, True]


def test_extract_sequences():
    x = RNG.standard_normal((2, 3, 11))
    out = ops.extract_sequences(x, 4, 3).numpy()
    np.testing.assert_array_equal(out, np.stack([x[..., i:i + 4] for i in range(0, 8, 3)], axis=-2))
    check_gradients(lambda a: ops.extract_sequences(a, 4, 3), x)


def test_fft_family_against_numpy():
    re, im = RNG.standard_normal((2, 4, 6)), RNG.standard_normal((2, 4, 6))
    z = re + 1j * im
    for op, ref in ((ops.fft, np.fft.fft), (ops.fft2, np.fft.fft2), (ops.ifft2, np.fft.ifft2)):
        out_re, out_im = op((re, im))
        np.testing.assert_allclose(out_re.numpy() + 1j * out_im.numpy(), ref(z), atol=1e-12)
    out_re, out_im = ops.rfft(re, fft_length=8)
    np.testing.assert_allclose(out_re.numpy() + 1j * out_im.numpy(), np.fft.rfft(re, n=8), atol=1e-12)
    np.testing.assert_allclose(ops.irfft((re, im), fft_length=9).numpy(), np.fft.irfft(z, n=9), atol=1e-12)
    with pytest.raises(ValueError, match="tuple of two"):
        ops.fft(re)


def hann(n):
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)


def test_stft_is_the_rfft_of_windowed_frames():
    x = RNG.standard_normal(40)
    re, im = ops.stft(x, 6, 4, 8, window="hann", center=False)
    window = np.pad(hann(6), (1, 1))
    frames = np.stack([x[i:i + 8] for i in range(0, 40 - 8 + 1, 4)])
    np.testing.assert_allclose(re.numpy() + 1j * im.numpy(), np.fft.rfft(frames * window, 8), atol=1e-12)
    centred = ops.stft(x, 8, 4, 8)[0]  # reflect-padded by 4 on each side
    assert centred.shape == (1 + (40 + 8 - 8) // 4, 5)


@pytest.mark.parametrize("window", ["hann", "hamming", None])
def test_istft_inverts_stft(window):
    x = RNG.standard_normal((2, 33))
    spectrum = ops.stft(x, 8, 2, 8, window=window)
    # Keras scales the window=None case by fft_length / sequence_stride (its parity case agrees)
    scale = 8 / 2 if window is None else 1
    np.testing.assert_allclose(ops.istft(spectrum, 8, 2, 8, length=33, window=window).numpy(), x * scale,
                               atol=1e-12)


def test_stft_and_istft_gradients():
    check_gradients(lambda a: ops.stft(a, 6, 3, 8)[0], RNG.standard_normal((2, 20)))
    check_gradients(lambda a: ops.stft(a, 6, 3, 8, window="hamming", center=False)[1], RNG.standard_normal(20))
    check_gradients(lambda r, i: ops.istft((r, i), 6, 2, 8, length=11), RNG.standard_normal((6, 5)),
                    RNG.standard_normal((6, 5)))


def test_stft_errors():
    with pytest.raises(ValueError, match="fft_length"):
        ops.stft(np.ones(10, "float32"), 8, 2, 4)
    with pytest.raises(ValueError, match="sequence_stride"):
        ops.stft(np.ones(10, "float32"), 4, 0, 4)
    with pytest.raises(TypeError, match="float32 or float64"):
        ops.stft(np.ones(10, "int32"), 4, 2, 4)
    with pytest.raises(ValueError, match="'hann' or 'hamming'"):
        ops.stft(np.ones(10, "float32"), 4, 2, 4, window="kaiser")


def test_special_functions_and_logdet():
    x = np.array([-1.0, 0.0, 0.5], "float32")
    assert ops.erf(x).dtype == ops.erfc(x).dtype == ops.erfinv(x / 2).dtype == "float32"
    np.testing.assert_allclose(ops.erf(x).numpy() + ops.erfc(x).numpy(), 1, rtol=1e-6)
    np.testing.assert_allclose(ops.erf(ops.erfinv(x / 2)).numpy(), x / 2, atol=1e-6)
    m = np.array([[2.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(float(ops.logdet(m)), np.log(5.0))
    np.testing.assert_allclose(float(ops.logdet(-np.eye(3))), 0.0)  # log |det|, as Keras's slogdet(x)[1]


def test_view_as_complex_and_real():
    x = np.array([[1.0, 2.0], [3.0, -4.0]], "float32")
    z = ops.view_as_complex(x)
    assert z.dtype == "complex64" and z.numpy().tolist() == [1 + 2j, 3 - 4j]
    back = ops.view_as_real(z)
    assert back.dtype == "float32"
    np.testing.assert_array_equal(back.numpy(), x)
    np.testing.assert_array_equal(ops.view_as_real(np.array([1.5])).numpy(), [[1.5, 0.0]])
    with pytest.raises(ValueError, match="last dimension must be 2"):
        ops.view_as_complex(np.ones((2, 3)))
