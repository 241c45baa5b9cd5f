"""Neural-network ops: activations, softmax, normalization, losses, attention, convolution, pooling,
encodings and patches (Keras's `keras.ops.nn`).

The activations are the functions of `numkeras.activations` with Keras's ops signatures (`gelu`
defaults to the tanh approximation here, as `keras.ops.gelu` does); integer inputs become floatx,
except in `relu`, `hard_tanh` and `threshold`, which keep the input's dtype as Keras's do. Most ops
are composed from the engine's primitives and need no backward code of their own; `unfold`/`fold`
are primitives (engine/fold_ops.py), each the other's gradient.

Example:
    >>> from numkeras.ops import nn
    >>> nn.softmax([[1.0, 1.0]]).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
import math as _math

import numpy as _np

from numkeras import activations as _act
from numkeras.backend import epsilon as _epsilon
from numkeras.backend import floatx as _floatx
from numkeras.backend import xp as _xp
from numkeras.engine import conv_ops as _conv_ops
from numkeras.engine import crossentropy_ops as _ce
from numkeras.engine import fold_ops as _fold_ops
from numkeras.engine import math_ops as _m
from numkeras.engine import nn_ops as _nn
from numkeras.engine import normalization_ops as _norm
from numkeras.engine import pool_ops as _pool_ops
from numkeras.engine import reduction_ops as _r
from numkeras.engine import shape_ops as _s
from numkeras.engine.ctc_ops import ctc_decode, ctc_loss
from numkeras.engine.einsum_ops import einsum as _einsum
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_numpy as _convert_to_numpy
from numkeras.ops.core import convert_to_tensor as _convert_to_tensor


def _tensor(x):
    return x if isinstance(x, _Tensor) else _convert_to_tensor(x)


def _float(x):
    """`x` as a Tensor, integer and boolean inputs cast to floatx (Keras's activations do the same)."""
    x = _tensor(x)
    return x if x.data.dtype.kind in "fc" else _m.cast(x, _floatx())


# -- activations ------------------------------------------------------------------------------------
def relu(x):
    """`max(x, 0)`; integer inputs stay integer.

    Example:
        >>> relu([-1.0, 2.0]).numpy()
        array([0., 2.], dtype=float32)
    """
    return _nn.relu(_tensor(x))


def relu6(x):
    """`min(max(x, 0), 6)`.

    Example:
        >>> relu6([-1.0, 3.0, 8.0]).numpy()
        array([0., 3., 6.], dtype=float32)
    """
    return _act.relu6(_float(x))


def sigmoid(x):
    """`1 / (1 + exp(-x))`, computed without overflow.

    Example:
        >>> sigmoid([0.0]).numpy()
        array([0.5], dtype=float32)
    """
    return _nn.sigmoid(_float(x))


def sparse_sigmoid(x):
    """0 for `x <= -1`, `(x + 1) / 2` between, 1 for `x >= 1`.

    Example:
        >>> sparse_sigmoid([-2.0, 0.0, 2.0]).numpy()
        array([0. , 0.5, 1. ], dtype=float32)
    """
    return _act.sparse_sigmoid(_float(x))


def softplus(x):
    """`log(1 + exp(x))`, computed without overflow.

    Example:
        >>> softplus([0.0]).numpy().round(4)
        array([0.6931], dtype=float32)
    """
    return _nn.softplus(_float(x))


def softsign(x):
    """`x / (1 + |x|)`.

    Example:
        >>> softsign([1.0]).numpy()
        array([0.5], dtype=float32)
    """
    return _act.softsign(_float(x))


def soft_shrink(x, threshold=0.5):
    """Moves `x` towards 0 by `threshold`; `|x| <= threshold` becomes 0.

    Example:
        >>> soft_shrink([-1.0, 0.2, 1.0]).numpy()
        array([-0.5,  0. ,  0.5], dtype=float32)
    """
    return _act.soft_shrink(_float(x), threshold=threshold)


def sparse_plus(x):
    """0 for `x <= -1`, `(x + 1)**2 / 4` between, `x` for `x >= 1`.

    Example:
        >>> sparse_plus([-2.0, 0.0, 2.0]).numpy()
        array([0.  , 0.25, 2.  ], dtype=float32)
    """
    return _act.sparse_plus(_float(x))


def silu(x):
    """`x * sigmoid(x)` (also called swish).

    Example:
        >>> silu([0.0]).numpy()
        array([0.], dtype=float32)
    """
    return _act.silu(_float(x))


swish = silu


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`.

    Example:
        >>> squareplus([0.0]).numpy()
        array([1.], dtype=float32)
    """
    return _act.squareplus(_float(x), b=b)


def log_sigmoid(x):
    """`log(sigmoid(x)) = -softplus(-x)`.

    Example:
        >>> log_sigmoid([0.0]).numpy().round(4)
        array([-0.6931], dtype=float32)
    """
    return _act.log_sigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, else `negative_slope * x`.

    Example:
        >>> leaky_relu([-1.0, 2.0]).numpy()
        array([-0.2,  2. ], dtype=float32)
    """
    return _act.leaky_relu(_float(x), negative_slope=negative_slope)


def hard_sigmoid(x):
    """`clip(x / 6 + 0.5, 0, 1)`.

    Example:
        >>> hard_sigmoid([-4.0, 0.0, 4.0]).numpy()
        array([0. , 0.5, 1. ], dtype=float32)
    """
    return _act.hard_sigmoid(_float(x))


def hard_silu(x):
    """`x * hard_sigmoid(x)` (also called hard swish).

    Example:
        >>> hard_silu([-4.0, 0.0, 4.0]).numpy()
        array([-0.,  0.,  4.], dtype=float32)
    """
    return _act.hard_silu(_float(x))


hard_swish = hard_silu


def elu(x, alpha=1.0):
    """`x` for `x >= 0`, else `alpha * (exp(x) - 1)`.

    Example:
        >>> elu([1.0, 0.0]).numpy()
        array([1., 0.], dtype=float32)
    """
    return _act.elu(_float(x), alpha=alpha)


def selu(x):
    """`scale * elu(x, alpha)` with Klambauer et al.'s constants (alpha ~1.6733, scale ~1.0507).

    Example:
        >>> selu([0.0]).numpy()
        array([0.], dtype=float32)
    """
    return _act.selu(_float(x))


def gelu(x, approximate=True):
    """Gaussian error linear unit, `x * P(X <= x)` for a standard normal `X`.

    Args:
        x: input tensor.
        approximate: if True, the tanh approximation; if False, the exact form through `erf`.
            Defaults to True (as `keras.ops.gelu`; `keras.activations.gelu` defaults to False).

    Example:
        >>> gelu([0.0, 1.0]).numpy().round(4)
        array([0.    , 0.8412], dtype=float32)
    """
    return _act.gelu(_float(x), approximate=approximate)


def celu(x, alpha=1.0):
    """`max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`.

    Example:
        >>> celu([1.0, 0.0]).numpy()
        array([1., 0.], dtype=float32)
    """
    return _act.celu(_float(x), alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: the halves `a, b` of `x` along `axis` give `a * sigmoid(b)`.

    Example:
        >>> glu([[1.0, 0.0]]).numpy()
        array([[0.5]], dtype=float32)
    """
    return _act.glu(_float(x), axis=axis)


def tanh_shrink(x):
    """`x - tanh(x)`.

    Example:
        >>> tanh_shrink([0.0]).numpy()
        array([0.], dtype=float32)
    """
    return _act.tanh_shrink(_float(x))


def hard_tanh(x):
    """`x` clipped to [-1, 1]; integer inputs stay integer.

    Example:
        >>> hard_tanh([-2.0, 0.5, 2.0]).numpy()
        array([-1. ,  0.5,  1. ], dtype=float32)
    """
    return _act.hard_tanh(_tensor(x))


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0.

    Example:
        >>> hard_shrink([-1.0, 0.2, 1.0]).numpy()
        array([-1.,  0.,  1.], dtype=float32)
    """
    return _act.hard_shrink(_float(x), threshold=threshold)


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value` (in `x`'s dtype).

    Example:
        >>> threshold([-1.0, 2.0], 0.0, -5.0).numpy()
        array([-5.,  2.], dtype=float32)
    """
    x = _tensor(x)
    fill = _xp.asarray(default_value, dtype=x.data.dtype)
    return _m.where(x.data > threshold, x, _Tensor(fill))


def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis` (an int or a tuple of axes), computed stably.

    Example:
        >>> softmax([[0.0, 0.0], [0.0, 0.0]], axis=(0, 1)).numpy()
        array([[0.25, 0.25],
               [0.25, 0.25]], dtype=float32)
    """
    return _nn.softmax(_float(x), axis=_axis_arg(axis))


def log_softmax(x, axis=-1):
    """`x - logsumexp(x)` along `axis` (an int or a tuple of axes), computed stably.

    Example:
        >>> log_softmax([[0.0, 0.0]]).numpy().round(4)
        array([[-0.6931, -0.6931]], dtype=float32)
    """
    return _nn.log_softmax(_float(x), axis=_axis_arg(axis))


def sparsemax(x, axis=-1):
    """The projection of `x` onto the probability simplex along `axis`: sums to 1, small entries exactly 0.

    Example:
        >>> sparsemax([[2.0, 0.0, -1.0]]).numpy()
        array([[1., 0., 0.]], dtype=float32)
    """
    return _nn.sparsemax(_float(x), axis)


def _axis_arg(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# -- convolution and pooling (Keras's signatures over the engine's ops) --------------------------------
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-d convolution (cross-correlation); `kernel` is `(*kernel_size, in_channels // groups, filters)`.

    Example:
        >>> import numpy as np
        >>> conv(np.ones((1, 4, 4, 1), "float32"), np.ones((3, 3, 1, 2), "float32")).shape
        (1, 2, 2, 2)
    """
    return _conv_ops.conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution; `kernel` is `(*kernel_size, in_channels, depth_multiplier)`.

    Example:
        >>> import numpy as np
        >>> depthwise_conv(np.ones((1, 4, 4, 3), "float32"), np.ones((3, 3, 3, 2), "float32")).shape
        (1, 2, 2, 6)
    """
    return _conv_ops.depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution.

    Example:
        >>> import numpy as np
        >>> separable_conv(np.ones((1, 4, 4, 3), "float32"), np.ones((3, 3, 3, 2), "float32"),
        ...                np.ones((1, 1, 6, 5), "float32")).shape
        (1, 2, 2, 5)
    """
    return _conv_ops.separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides, padding, data_format,
                                    dilation_rate)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    """Transposed convolution; `kernel` is `(*kernel_size, filters, in_channels)`.

    Example:
        >>> import numpy as np
        >>> conv_transpose(np.ones((1, 2, 2, 3), "float32"), np.ones((3, 3, 4, 3), "float32"), strides=2).shape
        (1, 5, 5, 4)
    """
    return _conv_ops.conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The maximum of each window; `strides` defaults to `pool_size`.

    Example:
        >>> import numpy as np
        >>> max_pool(np.arange(16, dtype="float32").reshape(1, 4, 4, 1), 2).numpy()[0, :, :, 0]
        array([[ 5.,  7.],
               [13., 15.]], dtype=float32)
    """
    return _pool_ops.max_pool(inputs, pool_size, strides, padding, _data_format(data_format))


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean of each window's real (unpadded) cells; `strides` defaults to `pool_size`.

    Example:
        >>> import numpy as np
        >>> average_pool(np.arange(16, dtype="float32").reshape(1, 4, 4, 1), 2).numpy()[0, :, :, 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]], dtype=float32)
    """
    return _pool_ops.average_pool(inputs, pool_size, strides, padding, _data_format(data_format))


def _data_format(data_format):
    if data_format is None:
        return "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}.")
    return data_format


def _adaptive_pool(inputs, output_size, data_format, reduce, name):
    x = _tensor(inputs)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"{name}: the input must have 1, 2 or 3 spatial axes (rank 3, 4 or 5). "
                         f"Received: inputs.shape={x.shape}.")
    if x.data.dtype.kind not in "fc":
        x = _m.cast(x, _floatx())
    axes = _pool_ops.spatial_axes(x.ndim, _data_format(data_format))
    sizes = (output_size,) * len(axes) if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != len(axes) or min(sizes) < 1:
        raise ValueError(f"{name}: `output_size` must be a positive int or {len(axes)} of them. "
                         f"Received: output_size={output_size!r}.")
    for axis, out in zip(axes, sizes):
        n = x.shape[axis]
        pieces = []
        for i in range(out):  # window i covers [floor(i n / out), ceil((i + 1) n / out))
            lo, hi = (i * n) // out, -(-((i + 1) * n) // out)
            index = (slice(None),) * axis + (slice(lo, hi),)
            pieces.append(reduce(_s.getitem(x, index), axis=axis, keepdims=True))
        x = _s.concatenate(pieces, axis=axis)
    return x


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed `output_size`: output cell i of an axis of length n averages the input
    cells `floor(i n / out) .. ceil((i + 1) n / out) - 1` (as PyTorch's adaptive pooling).

    Example:
        >>> import numpy as np
        >>> adaptive_average_pool(np.arange(5, dtype="float32").reshape(1, 5, 1), 2).numpy().ravel()
        array([1., 3.], dtype=float32)
    """
    return _adaptive_pool(inputs, output_size, data_format, _r.mean, "adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed `output_size`, with `adaptive_average_pool`'s windows.

    Example:
        >>> import numpy as np
        >>> adaptive_max_pool(np.arange(5, dtype="float32").reshape(1, 5, 1), 2).numpy().ravel()
        array([2., 4.], dtype=float32)
    """
    return _adaptive_pool(inputs, output_size, data_format, _r.max, "adaptive_max_pool")


# -- encodings ---------------------------------------------------------------------------------------
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer indices `x` into `num_classes` columns (not differentiable).

    Indices outside `[0, num_classes)` give a row of zeros.

    Example:
        >>> one_hot([0, 2], 3).numpy()
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    _no_sparse(sparse, "one_hot")
    idx = _convert_to_numpy(x).astype("int64")
    out = (idx[..., None] == _np.arange(num_classes)).astype(dtype or _floatx())
    if axis != -1:
        out = _np.moveaxis(out, -1, axis)
    return _Tensor(_xp.asarray(out))


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer labels: 1 in each class column that appears (not differentiable).

    A rank-1 input is one set of labels; for a higher rank, each entry of the first axis is a set.

    Args:
        inputs: integer labels.
        num_classes: the number of classes (`num_tokens` is accepted as its old name).
        axis: where the class axis goes. Defaults to -1.
        dtype: the output dtype. Defaults to floatx.
        sparse: must be False (numkeras has no sparse tensors).

    Example:
        >>> multi_hot([[0, 2], [1, 1]], 3).numpy()
        array([[1., 0., 1.],
               [0., 1., 0.]], dtype=float32)
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if kwargs:
        raise TypeError(f"multi_hot got unexpected keyword arguments {sorted(kwargs)}.")
    if num_classes is None:
        raise ValueError("multi_hot: `num_classes` must be given (the number of classes). Received: num_classes=None.")
    labels = _convert_to_numpy(inputs)
    encoded = one_hot(labels, num_classes, axis=axis, dtype=dtype, sparse=sparse).data
    return _Tensor(encoded.max(axis=1 if labels.ndim > 1 else 0))


def _no_sparse(sparse, name):
    if sparse:
        raise ValueError(f"{name}: numkeras has no sparse tensors. Received: sparse=True. Pass sparse=False.")


# -- losses ------------------------------------------------------------------------------------------
def _same_shape(target, output, name):
    if target.shape != output.shape:
        raise ValueError(f"{name}: `target` and `output` must have the same shape. Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}.")


def _clip(p):
    eps = _epsilon()
    return _m.clip(p, eps, 1.0 - eps)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise `-(t log(p) + (1 - t) log(1 - p))`; probabilities are clipped to [eps, 1 - eps].

    With `from_logits=True`, `output` holds logits and the loss is computed stably from them.

    Example:
        >>> binary_crossentropy([1.0, 0.0], [0.5, 0.5]).numpy().round(4)
        array([0.6931, 0.6931], dtype=float32)
    """
    output = _float(output)
    target = _m.cast(_tensor(target), output.dtype)
    _same_shape(target, output, "binary_crossentropy")
    if from_logits:
        return _ce.sigmoid_cross_entropy_with_logits(target, output)
    output = _clip(output)  # then log(1 - output): in float32 1 - (1 - eps) rounds to 1.19e-7, as in Keras
    return -(target * _m.log(output) + (1.0 - target) * _m.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-sum(t log(p), axis)`, where `p` is `output` rescaled to sum to 1 and clipped, or the softmax of
    the logits `output` (`from_logits=True`).

    Example:
        >>> categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).numpy().round(4)
        array([0.6931], dtype=float32)
    """
    output = _float(output)
    target = _m.cast(_tensor(target), output.dtype)
    _same_shape(target, output, "categorical_crossentropy")
    if output.ndim < 1:
        raise ValueError("categorical_crossentropy: `target` and `output` must be at least rank 1. "
                         f"Received: output.shape={output.shape}.")
    if from_logits:
        return _ce.softmax_cross_entropy_with_logits(target, output, axis=axis)
    probs = output / _r.sum(output, axis=axis, keepdims=True)
    return -_r.sum(target * _m.log(_clip(probs)), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-log(p[target])` along `axis` for integer `target` (a trailing axis of size 1 is dropped).

    Example:
        >>> sparse_categorical_crossentropy([1], [[0.5, 0.5]]).numpy().round(4)
        array([0.6931], dtype=float32)
    """
    output = _float(output)
    labels = _convert_to_numpy(target).astype("int64")
    if labels.ndim == output.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if output.ndim < 1 or labels.shape != output.shape[:axis % output.ndim] + output.shape[axis % output.ndim + 1:]:
        raise ValueError("sparse_categorical_crossentropy: `target` must have the shape of `output` without its "
                         f"class axis {axis}. Received: target.shape={labels.shape}, output.shape={output.shape}.")
    if from_logits:
        return _ce.sparse_softmax_cross_entropy_with_logits(labels, output, axis=axis)
    log_probs = _m.log(_clip(output / _r.sum(output, axis=axis, keepdims=True)))
    return -_ce.take_along_axis(log_probs, labels, axis=axis)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio in dB: `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    Example:
        >>> round(float(psnr([0.0, 1.0], [0.0, 0.9], 1.0)), 3)
        23.01
    """
    x1, x2 = _float(x1), _float(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr: `x1` and `x2` must have the same shape. Received: x1.shape={x1.shape}, "
                         f"x2.shape={x2.shape}.")
    mse = _r.mean(_m.square(x1 - x2))
    peak = _m.log(_m.cast(_tensor(max_val), x2.dtype))
    return (20.0 * peak - 10.0 * _m.log(mse)) / _math.log(10.0)


# -- statistics and normalization --------------------------------------------------------------------
def _axes_tuple(axes, ndim):
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    return tuple(sorted(a % ndim for a in axes)) if ndim else ()


def moments(x, axes, keepdims=False, synchronized=False):
    """The mean and the (biased) variance of `x` over `axes`.

    float16 is computed in float32 and returned as float16; integers give floatx. `synchronized`
    asks for statistics across devices (Keras's TensorFlow backend); numkeras runs on one device, where
    the local statistics are the global ones, so it changes nothing.

    Example:
        >>> mean, variance = moments([0.0, 1.0, 2.0, 3.0, 100.0], axes=[0])
        >>> round(float(mean), 4), round(float(variance), 2)
        (21.2, 1553.36)
    """
    x = _float(x)
    dtype = x.dtype
    if dtype == "float16":
        x = _m.cast(x, "float32")
    axes = _axes_tuple(axes, x.ndim)
    mean = _r.mean(x, axis=axes, keepdims=True)
    variance = _r.mean(_m.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = _s.squeeze(mean, axes), _s.squeeze(variance, axes)
    if dtype == "float16":
        limit = float(_np.finfo("float16").max)
        mean, variance = (_m.cast(_m.clip(t, -limit, limit), "float16") for t in (mean, variance))
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, the vectors running along `axis`.

    Differentiable in every argument.

    Example:
        >>> batch_normalization([[1.0, 2.0], [3.0, 4.0]], mean=[2.0, 3.0], variance=[1.0, 1.0], axis=-1,
        ...                     epsilon=0.0).numpy()
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
    """
    x = _float(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def vector(v, name):
        v = _m.cast(_tensor(v), x.dtype)
        if v.shape != (x.shape[axis],):
            raise ValueError(f"batch_normalization: `{name}` must be a vector of length x.shape[axis] = "
                             f"{x.shape[axis]}. Received: {name}.shape={v.shape}.")
        return _s.reshape(v, shape)
    inv = 1.0 / _m.sqrt(vector(variance, "variance") + epsilon)
    if scale is not None:
        inv = inv * vector(scale, "scale")
    shift = -vector(mean, "mean") * inv
    if offset is not None:
        shift = shift + vector(offset, "offset")
    return x * inv + shift


def _compute_float(x):
    """`x` as a float Tensor of at least float32, and the dtype the result is cast back to."""
    x = _tensor(x)
    out_dtype = x.dtype if x.data.dtype.kind == "f" else _floatx()
    compute = "float64" if x.dtype == "float64" else "float32"
    return _m.cast(x, compute), out_dtype


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalizes `x` to zero mean and unit variance over `axis` (an int or axes), then scales by `gamma`
    and shifts by `beta`.

    Args:
        x: input tensor.
        gamma: optional scale, shaped like the normalized axes (or broadcastable to `x`).
        beta: optional offset, shaped like `gamma`.
        axis: the axis or axes to normalize over. Defaults to -1.
        epsilon: added to the variance. Defaults to `backend.epsilon()`.
        **kwargs: `rms_scaling=True`, deprecated in Keras, divides by `sqrt(variance + epsilon)` and
            applies only `gamma`.

    Example:
        >>> layer_normalization([0.0, 1.0, 2.0, 3.0, 4.0]).numpy().round(4)
        array([-1.4142, -0.7071,  0.    ,  0.7071,  1.4142], dtype=float32)
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization got unexpected keyword arguments {sorted(kwargs)}.")
    epsilon = _epsilon() if epsilon is None else epsilon
    x, out_dtype = _compute_float(x)
    axes = _axes_tuple(axis, x.ndim)
    shape = [x.shape[d] if d in axes else 1 for d in range(x.ndim)]

    def param(v):
        if v is None:
            return None
        v = _m.cast(_tensor(v), x.dtype)
        return v if v.ndim == x.ndim or axes == (x.ndim - 1,) else _s.reshape(v, shape)
    gamma, beta = param(gamma), param(beta)
    if rms_scaling:
        _, variance = moments(x, axes, keepdims=True)
        out = x / _m.sqrt(variance + epsilon)
        out = out if gamma is None else out * gamma
    else:
        out = _norm.normalize(x, axes, epsilon, scale=gamma, offset=beta)[0]
    return _m.cast(out, out_dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2, axis) + epsilon) * scale` (Zhang and Sennrich's RMSNorm).

    Example:
        >>> rms_normalization([3.0, 4.0], epsilon=0.0).numpy().round(4)
        array([0.8485, 1.1314], dtype=float32)
    """
    epsilon = _epsilon() if epsilon is None else epsilon
    x, out_dtype = _compute_float(x)
    if x.ndim == 0:
        x = _s.expand_dims(x, 0)
    axes = _axes_tuple(axis, x.ndim)
    out = x / _m.sqrt(_r.mean(_m.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        out = out * _m.cast(_tensor(scale), x.dtype)
    return _m.cast(out, out_dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    """`x / max(norm(x, order, axis), epsilon)`: unit vectors along `axis` (an int or axes).

    Example:
        >>> normalize([[3.0, 4.0]]).numpy()
        array([[0.6, 0.8]], dtype=float32)
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: `order` must be an int >= 1. Received: order={order!r}.")
    epsilon = _epsilon() if epsilon is None else epsilon
    x = _float(x)
    if x.ndim == 0:
        x = _s.expand_dims(x, 0)
    axes = _axes_tuple(axis, x.ndim)
    if order == 2:
        norm = _m.sqrt(_r.sum(_m.square(x), axis=axes, keepdims=True))
    elif order == 1:
        norm = _r.sum(_m.abs(x), axis=axes, keepdims=True)
    else:
        norm = _r.sum(_m.abs(x) ** float(order), axis=axes, keepdims=True) ** (1.0 / order)
    return x / _m.maximum(norm, epsilon)


# -- attention ---------------------------------------------------------------------------------------
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention: `softmax(q k^T * scale + bias) v` over each head.

    Shapes: `query` is `(B, T, N, H)`; `key` and `value` are `(B, S, K, H)` with `N` a multiple of `K`
    (grouped-query attention; `K == 1` is multi-query attention).

    Args:
        query, key, value: the 4-D inputs.
        bias: optional additive logits, broadcastable to `(B, N, T, S)`.
        mask: optional boolean mask broadcastable to `(B, N, T, S)`: True where a key may be attended to.
            Masked logits become a large negative number (a fully masked row attends uniformly).
        scale: the logits' scale. Defaults to `1 / sqrt(H)`.
        is_causal: if True, query `t` attends only to keys `s <= t`.
        flash_attention: accepted for Keras compatibility; True raises (no fused kernel on NumPy).
        attn_logits_soft_cap: must be None (Keras supports it only on TPU).

    Returns:
        A `(B, T, N, H)` tensor.

    Example:
        >>> import numpy as np
        >>> q = np.zeros((1, 2, 1, 4), "float32")
        >>> v = np.arange(8, dtype="float32").reshape(1, 2, 1, 4)
        >>> dot_product_attention(q, q, v).numpy()[0, :, 0]
        array([[2., 3., 4., 5.],
               [2., 3., 4., 5.]], dtype=float32)
    """
    if flash_attention:
        raise ValueError("dot_product_attention: numkeras has no flash attention kernel. Received: "
                         "flash_attention=True. Pass flash_attention=None or False.")
    if attn_logits_soft_cap is not None:
        raise ValueError("dot_product_attention: `attn_logits_soft_cap` is supported only by Keras's JAX "
                         f"backend on TPU. Received: attn_logits_soft_cap={attn_logits_soft_cap}. Pass None.")
    query, key, value = _float(query), _float(key), _float(value)
    if not query.ndim == key.ndim == value.ndim == 4:
        raise ValueError("dot_product_attention: query, key and value must be 4-D, (batch, length, heads, "
                         f"head_dim). Received: query.shape={query.shape}, key.shape={key.shape}, "
                         f"value.shape={value.shape}.")
    dtype = _np.result_type(query.data, key.data, value.data)
    query, key, value = (_m.cast(t, dtype) for t in (query, key, value))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads % kv_heads:
        raise ValueError(f"dot_product_attention: the query's {heads} heads must be a multiple of the key's "
                         f"{kv_heads}. Received: query.shape={query.shape}, key.shape={key.shape}.")
    if kv_heads != heads:  # grouped-query attention: each key/value head serves heads // kv_heads queries
        from numkeras.engine.pad_ops import repeat
        key, value = repeat(key, heads // kv_heads, axis=2), repeat(value, heads // kv_heads, axis=2)
    scale = 1.0 / _math.sqrt(key.shape[-1]) if scale is None else float(scale)
    logits = _einsum("btnh,bsnh->bnts", query, key) * scale
    if bias is not None:
        logits = logits + _m.cast(_tensor(bias), dtype)
    keep = None
    if mask is not None:
        keep = _np.broadcast_to(_convert_to_numpy(mask).astype(bool), logits.shape)
    if is_causal:
        causal = _np.tril(_np.ones(logits.shape[-2:], dtype=bool))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        large_negative = -0.7 * (65500.0 if dtype == _np.float16 else float(_np.finfo("float32").max))
        logits = _m.where(keep, logits, _Tensor(_xp.asarray(large_negative, dtype=logits.dtype)))
    probs = _nn.softmax(logits, axis=-1)
    return _einsum("bnts,bsnh->btnh", probs, value)


# -- rearrangements and patches ----------------------------------------------------------------------
def _block_input(x, block_size, data_format, name):
    x = _tensor(x)
    if x.ndim != 4:
        raise ValueError(f"{name} needs a 4-D input. Received: x.shape={x.shape}.")
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"{name}: `block_size` must be an int >= 2. Received: block_size={block_size!r}.")
    return x, _data_format(data_format)


def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channels into `block_size x block_size` spatial blocks (pixel shuffle).

    `(N, H, W, C * b * b)` becomes `(N, H * b, W * b, C)` (channels last), `(N, C * b * b, H, W)` becomes
    `(N, C, H * b, W * b)` (channels first); `space_to_depth` undoes it.

    Example:
        >>> import numpy as np
        >>> depth_to_space(np.arange(4, dtype="float32").reshape(1, 1, 1, 4), 2).numpy()[0, :, :, 0]
        array([[0., 1.],
               [2., 3.]], dtype=float32)
    """
    x, data_format = _block_input(x, block_size, data_format, "depth_to_space")
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        _check_divisible(c, b * b, "depth_to_space", "the number of channels", x.shape)
        x = _s.transpose(_s.reshape(x, (n, h, w, b, b, c // (b * b))), (0, 1, 3, 2, 4, 5))
        return _s.reshape(x, (n, h * b, w * b, c // (b * b)))
    n, c, h, w = x.shape
    _check_divisible(c, b * b, "depth_to_space", "the number of channels", x.shape)
    x = _s.transpose(_s.reshape(x, (n, c // (b * b), b, b, h, w)), (0, 1, 4, 2, 5, 3))
    return _s.reshape(x, (n, c // (b * b), h * b, w * b))


def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves each `block_size x block_size` spatial block into the channels; the inverse of `depth_to_space`.

    Example:
        >>> import numpy as np
        >>> space_to_depth(np.arange(4, dtype="float32").reshape(1, 2, 2, 1), 2).numpy()
        array([[[[0., 1., 2., 3.]]]], dtype=float32)
    """
    x, data_format = _block_input(x, block_size, data_format, "space_to_depth")
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        _check_divisible(h, b, "space_to_depth", "the height", x.shape)
        _check_divisible(w, b, "space_to_depth", "the width", x.shape)
        x = _s.transpose(_s.reshape(x, (n, h // b, b, w // b, b, c)), (0, 1, 3, 2, 4, 5))
        return _s.reshape(x, (n, h // b, w // b, c * b * b))
    n, c, h, w = x.shape
    _check_divisible(h, b, "space_to_depth", "the height", x.shape)
    _check_divisible(w, b, "space_to_depth", "the width", x.shape)
    x = _s.transpose(_s.reshape(x, (n, c, h // b, b, w // b, b)), (0, 1, 3, 5, 2, 4))
    return _s.reshape(x, (n, c * b * b, h // b, w // b))


def _check_divisible(size, by, name, what, shape):
    if size % by:
        raise ValueError(f"{name}: {what} ({size}) must be divisible by {by}. Received: x.shape={shape}.")


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding windows of a channels-first image as columns (im2col): `(N, C, H, W)` -> `(N, C*kh*kw, L)`.

    Example:
        >>> import numpy as np
        >>> unfold(np.ones((1, 2, 4, 4), "float32"), kernel_size=2, stride=2).shape
        (1, 8, 4)
    """
    return _fold_ops.unfold(x, kernel_size, dilation, padding, stride)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Adds columns of windows back into a channels-first image (col2im); overlaps sum. Reverses `unfold`
    where windows do not overlap.

    Example:
        >>> import numpy as np
        >>> fold(np.ones((1, 8, 4), "float32"), output_size=4, kernel_size=2, stride=2).shape
        (1, 2, 4, 4)
    """
    return _fold_ops.fold(x, output_size, kernel_size, dilation, padding, stride)


def polar(abs_, angle):
    """The complex numbers `abs_ * (cos(angle) + 1j * sin(angle))` (not differentiable: the engine's
    gradients are real).

    Example:
        >>> polar([2.0], [0.0]).numpy()
        array([2.+0.j], dtype=complex64)
    """
    r, theta = _float(abs_).data, _float(angle).data
    dtype = _np.result_type(r, theta)
    out = (r * _np.cos(theta)).astype(dtype) + 1j * (r * _np.sin(theta)).astype(dtype)
    return _Tensor(_xp.asarray(out.astype(_np.result_type(dtype, _np.complex64))))


__all__ = [name for name in dir() if not name.startswith("_")]
