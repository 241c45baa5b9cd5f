"""FFTs and framing: values vs numpy.fft and hand-built windows, gradients vs central differences."""
import numpy as np
import pytest

from numkeras.engine import fft_ops
from numkeras.engine.gradient_check import check_gradients

RNG = np.random.default_rng(0)

COMPLEX = [(fft_ops.fft, np.fft.fft, (3, 5)), (fft_ops.ifft, np.fft.ifft, (4,)),
           (fft_ops.fft2, np.fft.fft2, (2, 3, 4)), (fft_ops.ifft2, np.fft.ifft2, (3, 4))]


@pytest.mark.parametrize("op,ref,shape", COMPLEX, ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_complex_transforms_match_numpy(op, ref, shape, dtype):
    re, im = RNG.standard_normal(shape).astype(dtype), RNG.standard_normal(shape).astype(dtype)
    out_re, out_im = op(re, im)
    expected = ref(re.astype(np.float64) + 1j * im)
    assert out_re.dtype == out_im.dtype == dtype
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(out_re.numpy(), expected.real, rtol=tol, atol=tol)
    np.testing.assert_allclose(out_im.numpy(), expected.imag, rtol=tol, atol=tol)


@pytest.mark.parametrize("op,ref,shape", COMPLEX, ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("part", [0, 1])
def test_complex_transform_gradients(op, ref, shape, part):
    check_gradients(lambda a, b: op(a, b)[part], RNG.standard_normal(shape), RNG.standard_normal(shape))


def test_a_loss_of_both_parts_sums_both_adjoints():
    check_gradients(lambda a, b: fft_ops.fft(a, b)[0] * fft_ops.fft(a, b)[1],
                    RNG.standard_normal((2, 4)), RNG.standard_normal((2, 4)))


@pytest.mark.parametrize("m,n", [(6, None), (5, None), (6, 4), (5, 8), (5, 7)])
def test_rfft_values_and_gradients(m, n):
    x = RNG.standard_normal((2, m))
    re, im = fft_ops.rfft(x.astype("float32"), n)
    expected = np.fft.rfft(x, n=n)
    assert re.dtype == "float32" and re.shape == expected.shape
    np.testing.assert_allclose(re.numpy(), expected.real, atol=1e-5)
    np.testing.assert_allclose(im.numpy(), expected.imag, atol=1e-5)
    for part in (0, 1):
        check_gradients(lambda a: fft_ops.rfft(a, n)[part], x)


@pytest.mark.parametrize("m,n", [(4, None), (4, 6), (4, 7), (5, 4), (3, 9)])
def test_irfft_values_and_gradients(m, n):
    re, im = RNG.standard_normal((2, m)), RNG.standard_normal((2, m))
    out = fft_ops.irfft(re, im, n)
    np.testing.assert_allclose(out.numpy(), np.fft.irfft(re + 1j * im, n=n), atol=1e-12)
    assert fft_ops.irfft(re.astype("float32"), im.astype("float32"), n).dtype == "float32"
    check_gradients(lambda a, b: fft_ops.irfft(a, b, n), re, im)


def test_rfft_then_irfft_round_trips():
    x = RNG.standard_normal((3, 8))
    np.testing.assert_allclose(fft_ops.irfft(*fft_ops.rfft(x)).numpy(), x, atol=1e-12)


def test_pairs_must_be_float_and_of_one_shape():
    with pytest.raises(ValueError, match="float"):
        fft_ops.fft(np.ones(3, "int32"), np.ones(3, "int32"))
    with pytest.raises(ValueError, match="one shape"):
        fft_ops.fft(np.ones(3), np.ones(4))


@pytest.mark.parametrize("size,length,stride", [(10, 4, 2), (10, 3, 3), (7, 7, 1), (9, 2, 4), (3, 5, 1)])
def test_frame_values_and_gradient(size, length, stride):
    x = RNG.standard_normal((2, size))
    out = fft_ops.frame(x, length, stride).numpy()
    count = max(0, 1 + (size - length) // stride) if size >= length else 0
    expected = np.stack([x[:, i * stride:i * stride + length] for i in range(count)], axis=1) if count \
        else np.zeros((2, 0, length))
    np.testing.assert_array_equal(out, expected)
    if count:
        check_gradients(lambda a: fft_ops.frame(a, length, stride), x)


def test_overlap_add_is_the_adjoint_of_frame():
    frames = RNG.standard_normal((2, 4, 5))
    out = fft_ops.overlap_add(frames, 2).numpy()
    expected = np.zeros((2, 3 * 2 + 5))
    for i in range(4):
        expected[:, 2 * i:2 * i + 5] += frames[:, i]
    np.testing.assert_allclose(out, expected)
    check_gradients(lambda a: fft_ops.overlap_add(a, 2), frames)
    assert fft_ops.frame(np.arange(6, dtype="int32"), 2, 2).dtype == "int32"
