"""Activation functions: differentiable elementwise maps built from numkeras ops.

Each takes a Tensor (or anything `ops.convert_to_tensor` accepts) and returns
a Tensor; under a `GradientTape` the gradient comes from the engine. The
composites are written so that no branch overflows (numpy warnings are
errors in the tests). `softplus`, exact `gelu` and `sparsemax` are
primitives with their own gradients, in `numkeras.engine.nn_ops`: written
as composites, their gradients would be wrong at 0 or would need ops the
engine does not have.

Example:
    >>> from numkeras import activations
    >>> activations.relu([-10.0, -5.0, 0.0, 5.0, 10.0], negative_slope=0.5).numpy()
    array([-5. , -2.5,  0. ,  5. , 10. ], dtype=float32)
"""
import math

from numkeras.backend import xp
from numkeras.engine import math_ops, nn_ops, shape_ops
from numkeras.engine.tensor import Tensor


def _tensor(x):
    if isinstance(x, Tensor):
        return x
    from numkeras.ops import convert_to_tensor
    return convert_to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: `max(x, 0)` by default.

    With other arguments: `x` for `threshold < x < max_value`, `max_value`
    above it, and `negative_slope * (x - threshold)` at or below `threshold`.

    Args:
        x: input tensor.
        negative_slope: slope below the threshold. Defaults to 0.0.
        max_value: saturation value. Defaults to None (no saturation).
        threshold: values at or below it are cut. Defaults to 0.0.

    Example:
        >>> relu([-10.0, -5.0, 0.0, 5.0, 10.0], max_value=5.0).numpy()
        array([0., 0., 0., 5., 5.], dtype=float32)
    """
    x = _tensor(x)
    if negative_slope == 0 and max_value is None and threshold == 0:
        return nn_ops.relu(x)  # the hot path: one primitive
    if negative_slope != 0:
        if max_value is None and threshold == 0:
            return leaky_relu(x, negative_slope=negative_slope)
        negative_part = nn_ops.relu(threshold - x if threshold != 0 else math_ops.negative(x))
    out = math_ops.where(x.data > threshold, x, 0.0) if threshold != 0 else nn_ops.relu(x)
    if max_value is not None:
        out = math_ops.clip(out, 0.0, max_value)
    if negative_slope != 0:
        out = out - negative_slope * negative_part
    return out


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for `x >= 0`, else `negative_slope * x`.

    Example:
        >>> leaky_relu([-1.0, 2.0]).numpy()
        array([-0.2,  2. ], dtype=float32)
    """
    x = _tensor(x)
    if 0 <= negative_slope <= 1:
        return math_ops.maximum(x, negative_slope * x)
    return math_ops.where(x.data >= 0, x, negative_slope * x)  # max() would pick the wrong branch


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Example:
        >>> relu6([-1.0, 3.0, 8.0]).numpy()
        array([0., 3., 6.], dtype=float32)
    """
    return math_ops.minimum(nn_ops.relu(_tensor(x)), 6.0)


def sigmoid(x):
    """Sigmoid: `1 / (1 + exp(-x))`.

    Example:
        >>> sigmoid([0.0]).numpy()
        array([0.5], dtype=float32)
    """
    return nn_ops.sigmoid(_tensor(x))


def softmax(x, axis=-1):
    """Softmax along `axis`: `exp(x) / sum(exp(x))`, computed stably.

    Example:
        >>> softmax([[1.0, 1.0]]).numpy()
        array([[0.5, 0.5]], dtype=float32)
    """
    return nn_ops.softmax(_tensor(x), axis=axis)


def log_softmax(x, axis=-1):
    """Log of the softmax along `axis`, computed stably.

    Example:
        >>> log_softmax([[0.0, 0.0]]).numpy().round(4)
        array([[-0.6931, -0.6931]], dtype=float32)
    """
    return nn_ops.log_softmax(_tensor(x), axis=axis)


def tanh(x):
    """Hyperbolic tangent.

    Example:
        >>> tanh([0.0]).numpy()
        array([0.], dtype=float32)
    """
    return math_ops.tanh(_tensor(x))


def linear(x):
    """The identity: returns `x` unchanged.

    Example:
        >>> linear(3.0)
        3.0
    """
    return x


def exponential(x):
    """`exp(x)`.

    Example:
        >>> exponential([0.0]).numpy()
        array([1.], dtype=float32)
    """
    return math_ops.exp(_tensor(x))


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x >= 0`, else `alpha * (exp(x) - 1)`.

    Example:
        >>> elu([1.0, 0.0]).numpy()
        array([1., 0.], dtype=float32)
    """
    x = _tensor(x)
    # exp of min(x, 0): the unused branch cannot overflow for large x
    negative = alpha * (math_ops.exp(math_ops.minimum(x, 0.0)) - 1.0)
    return math_ops.where(x.data >= 0, x, negative)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with alpha ~1.6733 and scale ~1.0507.

    Use with `lecun_normal` initialization (and AlphaDropout) for self-normalizing nets.

    Example:
        >>> selu([0.0]).numpy()
        array([0.], dtype=float32)
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`.

    Example:
        >>> celu([1.0, 0.0]).numpy()
        array([1., 0.], dtype=float32)
    """
    x = _tensor(x)
    return nn_ops.relu(x) + alpha * (math_ops.exp(math_ops.minimum(x, 0.0) / alpha) - 1.0)


def softplus(x):
    """Softplus: `log(exp(x) + 1)`, computed without overflow.

    Example:
        >>> softplus([0.0]).numpy().round(4)
        array([0.6931], dtype=float32)
    """
    return nn_ops.softplus(_tensor(x))


def softsign(x):
    """Softsign: `x / (abs(x) + 1)`.

    Example:
        >>> softsign([1.0]).numpy()
        array([0.5], dtype=float32)
    """
    x = _tensor(x)
    return x / (math_ops.abs(x) + 1.0)


def log_sigmoid(x):
    """Log of the sigmoid: `-softplus(-x)`.

    Example:
        >>> log_sigmoid([0.0]).numpy().round(4)
        array([-0.6931], dtype=float32)
    """
    return -softplus(-_tensor(x))


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    Example:
        >>> silu([0.0]).numpy()
        array([0.], dtype=float32)
    """
    x = _tensor(x)
    return x * nn_ops.sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -3, 1 above 3, `x / 6 + 0.5` between.

    Example:
        >>> hard_sigmoid([-4.0, 0.0, 4.0]).numpy()
        array([0. , 0.5, 1. ], dtype=float32)
    """
    return math_ops.clip(_tensor(x) / 6.0 + 0.5, 0.0, 1.0)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`.

    Example:
        >>> hard_silu([-4.0, 0.0, 4.0]).numpy()
        array([-0.,  0.,  4.], dtype=float32)
    """
    x = _tensor(x)
    return x * hard_sigmoid(x)


def hard_tanh(x):
    """Hard tanh: `x` clipped to [-1, 1].

    Example:
        >>> hard_tanh([-2.0, 0.5, 2.0]).numpy()
        array([-1. ,  0.5,  1. ], dtype=float32)
    """
    return math_ops.clip(_tensor(x), -1.0, 1.0)


def tanh_shrink(x):
    """`x - tanh(x)`.

    Example:
        >>> tanh_shrink([0.0]).numpy()
        array([0.], dtype=float32)
    """
    x = _tensor(x)
    return x - math_ops.tanh(x)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Example:
        >>> squareplus([0.0]).numpy()
        array([1.], dtype=float32)
    """
    x = _tensor(x)
    return (x + math_ops.sqrt(math_ops.square(x) + float(b))) / 2.0


def mish(x):
    """Mish: `x * tanh(softplus(x))`.

    Example:
        >>> mish([0.0]).numpy()
        array([0.], dtype=float32)
    """
    x = _tensor(x)
    return x * math_ops.tanh(softplus(x))


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for `X ~ N(0, 1)`.

    Args:
        x: input tensor.
        approximate: if True, use the tanh approximation
            `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`.
            Defaults to False (exact, through `erf`).

    Example:
        >>> gelu([0.0, 1.0]).numpy().round(4)
        array([0.    , 0.8413], dtype=float32)
    """
    x = _tensor(x)
    if approximate:
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1.0 + math_ops.tanh(inner))
    return nn_ops.gelu(x)


def glu(x, axis=-1):
    """Gated linear unit: splits `x` in two halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    Example:
        >>> glu([[1.0, 0.0]]).numpy()
        array([[0.5]], dtype=float32)
    """
    x = _tensor(x)
    size = x.shape[axis]
    if size % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even. Received: x.shape={x.shape} with axis={axis}.")
    lead = (slice(None),) * (axis % x.ndim)
    a = shape_ops.getitem(x, lead + (slice(0, size // 2),))
    b = shape_ops.getitem(x, lead + (slice(size // 2, None),))
    return a * nn_ops.sigmoid(b)


def hard_shrink(x, threshold=0.5):
    """Hard shrink: `x` where `|x| > threshold`, else 0.

    Example:
        >>> hard_shrink([-1.0, 0.2, 1.0]).numpy()
        array([-1.,  0.,  1.], dtype=float32)
    """
    x = _tensor(x)
    return math_ops.where(xp.abs(x.data) > threshold, x, 0.0)


def soft_shrink(x, threshold=0.5):
    """Soft shrink: moves `x` towards 0 by `threshold`, and zeroes `|x| <= threshold`.

    Example:
        >>> soft_shrink([-1.0, 0.2, 1.0]).numpy()
        array([-0.5,  0. ,  0.5], dtype=float32)
    """
    x = _tensor(x)
    inside = math_ops.where(x.data < -threshold, x + threshold, 0.0)
    return math_ops.where(x.data > threshold, x - threshold, inside)


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`.

    Example:
        >>> threshold([-1.0, 2.0], 0.0, -5.0).numpy()
        array([-5.,  2.], dtype=float32)
    """
    x = _tensor(x)
    return math_ops.where(x.data > threshold, x, default_value)


def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Example:
        >>> sparse_plus([-2.0, 0.0, 2.0]).numpy()
        array([0.  , 0.25, 2.  ], dtype=float32)
    """
    x = _tensor(x)
    middle = math_ops.where(x.data < 1, 0.25 * math_ops.square(x + 1.0), x)
    return math_ops.where(x.data <= -1, 0.0, middle)


def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`.

    Example:
        >>> sparse_sigmoid([-2.0, 0.0, 2.0]).numpy()
        array([0. , 0.5, 1. ], dtype=float32)
    """
    return math_ops.clip(0.5 * (_tensor(x) + 1.0), 0.0, 1.0)


def sparsemax(x, axis=-1):
    """Sparsemax along `axis`: the Euclidean projection of `x` onto the probability simplex.

    Like softmax its outputs sum to 1, but small entries become exactly 0:
    `max(x - tau, 0)` with `tau` chosen so that the sum is 1.

    Example:
        >>> sparsemax([[2.0, 0.0, -1.0]]).numpy()
        array([[1., 0., 0.]], dtype=float32)
    """
    return nn_ops.sparsemax(_tensor(x), axis)
