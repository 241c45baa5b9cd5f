"""Discrete Fourier transforms on (real, imaginary) pairs, and framing, each beside its gradient.

As in Keras, a complex signal travels as two float tensors of one shape, its real and
imaginary parts. Every transform here is linear over the reals, so its vector-Jacobian product
is its adjoint: for `Y = F z` with the DFT matrix `F`, the cotangent `G = G_re + i G_im` goes back
as `F^H G`, which is an unnormalized inverse transform (`ifft(G, norm="forward")`). The two parts
of a result are two graph nodes; each sends back the adjoint of its own half of `G`, and the tape
adds them.

- `fft`, `ifft` (last axis), `fft2`, `ifft2` (last two axes): complex in, complex out.
- `rfft(x, n)`: real in (cut or zero-padded to `n`), the `n // 2 + 1` non-negative frequencies
  out. Adjoint: `Re(ifft(pad(G), n, norm="forward"))`.
- `irfft(z, n)`: the Hermitian half-spectrum in, `n` real samples out. Its adjoint is
  `c_k / n * rfft(g)`, with `c_k = 2` for the bins that stand for two conjugate frequencies and
  1 for the zero (and, `n` even, the Nyquist) bin.
- `frame(x, length, stride)`: overlapping windows of the last axis (`extract_sequences`); its
  adjoint `overlap_add` sums windows back into a signal, and each is the other's gradient.

Results keep the inputs' float dtype (NumPy computes in complex128).

Example:
    >>> from numkeras.engine import fft_ops
    >>> re, im = fft_ops.fft([1.0, 2.0], [0.0, 1.0])
    >>> re.numpy(), im.numpy()
    (array([ 3., -1.], dtype=float32), array([ 1., -1.], dtype=float32))
"""
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make


def _float_pair(real, imag, name):
    real, imag = as_tensor(real), as_tensor(imag)
    if real.data.dtype.kind != "f" or imag.data.dtype.kind != "f":
        raise ValueError(f"{name}: the real and imaginary parts must be float tensors. Received dtypes "
                         f"{real.dtype} and {imag.dtype}. Cast them, e.g. ops.cast(x, 'float32').")
    if real.shape != imag.shape:
        raise ValueError(f"{name}: the real and imaginary parts must have one shape. Received shapes "
                         f"{real.shape} and {imag.shape}.")
    return real, imag


def _parts(z, dtype):
    return xp.ascontiguousarray(z.real, dtype=dtype), xp.ascontiguousarray(z.imag, dtype=dtype)


def _complex_map(real, imag, forward, adjoint):
    """The (real, imaginary) Tensors of `forward(real + i imag)`, for a map that is linear over the reals."""
    dtype = real.data.dtype
    out_re, out_im = _parts(forward(real.data if imag is None else real.data + 1j * imag.data), dtype)

    def back(cotangent):
        h = adjoint(cotangent)
        if xp.iscomplexobj(h):
            grad_re, grad_im = _parts(h, dtype)
            return (grad_re if real.requires_grad else None, grad_im if imag.requires_grad else None)
        return (xp.asarray(h, dtype=dtype), None)  # a real-input map has one parent

    parents = (real, imag) if imag is not None else (real,)
    return (make(out_re, parents, lambda g: back(g.astype(xp.complex128))),
            make(out_im, parents, lambda g: back(1j * g)))


def fft(real, imag):
    """The DFT along the last axis of `real + i imag`, as its (real, imaginary) parts."""
    real, imag = _float_pair(real, imag, "fft")
    return _complex_map(real, imag, lambda z: xp.fft.fft(z), lambda g: xp.fft.ifft(g, norm="forward"))


def ifft(real, imag):
    """The inverse DFT along the last axis, as (real, imaginary) parts."""
    real, imag = _float_pair(real, imag, "ifft")
    return _complex_map(real, imag, lambda z: xp.fft.ifft(z), lambda g: xp.fft.fft(g, norm="forward"))


def fft2(real, imag):
    """The 2-D DFT over the last two axes, as (real, imaginary) parts."""
    real, imag = _float_pair(real, imag, "fft2")
    return _complex_map(real, imag, lambda z: xp.fft.fft2(z), lambda g: xp.fft.ifft2(g, norm="forward"))


def ifft2(real, imag):
    """The 2-D inverse DFT over the last two axes, as (real, imaginary) parts."""
    real, imag = _float_pair(real, imag, "ifft2")
    return _complex_map(real, imag, lambda z: xp.fft.ifft2(z), lambda g: xp.fft.fft2(g, norm="forward"))


def _fit_last_axis(a, size):
    """`a` cut or zero-padded along its last axis to `size`."""
    have = a.shape[-1]
    if have >= size:
        return a[..., :size]
    return xp.concatenate([a, xp.zeros(a.shape[:-1] + (size - have,), a.dtype)], axis=-1)


def rfft(x, fft_length=None):
    """The non-negative-frequency half of the DFT of real `x` along its last axis, as (real, imag).

    Args:
        x: a float tensor.
        fft_length: the DFT size; `x` is cut or zero-padded to it. Defaults to `x.shape[-1]`.
    """
    x = as_tensor(x)
    if x.data.dtype.kind != "f":
        raise ValueError(f"rfft: x must be a float tensor. Received dtype {x.dtype}. Cast it first.")
    m = x.shape[-1]
    n = m if fft_length is None else int(fft_length)
    return _complex_map(x, None, lambda z: xp.fft.rfft(z, n=n),
                        lambda g: _fit_last_axis(xp.fft.ifft(g, n=n, norm="forward").real, m))


def irfft(real, imag, fft_length=None):
    """The real signal of length `fft_length` whose half-spectrum is `real + i imag` (last axis).

    Args:
        real, imag: float tensors of one shape `(..., m)`.
        fft_length: the output length. Defaults to `2 * (m - 1)`.
    """
    real, imag = _float_pair(real, imag, "irfft")
    m = real.shape[-1]
    n = 2 * (m - 1) if fft_length is None else int(fft_length)
    bins = n // 2 + 1
    weight = xp.full(bins, 2.0 / n)  # c_k / n
    weight[0] = 1.0 / n
    if n % 2 == 0:
        weight[-1] = 1.0 / n
    dtype = real.data.dtype
    out = xp.fft.irfft(real.data + 1j * imag.data, n=n).astype(dtype)

    def vjp(g):
        h = _fit_last_axis(xp.fft.rfft(g, n=n) * weight, m)
        return (xp.ascontiguousarray(h.real, dtype=dtype) if real.requires_grad else None,
                xp.ascontiguousarray(h.imag, dtype=dtype) if imag.requires_grad else None)
    return make(out, (real, imag), vjp)


def _frame_count(size, length, stride):
    return max(0, 1 + (size - length) // stride) if size >= length else 0


def _frames(a, length, stride):
    if a.shape[-1] < length:
        return xp.zeros(a.shape[:-1] + (0, length), a.dtype)
    windows = xp.lib.stride_tricks.sliding_window_view(a, length, axis=-1)
    return xp.ascontiguousarray(windows[..., ::stride, :])


def _overlap_add(a, length, stride, size):
    out = xp.zeros(a.shape[:-2] + (size,), a.dtype)
    count = a.shape[-2]
    if count:
        for j in range(length):  # one strided add per position inside the window
            out[..., j:j + stride * (count - 1) + 1:stride] += a[..., :, j]
    return out


def frame(x, length, stride):
    """Windows of `length` samples every `stride` samples along the last axis: `(..., frames, length)`.

    `frames = 1 + (x.shape[-1] - length) // stride` (a partial window at the end is dropped).
    """
    x = as_tensor(x)
    size = x.shape[-1]
    out = _frames(x.data, length, stride)[..., :_frame_count(size, length, stride), :]
    return make(out, (x,), lambda g: (_overlap_add(g, length, stride, size),))


def overlap_add(frames, stride):
    """Sums windows `(..., frames, length)` placed every `stride` samples: `(..., (frames-1)*stride + length)`."""
    frames = as_tensor(frames)
    count, length = frames.shape[-2:]
    size = (count - 1) * stride + length if count else 0
    return make(_overlap_add(frames.data, length, stride, size), (frames,),
                lambda g: (_frames(g, length, stride)[..., :count, :],))
