"""Math ops: FFTs, special functions, segment reductions, top-k (Keras's `keras.src.ops.math`).

Complex values travel as a `(real, imag)` pair of float tensors, as in Keras: `fft`, `fft2`,
`ifft2`, `irfft` and `istft` take such a pair, `fft`, `fft2`, `ifft2`, `rfft` and `stft` return
one. Differentiable wherever Keras's are: `logsumexp`, `erf`, `erfc`, `erfinv`, `rsqrt`, `cdist`,
`logdet`, the segment reductions, `top_k`'s values, `extract_sequences` and every transform
(the primitives and their gradients are in engine/special_ops, fft_ops, segment_ops and
matrix_ops). `in_top_k`, `view_as_complex` and `view_as_real` are not differentiable.

Example:
    >>> from numkeras.ops import math
    >>> math.logsumexp([0.0, 0.0]).numpy()
    array(0.6931472, dtype=float32)
"""

import numpy as _np

from numkeras.backend import errstate as _errstate
from numkeras.backend import floatx as _floatx
from numkeras.backend import xp as _xp
from numkeras.engine import fft_ops as _fft_ops
from numkeras.engine import math_ops as _math_ops
from numkeras.engine import matrix_ops as _matrix_ops
from numkeras.engine import reduction_ops as _reduction_ops
from numkeras.engine import segment_ops as _segment_ops
from numkeras.engine import shape_ops as _shape_ops
from numkeras.engine.special_ops import erf, erfc, erfinv
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_tensor as _tensor


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002 - Keras's name
    """Sums the rows of `data` (along axis 0) that share a segment id.

    Args:
        data: a tensor whose leading axis matches `segment_ids`.
        segment_ids: 1-D integer ids; ids outside `[0, num_segments)` (e.g. -1) are dropped.
        num_segments: the number of segments. Defaults to `max(segment_ids) + 1`.
        sorted: whether the ids are sorted (accepted; the result is the same either way).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`, in `data`'s dtype; 0 where a
        segment is empty. Differentiable in `data`.

    Example:
        >>> segment_sum([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3).numpy()
        array([  3,  30, 300], dtype=int32)
    """
    return _segment_ops.segment_sum(_tensor(data), segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    """The largest row per segment (-inf, or the dtype's lowest value, where a segment is empty).

    Args and return: as `segment_sum`. Differentiable in `data` (ties share the gradient).

    Example:
        >>> segment_max([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3).numpy()
        array([  2,  20, 200], dtype=int32)
    """
    return _segment_ops.segment_max(_tensor(data), segment_ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    """The smallest row per segment (inf, or the dtype's highest value, where a segment is empty).

    Example:
        >>> segment_min([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3).numpy()
        array([  1,  10, 100], dtype=int32)
    """
    return _segment_ops.segment_min(_tensor(data), segment_ids, num_segments)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    """The product of the rows per segment (1 where a segment is empty).

    Example:
        >>> segment_prod([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], num_segments=3).numpy()
        array([    2,   200, 20000], dtype=int32)
    """
    return _segment_ops.segment_prod(_tensor(data), segment_ids, num_segments)


def top_k(x, k, sorted=True):  # noqa: A002
    """The `k` largest entries along the last axis: `(values, indices)`, indices int32.

    Args:
        x: a tensor of rank >= 1.
        k: how many entries to keep, in `[0, x.shape[-1]]`.
        sorted: accepted for Keras; the values always come in descending order, equal values in
            index order (as on JAX).

    Example:
        >>> values, indices = top_k([5, 2, 7, 1, 9, 3], 3)
        >>> values.numpy(), indices.numpy()
        (array([9, 7, 5], dtype=int32), array([4, 2, 0], dtype=int32))
    """
    return _segment_ops.top_k(_tensor(x), k, sorted)


def in_top_k(targets, predictions, k):
    """Whether each target's prediction is among the `k` largest of its row (ties count as in).

    Args:
        targets: `(batch,)` integer class ids.
        predictions: `(batch, classes)` scores.
        k: the number of top entries.

    Returns:
        A `(batch,)` bool tensor (a nan prediction is never in the top k).

    Example:
        >>> in_top_k([2, 5, 3], [[0.1, 0.4, 0.6, 0.9, 0.5], [0.1, 0.7, 0.9, 0.8, 0.3],
        ...                      [0.1, 0.6, 0.9, 0.9, 0.5]], 3).numpy()
        array([ True, False,  True])
    """
    ids = _np.asarray(_tensor(targets).data).astype(_np.int64)
    scores = _np.asarray(_tensor(predictions).data)
    if scores.ndim != 2 or ids.shape != scores.shape[:1]:
        raise ValueError(f"in_top_k: expected targets of shape (batch,) and predictions of shape (batch, classes). "
                         f"Received targets.shape={ids.shape}, predictions.shape={scores.shape}.")
    # An id outside [0, classes) reads index 0 here; its row is then judged on that score.
    at_label = _np.take_along_axis(scores, _np.clip(ids, 0, scores.shape[1] - 1)[:, None], axis=1)
    at_label = _np.where(_np.isnan(at_label), -_np.inf, at_label)
    rank = 1 + _np.sum(scores > at_label, axis=1)
    return _Tensor(rank <= k)


def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x), axis))`, computed after subtracting the maximum so it neither over- nor underflows.

    Differentiable (its gradient is the softmax of `x`). Integer inputs give floatx.

    Example:
        >>> logsumexp([1000.0, 1000.0]).numpy()
        array(1000.6932, dtype=float32)
    """
    x = _tensor(x)
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, _floatx())
    peak = _np.max(x.data, axis=axis, keepdims=True) if x.size else _np.zeros((1,) * x.ndim, x.data.dtype)
    peak = _np.where(_np.isfinite(peak), peak, 0).astype(x.data.dtype)  # all -inf (or inf): no shift
    with _errstate(divide="ignore"):
        out = _math_ops.log(_reduction_ops.sum(_math_ops.exp(_math_ops.subtract(x, peak)), axis=axis,
                                               keepdims=True))
    out = _math_ops.add(out, peak)
    if keepdims:
        return out
    axes = tuple(range(x.ndim)) if axis is None else tuple(
        a % x.ndim for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    return _shape_ops.squeeze(out, axes) if axes else out


def rsqrt(x):
    """`1 / sqrt(x)`, elementwise and differentiable (ints: floatx).

    Example:
        >>> rsqrt([1.0, 4.0, 100.0]).numpy()
        array([1. , 0.5, 0.1], dtype=float32)
    """
    x = _tensor(x)
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, _floatx())
    return _math_ops.divide(1, _math_ops.sqrt(x))


def cdist(x, y):
    """Euclidean distances between the rows of `x` `(..., n, d)` and of `y` `(..., m, d)`: `(..., n, m)`.

    Differentiable (except where two rows coincide, where the distance has no derivative).

    Example:
        >>> cdist([[0.0, 0.0], [1.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]).numpy()
        array([[1., 1.],
               [1., 1.]], dtype=float32)
    """
    x, y = _tensor(x), _tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"cdist: inputs must have rank >= 2. Received x.shape={x.shape}, y.shape={y.shape}.")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(f"cdist: the last dimensions must match. Received x.shape={x.shape}, y.shape={y.shape}.")
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, y.data.dtype if y.data.dtype.kind == "f" else _floatx())
    if y.data.dtype.kind != "f":
        y = _math_ops.cast(y, x.data.dtype)
    diff = _math_ops.subtract(_shape_ops.expand_dims(x, -2), _shape_ops.expand_dims(y, -3))
    return _math_ops.sqrt(_reduction_ops.sum(_math_ops.square(diff), axis=-1))


def extract_sequences(x, sequence_length, sequence_stride):
    """Windows of `sequence_length` samples every `sequence_stride` along the last axis.

    Returns:
        A tensor `(..., num_sequences, sequence_length)`, `num_sequences =
        1 + (x.shape[-1] - sequence_length) // sequence_stride`. Differentiable.

    Example:
        >>> extract_sequences([1, 2, 3, 4, 5, 6], 3, 2).numpy()
        array([[1, 2, 3],
               [3, 4, 5]], dtype=int32)
    """
    x = _tensor(x)
    if x.ndim < 1:
        raise ValueError(f"extract_sequences: x must have rank >= 1. Received x.shape={x.shape}.")
    return _fft_ops.frame(x, int(sequence_length), int(sequence_stride))


def _pair(x, name):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"{name}: x must be a tuple of two tensors, the real and imaginary parts. "
                         f"Received: x of type {type(x).__name__}.")
    return _tensor(x[0]), _tensor(x[1])


def fft(x):
    """The DFT along the last axis of a complex signal given as `(real, imag)`; returns `(real, imag)`.

    Example:
        >>> re, im = fft(([1.0, 2.0], [0.0, 1.0]))
        >>> re.numpy(), im.numpy()
        (array([ 3., -1.], dtype=float32), array([ 1., -1.], dtype=float32))
    """
    return _fft_ops.fft(*_pair(x, "fft"))


def fft2(x):
    """The 2-D DFT over the last two axes of `(real, imag)`; returns `(real, imag)`.

    Example:
        >>> re, im = fft2(([[1.0, 2.0], [2.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]))
        >>> re.numpy()
        array([[ 6.,  0.],
               [ 0., -2.]], dtype=float32)
    """
    return _fft_ops.fft2(*_pair(x, "fft2"))


def ifft2(x):
    """The 2-D inverse DFT over the last two axes of `(real, imag)`; returns `(real, imag)`.

    Example:
        >>> re, im = ifft2(([[6.0, 0.0], [0.0, -2.0]], [[2.0, 0.0], [0.0, -2.0]]))
        >>> re.numpy()
        array([[1., 2.],
               [2., 1.]], dtype=float32)
    """
    return _fft_ops.ifft2(*_pair(x, "ifft2"))


def rfft(x, fft_length=None):
    """The DFT of a real signal along its last axis, non-negative frequencies only: `(real, imag)`.

    Args:
        x: a float tensor.
        fft_length: the DFT size (`x` is cut or zero-padded to it). Defaults to `x.shape[-1]`.

    Returns:
        Two tensors of shape `(..., fft_length // 2 + 1)`.

    Example:
        >>> re, im = rfft([0.0, 1.0, 2.0, 3.0, 4.0])
        >>> re.numpy()
        array([10. , -2.5, -2.5], dtype=float32)
    """
    return _fft_ops.rfft(_tensor(x), fft_length)


def irfft(x, fft_length=None):
    """The real signal whose half-spectrum along the last axis is `x = (real, imag)`.

    Args:
        x: a tuple of two float tensors `(..., m)`.
        fft_length: the output length. Defaults to `2 * (m - 1)`.

    Example:
        >>> irfft(([10.0, -2.5, -2.5], [0.0, 3.440955, 0.812299]), 5).numpy().round(4)
        array([0., 1., 2., 3., 4.], dtype=float32)
    """
    return _fft_ops.irfft(*_pair(x, "irfft"), fft_length)


def _window(window, sequence_length, fft_length, dtype):
    """The window, zero-padded on both sides to `fft_length` (centred), or None for a rectangular one."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"A string window must be 'hann' or 'hamming'. Received: window={window!r}.")
        n = _np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54  # the periodic (DFT-even) form
        win = a - (1 - a) * _np.cos(2 * _np.pi * n / sequence_length)
    else:
        win = _np.asarray(window.data if isinstance(window, _Tensor) else window, dtype=_np.float64)
        if win.shape != (sequence_length,):
            raise ValueError(f"The window must have shape (sequence_length,) = ({sequence_length},). "
                             f"Received: window shape={win.shape}.")
    left = (fft_length - sequence_length) // 2
    return _np.pad(win, (left, fft_length - sequence_length - left)).astype(dtype)


def _check_stft_sizes(sequence_length, sequence_stride, fft_length):
    if not isinstance(sequence_stride, int) or sequence_stride <= 0:
        raise ValueError(f"sequence_stride must be a positive integer. Received: sequence_stride={sequence_stride}.")
    if fft_length < sequence_length:
        raise ValueError(f"fft_length must be at least sequence_length. Received: sequence_length="
                         f"{sequence_length}, fft_length={fft_length}.")


def _reflect_pad(x, width):
    """Pads the last axis by mirroring (without repeating the edge sample), differentiably."""
    size = x.shape[-1]
    if width >= size:
        raise ValueError(f"stft: with center=True the signal must be longer than fft_length // 2 = {width}. "
                         f"Received a signal of length {size}.")
    left = _shape_ops.getitem(x, (Ellipsis, _np.arange(width, 0, -1)))
    right = _shape_ops.getitem(x, (Ellipsis, _np.arange(size - 2, size - 2 - width, -1)))
    return _shape_ops.concatenate([left, x, right], axis=-1)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis: `(real, imag)` of shape `(..., frames, bins)`.

    Each frame of `fft_length` samples (every `sequence_stride`) is multiplied by the window
    (`sequence_length` long, centred in the frame) and transformed by `rfft`.

    Args:
        x: a float32 or float64 signal.
        sequence_length: the window length.
        sequence_stride: the hop between frames.
        fft_length: the frame and DFT size (>= `sequence_length`).
        window: "hann", "hamming" (periodic), a `(sequence_length,)` tensor, or None for no
            window. Defaults to "hann".
        center: pad `fft_length // 2` mirrored samples on each side so frame `t` is centred on
            sample `t * sequence_stride`. Defaults to True.

    Returns:
        Two tensors `(..., frames, fft_length // 2 + 1)`; differentiable in `x`.

    Example:
        >>> re, im = stft([0.0, 1.0, 2.0, 3.0, 4.0], 3, 2, 3)
        >>> re.numpy()
        array([[ 0.75 , -0.375],
               [ 3.75 , -1.875],
               [ 5.25 , -2.625]], dtype=float32)
    """
    _check_stft_sizes(sequence_length, sequence_stride, fft_length)
    x = _tensor(x)
    if x.dtype not in ("float32", "float64"):
        raise TypeError(f"stft: x must be float32 or float64. Received dtype {x.dtype}. Cast it first.")
    if center:
        x = _reflect_pad(x, fft_length // 2)
    frames = _fft_ops.frame(x, fft_length, sequence_stride)
    win = _window(window, sequence_length, fft_length, x.data.dtype)
    if win is not None:
        frames = _math_ops.multiply(frames, win)
    return _fft_ops.rfft(frames, fft_length)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse of `stft`: the signal whose STFT is `x = (real, imag)`, by weighted overlap-add.

    Args:
        x: a tuple of two float tensors `(..., frames, fft_length // 2 + 1)`.
        sequence_length, sequence_stride, fft_length, window, center: as given to `stft`.
        length: cut the signal to this many samples. Defaults to the whole signal (less the
            `center` padding).

    Returns:
        A float tensor `(..., samples)`; differentiable in `x`.

    Example:
        >>> re, im = stft([0.0, 1.0, 2.0, 3.0, 4.0], 3, 2, 3)
        >>> istft((re, im), 3, 2, 3, length=5).numpy().round(4)
        array([0., 1., 2., 3., 4.], dtype=float32)
    """
    _check_stft_sizes(sequence_length, sequence_stride, fft_length)
    real, imag = _pair(x, "istft")
    if real.ndim < 2:
        raise ValueError(f"istft: x must have rank >= 2 (frames, bins). Received shape {real.shape}.")
    dtype = real.data.dtype
    frames = _fft_ops.irfft(real, imag, fft_length)
    count = real.shape[-2]
    win = _window(window, sequence_length, fft_length, dtype)
    if win is not None:
        frames = _math_ops.multiply(frames, win)
        weight = win.astype(_np.float64) ** 2
    else:
        weight = _np.ones(fft_length)
    signal = _fft_ops.overlap_add(frames, sequence_stride)
    # Divide by the overlap-added squared window where it is not tiny (the weighted least-squares inverse).
    norm = _fft_ops._overlap_add(_np.broadcast_to(weight, (count, fft_length)), fft_length, sequence_stride,
                                 signal.shape[-1])
    scale = _np.where(norm > 1e-10, norm, 1.0)
    if window is None:  # Keras rescales the rectangular case by fft_length / sequence_stride
        scale = scale * sequence_stride / fft_length
    signal = _math_ops.divide(signal, scale.astype(dtype))
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = signal.shape[-1] - fft_length // 2
    else:
        end = fft_length + sequence_stride * (count - 1)
    return _shape_ops.getitem(signal, (Ellipsis, slice(start, end)))


def logdet(x):
    """`log |det x|` of each square matrix, computed stably (Keras's `slogdet(x)[1]`); differentiable.

    Example:
        >>> logdet([[2.0, 0.0], [0.0, 3.0]]).numpy().round(5)
        np.float32(1.79176)
    """
    return _matrix_ops.logabsdet(_tensor(x))


def view_as_complex(x):
    """A complex64 tensor `x[..., 0] + i x[..., 1]` from a real `(..., 2)` one (not differentiable).

    Example:
        >>> view_as_complex([[1.0, 2.0], [3.0, 4.0]]).numpy()
        array([1.+2.j, 3.+4.j], dtype=complex64)
    """
    data = _np.asarray(_tensor(x).data)
    if data.ndim < 1 or data.shape[-1] != 2:
        raise ValueError(f"view_as_complex: the last dimension must be 2 (real, imaginary). Received shape "
                         f"{data.shape}.")
    return _Tensor(_xp.asarray(data[..., 0] + 1j * data[..., 1], dtype=_np.complex64))


def view_as_real(x):
    """A real `(..., 2)` tensor of the real and imaginary parts of `x` (not differentiable).

    Example:
        >>> import numpy as np
        >>> view_as_real(np.array([1 + 2j, 3 + 4j], "complex64")).numpy()
        array([[1., 2.],
               [3., 4.]], dtype=float32)
    """
    data = _np.asarray(x.data if isinstance(x, _Tensor) else x)
    return _Tensor(_xp.stack([_np.real(data), _np.imag(data)], axis=-1))


__all__ = [name for name in dir() if not name.startswith("_")]
