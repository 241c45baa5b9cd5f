"""NumPy-like ops (Keras's `keras.ops.numpy`): creation, elementwise math, reductions, sorting,
indexing, shapes, products and windows.

Every function takes Tensors, Variables, NumPy arrays, lists or Python scalars and returns a
Tensor (or a tuple/list of them). Result dtypes follow Keras's promotion rules
(`numkeras.backend.dtypes.result_type`): int32 with float32 gives float32, Python scalars are weak
(`add(int8_tensor, 1)` stays int8), float functions of ints give floatx, `sum` of bool or small ints
gives int32. Functions of float inputs are differentiable wherever Keras's are; each is composed
from the engine's primitives (which carry the gradients) or is a primitive itself. Integer-valued
results (argsort, searchsorted, unique, ...) and predicates are not differentiable.

Where numkeras differs from Keras on JAX: 64-bit inputs stay 64-bit (NumPy has them; gradient
checks run in float64); there are no complex dtypes (`real`, `conj`, `imag`, `angle` take real
inputs), no sparse tensors (`bincount(sparse=True)` is refused) and `empty` gives zeros.

Example:
    >>> from numkeras.ops import numpy as knp
    >>> knp.multiply(knp.arange(4), 2).numpy()
    array([0, 2, 4, 6], dtype=int32)
"""
import builtins as _builtins

import numpy as _np

from numkeras.backend import errstate as _errstate
from numkeras.backend import floatx as _floatx
from numkeras.backend import xp as _xp
from numkeras.backend.dtypes import result_type as _result_type
from numkeras.engine import broadcast_ops as _broadcast_ops
from numkeras.engine import cumulative_ops as _cumulative_ops
from numkeras.engine import elementwise_ops as _ew
from numkeras.engine import gather_ops as _gather_ops
from numkeras.engine import linalg_ops as _linalg_ops
from numkeras.engine import math_ops as _math_ops
from numkeras.engine import pad_ops as _pad_ops
from numkeras.engine import reduction_ops as _reduction_ops
from numkeras.engine import shape_ops as _shape_ops
from numkeras.engine import slogdet_ops as _slogdet_ops
from numkeras.engine import sort_ops as _sort_ops
from numkeras.engine.einsum_ops import einsum as _einsum
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_tensor


# ----------------------------------------------------------------------------------------------
# Conversions and dtype helpers
# ----------------------------------------------------------------------------------------------

def _t(x):
    return x if isinstance(x, _Tensor) else convert_to_tensor(x)


def _is_scalar(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _cast(x, dtype):
    x = _t(x)
    return x if x.dtype == dtype else _math_ops.cast(x, dtype)


def _is_float(x):
    return _np.dtype(x.dtype).kind in "fc"


def _floated(x):
    """`x` as a tensor, cast to floatx unless it already holds floats (Keras's float functions do so)."""
    x = _t(x)
    return x if _is_float(x) else _math_ops.cast(x, _floatx())


def _dtype_of(x):
    """What `result_type` reads from an input: a Python scalar stays weak, anything else its dtype."""
    if _is_scalar(x) or isinstance(x, bool):
        return x
    if hasattr(x, "dtype"):
        return x.dtype
    return convert_to_tensor(x).dtype


def _promote(*xs, dtype=None):
    """The inputs as tensors of one dtype: Keras's result type of them (or `dtype`). Scalars stay weak."""
    if dtype is None and isinstance(xs[0], _Tensor):  # the common case: tensors of one dtype already
        first = xs[0].dtype
        if _builtins.all(isinstance(x, _Tensor) and x.dtype == first for x in xs[1:]):
            return list(xs)
    dtype = dtype or _result_type(*(_dtype_of(x) for x in xs))
    if _builtins.all(_is_scalar(x) for x in xs):  # nothing to take a dtype from: make them tensors
        return [_cast(x, dtype) for x in xs]
    return [x if _is_scalar(x) and dtype != "bool" else _cast(x, dtype) for x in xs]


def _sum_dtype(dtype):
    """Keras's dtype of a sum or product: bool and narrow ints widen to (u)int32."""
    if dtype in ("bool", "int8", "int16"):
        return "int32"
    if dtype in ("uint8", "uint16"):
        return "uint32"
    return dtype


def _np_of(x):
    """`x` as a NumPy array; Python lists and scalars take numkeras's dtypes (int32, floatx) first."""
    if isinstance(x, _Tensor):
        return x.data
    return x if isinstance(x, _np.ndarray) else _t(x).data


def _axis_tuple(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(int(a) % ndim for a in axes) if ndim else ()


def _int32(array):
    return _Tensor(_xp.asarray(array).astype("int32"))


# ----------------------------------------------------------------------------------------------
# Creation
# ----------------------------------------------------------------------------------------------

def _shape_arg(shape):
    if isinstance(shape, _Tensor):
        shape = shape.numpy().tolist()
    return (int(shape),) if _np.ndim(shape) == 0 else tuple(int(n) for n in shape)


def zeros(shape, dtype=None):
    """A tensor of zeros (floatx unless `dtype` is given).

    Example:
        >>> zeros((2,)).numpy()
        array([0., 0.], dtype=float32)
    """
    return _Tensor(_xp.zeros(_shape_arg(shape), dtype=dtype or _floatx()))


def ones(shape, dtype=None):
    """A tensor of ones (floatx unless `dtype` is given)."""
    return _Tensor(_xp.ones(_shape_arg(shape), dtype=dtype or _floatx()))


def empty(shape, dtype=None):
    """A tensor of the shape (filled with zeros here: uninitialized memory helps no one)."""
    return zeros(shape, dtype)


def full(shape, fill_value, dtype=None):
    """A tensor filled with `fill_value`, of `dtype` (floatx when None, as in Keras)."""
    value = _np_of(fill_value)
    dtype = dtype or _floatx()
    return _Tensor(_xp.array(_xp.broadcast_to(value.astype(dtype), _shape_arg(shape))))


def zeros_like(x, dtype=None):
    """Zeros shaped like `x`, of `x`'s dtype unless `dtype` is given."""
    x = _t(x)
    return _Tensor(_xp.zeros(x.shape, dtype=dtype or x.dtype))


def ones_like(x, dtype=None):
    """Ones shaped like `x`, of `x`'s dtype unless `dtype` is given."""
    x = _t(x)
    return _Tensor(_xp.ones(x.shape, dtype=dtype or x.dtype))


def empty_like(x, dtype=None):
    """A tensor shaped like `x` (zeros here)."""
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None):
    """`fill_value` everywhere, shaped like `x`, of `x`'s dtype unless `dtype` is given."""
    x = _t(x)
    return _Tensor(_xp.array(_xp.broadcast_to(_np_of(fill_value).astype(dtype or x.dtype), x.shape)))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - Keras's names
    """An N x M matrix with ones on the k-th diagonal (floatx unless `dtype` is given).

    Example:
        >>> eye(2, 3, k=1).numpy()
        array([[0., 1., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    return _Tensor(_xp.eye(int(N), None if M is None else int(M), k=int(k), dtype=dtype or _floatx()))


def identity(n, dtype=None):
    """The n x n identity matrix (floatx unless `dtype` is given)."""
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):  # noqa: N803
    """Ones at and below the k-th diagonal of an N x M matrix, zeros above (floatx unless `dtype` is given)."""
    return _Tensor(_xp.tri(int(N), None if M is None else int(M), k=int(k), dtype=dtype or _floatx()))


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)` (not differentiable): int32 for ints, floatx for floats.

    Example:
        >>> arange(4).numpy()
        array([0, 1, 2, 3], dtype=int32)
    """
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        # (the builtin any: this module's `any` is ops.any)
        dtype = _floatx() if _builtins.any(isinstance(v, float) or (hasattr(v, "dtype") and _np.dtype(
            v.dtype).kind == "f") for v in (start, stop, step)) else "int32"
    return _Tensor(_xp.arange(_np_of(start), _np_of(stop), _np_of(step)).astype(dtype))


def _space_dtype(dtype, *values):
    return dtype or _result_type(*(_dtype_of(v) for v in values), float)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (included when `endpoint`); floatx by default.

    Example:
        >>> linspace(0, 1, 5).numpy()
        array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    dtype = _space_dtype(dtype, start, stop)
    out, step = _np.linspace(_np_of(start), _np_of(stop), int(num), endpoint=endpoint, retstep=True, axis=axis)
    out = _Tensor(out.astype(dtype))
    return (out, _Tensor(_np.asarray(step).astype(dtype))) if retstep else out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop, num)`; floatx by default."""
    dtype = _space_dtype(dtype, start, stop)
    return _Tensor(_np.logspace(_np_of(start), _np_of(stop), int(num), endpoint=endpoint, base=_np_of(base),
                                axis=axis).astype(dtype))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values from `start` to `stop` spaced evenly on a log scale; floatx by default."""
    dtype = _space_dtype(dtype, start, stop)
    return _Tensor(_np.geomspace(_np_of(start), _np_of(stop), int(num), endpoint=endpoint,
                                 axis=axis).astype(dtype))


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D inputs (`indexing` "xy": Cartesian, "ij": matrix), differentiable.

    Example:
        >>> [g.shape for g in meshgrid([1, 2, 3], [4, 5])]
        [(2, 3), (2, 3)]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij'. Received: indexing={indexing!r}.")
    xs = [ravel(v) for v in x]
    shape = [v.shape[0] for v in xs]
    if indexing == "xy" and len(xs) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, v in enumerate(xs):
        axis = (1 if i == 0 else 0 if i == 1 else i) if indexing == "xy" and len(xs) > 1 else i
        view = [1] * len(xs)
        view[axis] = -1
        grids.append(broadcast_to(reshape(v, view), shape))
    return grids


def array(x, dtype=None):
    """`x` as a tensor (of `dtype` when given)."""
    return convert_to_tensor(x, dtype=dtype)


def _window(fn, m, *args):
    return _Tensor(fn(int(m), *args).astype(_floatx()))


def bartlett(x):
    """The Bartlett (triangular) window of `x` points, floatx."""
    return _window(_np.bartlett, x)


def blackman(x):
    """The Blackman window of `x` points, floatx."""
    return _window(_np.blackman, x)


def hamming(x):
    """The Hamming window of `x` points, floatx."""
    return _window(_np.hamming, x)


def hanning(x):
    """The Hann window of `x` points, floatx."""
    return _window(_np.hanning, x)


def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`, floatx."""
    return _window(_np.kaiser, x, float(_np_of(beta)))


# ----------------------------------------------------------------------------------------------
# Elementwise arithmetic
# ----------------------------------------------------------------------------------------------

def _binary(engine_op, x1, x2, dtype=None):
    # fast path: two tensors of one dtype, or a tensor and a weak scalar (the engine keeps its dtype)
    if dtype is None and isinstance(x1, _Tensor) and (isinstance(x2, _Tensor) and x1.dtype == x2.dtype or _is_scalar(
            x2) and (_is_float(x1) or isinstance(x2, int) and x1.dtype != "bool")):
        return engine_op(x1, x2)
    return engine_op(*_promote(x1, x2, dtype=dtype))


def add(x1, x2):
    """`x1 + x2`, broadcast; the dtype follows Keras's promotion.

    Example:
        >>> add([1, 2], 0.5).numpy()
        array([1.5, 2.5], dtype=float32)
    """
    return _binary(_math_ops.add, x1, x2)


def subtract(x1, x2):
    """`x1 - x2`, broadcast."""
    return _binary(_math_ops.subtract, x1, x2)


def multiply(x1, x2):
    """`x1 * x2`, broadcast."""
    return _binary(_math_ops.multiply, x1, x2)


def _true_divide_dtype(x1, x2):
    return _result_type(_dtype_of(x1), _dtype_of(x2), float)


def divide(x1, x2):
    """`x1 / x2` (true division: ints give floatx)."""
    return _binary(_math_ops.divide, x1, x2, dtype=_true_divide_dtype(x1, x2))


def true_divide(x1, x2):
    """Same as `divide`."""
    return divide(x1, x2)


def divide_no_nan(x1, x2):
    """`x1 / x2`, and 0 where `x2` is 0 (the gradient is 0 there too).

    Example:
        >>> divide_no_nan([1.0, 2.0], [0.0, 4.0]).numpy()
        array([0. , 0.5], dtype=float32)
    """
    x1, x2 = _promote(x1, x2, dtype=_true_divide_dtype(x1, x2))
    x2 = _t(x2) if not _is_scalar(x2) else full((), x2, _t(x1).dtype)
    zero = _Tensor(_np.equal(x2.data, 0))
    safe = _math_ops.where(zero, 1, x2)
    return _math_ops.where(zero, 0, _math_ops.divide(x1, safe))


def power(x1, x2):
    """`x1 ** x2`, broadcast (bool operands count as int32)."""
    dtype = _result_type(_dtype_of(x1), _dtype_of(x2))
    return _binary(_math_ops.power, x1, x2, dtype="int32" if dtype == "bool" else dtype)


def _int_result(x1, x2):
    dtype = _result_type(_dtype_of(x1), _dtype_of(x2))
    return "int32" if dtype == "bool" else dtype


def floor_divide(x1, x2):
    """`x1 // x2` (rounded toward minus infinity); its gradient is zero."""
    return _binary(_ew.floor_divide, x1, x2, dtype=_int_result(x1, x2))


def mod(x1, x2):
    """The remainder of `x1 / x2` with the sign of `x2` (Python's `%`), differentiable."""
    return _binary(_ew.mod, x1, x2, dtype=_int_result(x1, x2))


def fmod(x1, x2):
    """The remainder of `x1 / x2` with the sign of `x1` (C's `fmod`), differentiable."""
    return _binary(_ew.fmod, x1, x2, dtype=_int_result(x1, x2))


def maximum(x1, x2):
    """The larger of `x1` and `x2`, elementwise (NaN wins)."""
    return _binary(_math_ops.maximum, x1, x2)


def minimum(x1, x2):
    """The smaller of `x1` and `x2`, elementwise (NaN wins)."""
    return _binary(_math_ops.minimum, x1, x2)


def fmax(x1, x2):
    """The larger of `x1` and `x2`, elementwise; a NaN loses to a number."""
    return _binary(_ew.fmax, x1, x2)


def fmin(x1, x2):
    """The smaller of `x1` and `x2`, elementwise; a NaN loses to a number."""
    return _binary(_ew.fmin, x1, x2)


def _float_binary(engine_op, x1, x2, strong_scalars=False):
    if strong_scalars:  # Keras makes tensors of Python scalars first for these (float16 with 2.0: float32)
        x1, x2 = (convert_to_tensor(v) if _is_scalar(v) else v for v in (x1, x2))
    return _binary(engine_op, x1, x2, dtype=_true_divide_dtype(x1, x2))


def arctan2(x1, x2):
    """The angle of the point (x2, x1), in radians in [-pi, pi], differentiable."""
    return _float_binary(_ew.arctan2, x1, x2, strong_scalars=True)


def hypot(x1, x2):
    """`sqrt(x1**2 + x2**2)` without overflow, differentiable."""
    return _float_binary(_ew.hypot, x1, x2)


def logaddexp(x1, x2):
    """`log(exp(x1) + exp(x2))` without overflow, differentiable."""
    return _float_binary(_ew.logaddexp, x1, x2, strong_scalars=True)


def logaddexp2(x1, x2):
    """`log2(2**x1 + 2**x2)` without overflow, differentiable."""
    return _float_binary(_ew.logaddexp2, x1, x2, strong_scalars=True)


def heaviside(x1, x2):
    """The step function: 0 where x1 < 0, `x2` where x1 == 0, 1 where x1 > 0 (zero gradient)."""
    return _float_binary(_ew.heaviside, x1, x2)


def nextafter(x1, x2):
    """The next float after `x1` towards `x2` (zero gradient)."""
    return _float_binary(_ew.nextafter, x1, x2)


def ldexp(x1, x2):
    """`x1 * 2**x2` for integer `x2`, differentiable in `x1`.

    Example:
        >>> ldexp([1.0, 3.0], [2, 1]).numpy()
        array([4., 6.], dtype=float32)
    """
    exponent = _np_of(x2)
    if exponent.dtype.kind not in "iub":
        raise TypeError(f"ldexp: x2 must hold integers. Received x2 of dtype {exponent.dtype}. Cast it with "
                        f"ops.cast(x2, 'int32').")
    dtype = _result_type(_dtype_of(x1), _dtype_of(x2), float)
    x1 = _cast(x1, dtype)
    return _math_ops.multiply(x1, _Tensor(_np.ldexp(_np.ones((), dtype), exponent).astype(dtype)))


def _int_only(name, *xs):
    for x in xs:
        if _np.dtype(_dtype_of(x) if not _is_scalar(x) else type(x)).kind not in "iub":
            raise TypeError(f"{name}: the inputs must be integers or booleans. Received an input of dtype "
                            f"{_dtype_of(x)}. Cast it with ops.cast(x, 'int32').")


def _int_binary(name, fn, x, y, bool_becomes_int=False):
    _int_only(name, x, y)
    dtype = _result_type(_dtype_of(x), _dtype_of(y))
    if bool_becomes_int and dtype == "bool":
        dtype = "int32"
    a, b = (_np.asarray(_np_of(v), dtype=dtype) for v in (x, y))
    return _Tensor(_np.asarray(fn(a, b)).astype(dtype))


def gcd(x1, x2):
    """The greatest common divisor of integers, elementwise."""
    return _int_binary("gcd", _np.gcd, x1, x2)


def lcm(x1, x2):
    """The least common multiple of integers, elementwise."""
    return _int_binary("lcm", _np.lcm, x1, x2)


def bitwise_and(x, y):
    """Bitwise AND of integers or booleans."""
    return _int_binary("bitwise_and", _np.bitwise_and, x, y)


def bitwise_or(x, y):
    """Bitwise OR of integers or booleans."""
    return _int_binary("bitwise_or", _np.bitwise_or, x, y)


def bitwise_xor(x, y):
    """Bitwise XOR of integers or booleans."""
    return _int_binary("bitwise_xor", _np.bitwise_xor, x, y)


def bitwise_left_shift(x, y):
    """`x << y` for integers (booleans count as int32)."""
    return _int_binary("bitwise_left_shift", _np.left_shift, x, y, bool_becomes_int=True)


def bitwise_right_shift(x, y):
    """`x >> y` for integers (booleans count as int32)."""
    return _int_binary("bitwise_right_shift", _np.right_shift, x, y, bool_becomes_int=True)


def left_shift(x, y):
    """Same as `bitwise_left_shift`."""
    return bitwise_left_shift(x, y)


def right_shift(x, y):
    """Same as `bitwise_right_shift`."""
    return bitwise_right_shift(x, y)


def bitwise_invert(x):
    """Bitwise NOT of integers (logical NOT of booleans)."""
    _int_only("bitwise_invert", x)
    return _Tensor(_np.invert(_np_of(x)))


def bitwise_not(x):
    """Same as `bitwise_invert`."""
    return bitwise_invert(x)


# ----------------------------------------------------------------------------------------------
# Elementwise functions of one input
# ----------------------------------------------------------------------------------------------

def _float_unary(engine_op, name):
    def op(x):
        return engine_op(_floated(x))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"Elementwise `{name}`, differentiable; integer and boolean inputs give floatx "
                  f"(Keras's rule).")
    return op


exp, log, log1p, sqrt, tanh = (_float_unary(fn, fn.__name__) for fn in (
    _math_ops.exp, _math_ops.log, _math_ops.log1p, _math_ops.sqrt, _math_ops.tanh))
(sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, arcsinh, arccosh, arctanh, exp2, expm1, log2, log10, cbrt,
 reciprocal, sinc, i0, deg2rad, rad2deg, fabs) = (_float_unary(getattr(_ew, n), n) for n in (
    "sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh exp2 expm1 log2 log10 cbrt "
    "reciprocal sinc i0 deg2rad rad2deg fabs").split())
floor, ceil = _float_unary(_ew.floor, "floor"), _float_unary(_ew.ceil, "ceil")
floor.__doc__ = "Rounds down, elementwise (ints give floatx); its gradient is zero."
ceil.__doc__ = "Rounds up, elementwise (ints give floatx); its gradient is zero."


def abs(x):  # noqa: A001 - Keras's name
    """`|x|`, elementwise, differentiable (dtype kept).

    Example:
        >>> abs([-1.5, 2.0]).numpy()
        array([1.5, 2. ], dtype=float32)
    """
    x = _t(x)
    return x if x.dtype == "bool" else _math_ops.abs(x)


def absolute(x):
    """Same as `abs`."""
    return abs(x)


def negative(x):
    """`-x`, elementwise."""
    x = _t(x)
    if x.dtype == "bool":
        raise TypeError("negative: boolean inputs have no negative. Use ops.logical_not(x) to flip them, or "
                        "cast to an integer first.")
    return _math_ops.negative(x)


def square(x):
    """`x * x`, elementwise (booleans count as int32)."""
    x = _t(x)
    return _math_ops.square(_cast(x, "int32") if x.dtype == "bool" else x)


def sign(x):
    """-1, 0 or 1 by the sign of `x` (dtype kept; zero gradient)."""
    x = _t(x)
    if x.dtype == "bool":
        raise TypeError("sign: boolean inputs have no sign. Cast them to an integer first.")
    return _math_ops.sign(x)


def trunc(x):
    """Rounds toward zero, elementwise (dtype kept; zero gradient)."""
    x = _t(x)
    return x if not _is_float(x) else _ew.trunc(x)


def round(x, decimals=0):  # noqa: A001 - Keras's name
    """Rounds half to even, to `decimals` places (dtype kept; zero gradient).

    Example:
        >>> round([0.5, 1.5, 2.26], decimals=0).numpy()
        array([0., 2., 2.], dtype=float32)
    """
    x = _t(x)
    if x.dtype == "bool":
        raise TypeError("round: boolean inputs cannot be rounded. Cast them to a number first.")
    if decimals == 0 and _is_float(x):
        return _ew.rint(x)
    if not _is_float(x) and decimals >= 0:
        return x
    return _Tensor(_np.round(x.data, decimals).astype(x.dtype))


def copy(x):
    """A copy of `x` (differentiable)."""
    return _ew.copy(_t(x))


def conj(x):
    """The complex conjugate; real inputs come back unchanged."""
    return _t(x)


def conjugate(x):
    """Same as `conj`."""
    return conj(x)


def real(x):
    """The real part; real inputs come back unchanged."""
    return _t(x)


def imag(x):
    """The imaginary part: zeros for real inputs."""
    return zeros_like(x)


def angle(x):
    """The complex argument: pi for negative real inputs, 0 otherwise (floatx for ints; zero gradient)."""
    x = _floated(x)
    return _Tensor(_np.angle(x.data).astype(x.dtype))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """NaN replaced by `nan`, infinities by `posinf`/`neginf` (default: the dtype's largest finite values).

    Example:
        >>> nan_to_num([float("nan"), 1.0, float("-inf")], neginf=-9.0).numpy()
        array([ 0.,  1., -9.], dtype=float32)
    """
    x = _t(x)
    if not _is_float(x):
        return x
    info = _np.finfo(x.dtype)
    out = where(isnan(x), _np.asarray(nan, x.dtype), x)
    out = where(isposinf(x), _np.asarray(info.max if posinf is None else posinf, x.dtype), out)
    return where(isneginf(x), _np.asarray(info.min if neginf is None else neginf, x.dtype), out)


def clip(x, x_min, x_max):
    """`x` limited to `[x_min, x_max]`; the gradient passes where `x` is inside (booleans count as int32)."""
    x = _t(x)
    if x.dtype == "bool":
        x = _cast(x, "int32")
    return _math_ops.clip(x, x_min, x_max)


def where(condition, x1=None, x2=None):
    """`x1` where `condition` holds, else `x2`; with `condition` alone, the indices where it holds.

    Example:
        >>> where([True, False], [1.0, 2.0], 0.0).numpy()
        array([1., 0.], dtype=float32)
    """
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("where: pass both x1 and x2, or neither (then the indices where condition holds are "
                         f"returned). Received: x1={'None' if x1 is None else '...'}, "
                         f"x2={'None' if x2 is None else '...'}.")
    if isinstance(x1, _Tensor) and (isinstance(x2, _Tensor) and x2.dtype == x1.dtype or _is_scalar(x2) and (
            _is_float(x1) or isinstance(x2, int) and x1.dtype != "bool")):
        return _math_ops.where(condition, x1, x2)  # the engine gives a weak scalar x1's dtype
    dtype = _result_type(_dtype_of(x1), _dtype_of(x2))
    a, b = (_cast(v, dtype) for v in (x1, x2))
    return _math_ops.where(condition, a, b)


def select(condlist, choicelist, default=0):
    """From `choicelist[i]` where `condlist[i]` is the first condition that holds, else `default`.

    Example:
        >>> select([[True, False], [True, True]], [[1, 2], [3, 4]], 0).numpy()
        array([1, 4], dtype=int32)
    """
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: condlist and choicelist must have the same length. Received "
                         f"{len(condlist)} conditions and {len(choicelist)} choices.")
    if not len(condlist):
        raise ValueError("select: condlist and choicelist must not be empty.")
    dtype = _result_type(*(_dtype_of(c) for c in choicelist))
    out = _cast(broadcast_to(full((), default, dtype),
                             _np.broadcast_shapes(*(_np.shape(_np_of(c)) for c in list(condlist) + list(choicelist)))),
                dtype)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = _math_ops.where(cond, _cast(choice, dtype), out)
    return out


# ----------------------------------------------------------------------------------------------
# Predicates and comparisons (not differentiable)
# ----------------------------------------------------------------------------------------------

def _predicate(fn, name, doc):
    def op(x):
        return _Tensor(_np.asarray(fn(_np_of(x))))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc + " (not differentiable)."
    return op


isnan = _predicate(_np.isnan, "isnan", "Whether each element is NaN")
isinf = _predicate(_np.isinf, "isinf", "Whether each element is plus or minus infinity")
isfinite = _predicate(_np.isfinite, "isfinite", "Whether each element is neither infinite nor NaN")
isposinf = _predicate(_np.isposinf, "isposinf", "Whether each element is plus infinity")
isneginf = _predicate(_np.isneginf, "isneginf", "Whether each element is minus infinity")
isreal = _predicate(_np.isreal, "isreal", "Whether each element has no imaginary part")
signbit = _predicate(_np.signbit, "signbit", "Whether each element's sign bit is set (-0.0 included)")


def _truth(x):
    return _np_of(x).astype(bool)


def logical_and(x1, x2):
    """Elementwise AND of truth values (not differentiable): masks combine with it."""
    return _Tensor(_np.logical_and(_truth(x1), _truth(x2)))


def logical_or(x1, x2):
    """Elementwise OR of truth values (not differentiable)."""
    return _Tensor(_np.logical_or(_truth(x1), _truth(x2)))


def logical_xor(x1, x2):
    """Elementwise XOR of truth values (not differentiable)."""
    return _Tensor(_np.logical_xor(_truth(x1), _truth(x2)))


def logical_not(x):
    """Elementwise NOT of truth values (not differentiable)."""
    return _Tensor(_np.logical_not(_truth(x)))


def _compare(fn):
    def compare(x1, x2):
        return _Tensor(_np.asarray(fn(_np_of(x1), _np_of(x2))))
    compare.__name__ = fn.__name__
    compare.__doc__ = f"Elementwise `{fn.__name__}` (not differentiable)."
    return compare


equal, not_equal = _compare(_np.equal), _compare(_np.not_equal)
greater, greater_equal = _compare(_np.greater), _compare(_np.greater_equal)
less, less_equal = _compare(_np.less), _compare(_np.less_equal)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `|x1 - x2| <= atol + rtol * |x2|`, elementwise (not differentiable)."""
    return _Tensor(_np.asarray(_np.isclose(_np_of(x1), _np_of(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `isclose` holds everywhere: a boolean scalar tensor."""
    return _Tensor(_np.asarray(_np.allclose(_np_of(x1), _np_of(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)))


def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of `x1` occurs in `x2` (or not, with `invert`)."""
    return _Tensor(_np.isin(_np_of(x1), _np_of(x2), assume_unique=assume_unique, invert=invert))


def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether any element along `axis` is true (not differentiable); `any(x != v, axis=-1)` makes masks."""
    return _Tensor(_np.any(_np_of(x), axis=_axis_arg(axis), keepdims=keepdims))


def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether every element along `axis` is true (not differentiable)."""
    return _Tensor(_np.all(_np_of(x), axis=_axis_arg(axis), keepdims=keepdims))


def _axis_arg(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# ----------------------------------------------------------------------------------------------
# Reductions
# ----------------------------------------------------------------------------------------------

def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """The sum over `axis` (all axes when None); bool and narrow ints sum as (u)int32.

    Example:
        >>> sum([[1, 2], [3, 4]], axis=0).numpy()
        array([4, 6], dtype=int32)
    """
    x = _t(x)
    dtype = _sum_dtype(x.dtype)
    return _cast(_reduction_ops.sum(_cast(x, dtype), axis=_axis_arg(axis), keepdims=keepdims), dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    """The product over `axis`, differentiable (zeros included); bool and narrow ints multiply as (u)int32."""
    x = _t(x)
    return _cumulative_ops.prod(_cast(x, dtype or _sum_dtype(x.dtype)), axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """The mean over `axis`; ints give floatx.

    Example:
        >>> mean([[1, 2], [3, 4]]).numpy()
        array(2.5, dtype=float32)
    """
    return _reduction_ops.mean(_floated(x), axis=_axis_arg(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001 - Keras's name
    """The largest value over `axis` (at least `initial` when given); ties share the gradient."""
    x = _t(x)
    if x.size == 0:
        if initial is None:
            raise ValueError(f"max: the input of shape {x.shape} is empty and no `initial` was given. Pass "
                             f"initial= for the value of an empty maximum.")
        return full(_np.max(_np.zeros(x.shape), axis=_axis_arg(axis), keepdims=keepdims, initial=0).shape,
                    initial, x.dtype)
    out = _reduction_ops.max(x, axis=_axis_arg(axis), keepdims=keepdims)
    return out if initial is None else maximum(out, _cast(full((), initial), x.dtype))


def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001 - Keras's name
    """The smallest value over `axis` (at most `initial` when given); ties share the gradient."""
    x = _t(x)
    if x.size == 0:
        if initial is None:
            raise ValueError(f"min: the input of shape {x.shape} is empty and no `initial` was given. Pass "
                             f"initial= for the value of an empty minimum.")
        return full(_np.min(_np.zeros(x.shape), axis=_axis_arg(axis), keepdims=keepdims, initial=0).shape,
                    initial, x.dtype)
    out = _reduction_ops.min(x, axis=_axis_arg(axis), keepdims=keepdims)
    return out if initial is None else minimum(out, _cast(full((), initial), x.dtype))


def amax(x, axis=None, keepdims=False):
    """Same as `max`."""
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    """Same as `min`."""
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    """The range `max - min` over `axis`, differentiable."""
    x = _t(x)
    if x.dtype == "bool":
        raise TypeError("ptp: boolean inputs have no range. Cast them to an integer first.")
    return subtract(max(x, axis, keepdims), min(x, axis, keepdims))


def argmax(x, axis=None, keepdims=False):
    """The index (int32) of the largest value along `axis` (of the flattened input when None)."""
    return _int32(_np.argmax(_np_of(x), axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    """The index (int32) of the smallest value along `axis`."""
    return _int32(_np.argmin(_np_of(x), axis=axis, keepdims=keepdims))


def var(x, axis=None, keepdims=False):
    """The (population) variance over `axis`, differentiable; ints give floatx.

    Example:
        >>> var([1.0, 2.0, 3.0, 4.0]).numpy()
        array(1.25, dtype=float32)
    """
    x = _floated(x)
    centered = subtract(x, _reduction_ops.mean(x, axis=_axis_arg(axis), keepdims=True))
    return _reduction_ops.mean(_math_ops.square(centered), axis=_axis_arg(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """The (population) standard deviation over `axis`, differentiable; ints give floatx."""
    return _math_ops.sqrt(var(x, axis=axis, keepdims=keepdims))


def average(x, axis=None, weights=None):
    """The mean over `axis` weighted by `weights` (1-D along `axis`, or shaped like `x`).

    Example:
        >>> average([1.0, 2.0, 4.0], weights=[1.0, 1.0, 2.0]).numpy()
        array(2.75, dtype=float32)
    """
    x = _t(x)
    if weights is None:
        return mean(x, axis=axis)
    dtype = _result_type(_dtype_of(x), _dtype_of(weights), float)
    x, w = _cast(x, dtype), _cast(weights, dtype)
    if w.shape != x.shape:
        if axis is None or w.ndim != 1:
            raise ValueError(f"average: weights of shape {w.shape} do not match x of shape {x.shape}. Pass "
                             f"weights shaped like x, or 1-D weights with an `axis`.")
        view = [1] * x.ndim
        view[int(axis) % x.ndim] = -1
        w = reshape(w, view)
    return divide(sum(multiply(x, w), axis=axis), sum(broadcast_to(w, x.shape), axis=axis))


def count_nonzero(x, axis=None):
    """How many elements along `axis` are not zero (int32)."""
    return _int32(_np.count_nonzero(_np_of(x), axis=_axis_arg(axis)))


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum along a diagonal (see `diagonal`); bool and narrow ints sum as (u)int32."""
    return sum(diagonal(x, offset, axis1, axis2), axis=-1)


def cumsum(x, axis=None, dtype=None):
    """The running sum along `axis` (of the flattened input when None), differentiable; bool counts as int32.

    Example:
        >>> cumsum([1, 2, 3]).numpy()
        array([1, 3, 6], dtype=int32)
    """
    x = _t(x)
    x = _cast(x, dtype or ("int32" if x.dtype == "bool" else x.dtype))
    if axis is None:
        return _cumulative_ops.cumsum(ravel(x), 0)
    return _cumulative_ops.cumsum(x, int(axis))


def cumprod(x, axis=None, dtype=None):
    """The running product along `axis` (of the flattened input when None), differentiable."""
    x = _t(x)
    x = _cast(x, dtype or ("int32" if x.dtype == "bool" else x.dtype))
    if axis is None:
        return _cumulative_ops.cumprod(ravel(x), 0)
    return _cumulative_ops.cumprod(x, int(axis))


def diff(a, n=1, axis=-1):
    """The n-th difference along `axis` (`a[1:] - a[:-1]`, n times), differentiable."""
    a = _t(a)
    axis = int(axis) % a.ndim
    for _ in range(int(n)):
        hi = tuple(slice(1, None) if d == axis else slice(None) for d in range(a.ndim))
        lo = tuple(slice(None, -1) if d == axis else slice(None) for d in range(a.ndim))
        a = _Tensor(_np.not_equal(a.data[hi], a.data[lo])) if a.dtype == "bool" else subtract(a[hi], a[lo])
    return a


# ---- NaN-ignoring reductions

def _without_nan(x, fill):
    x = _t(x)
    if not _is_float(x):
        return x, None
    nan = _Tensor(_np.isnan(x.data))
    return _math_ops.where(nan, _np.asarray(fill, x.dtype), x), nan


def nansum(x, axis=None, keepdims=False):
    """`sum` with NaN counted as zero."""
    return sum(_without_nan(x, 0)[0], axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    """`prod` with NaN counted as one."""
    return prod(_without_nan(x, 1)[0], axis=axis, keepdims=keepdims)


def nancumsum(x, axis=None, dtype=None):
    """`cumsum` with NaN counted as zero."""
    return cumsum(_without_nan(x, 0)[0], axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    """`cumprod` with NaN counted as one."""
    return cumprod(_without_nan(x, 1)[0], axis=axis, dtype=dtype)


def _nan_count(x, nan, axis, keepdims):
    valid = _np.logical_not(nan.data) if nan is not None else _np.ones(_t(x).shape, bool)
    return _np.sum(valid, axis=_axis_arg(axis), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """`mean` of the values that are not NaN (NaN where there are none)."""
    x = _floated(x)
    filled, nan = _without_nan(x, 0)
    count = _nan_count(x, nan, axis, keepdims)
    with _errstate(all="ignore"):
        return divide(_reduction_ops.sum(filled, axis=_axis_arg(axis), keepdims=keepdims),
                      _Tensor(_np.asarray(count, x.dtype)))


def nanvar(x, axis=None, keepdims=False):
    """`var` of the values that are not NaN."""
    x = _floated(x)
    filled, nan = _without_nan(x, 0)
    mu = nanmean(x, axis=axis, keepdims=True)
    dev = _math_ops.square(subtract(filled, mu))
    if nan is not None:
        dev = _math_ops.where(nan, _np.asarray(0, x.dtype), dev)
    count = _nan_count(x, nan, axis, keepdims)
    with _errstate(all="ignore"):
        return divide(_reduction_ops.sum(dev, axis=_axis_arg(axis), keepdims=keepdims),
                      _Tensor(_np.asarray(count, x.dtype)))


def nanstd(x, axis=None, keepdims=False):
    """`std` of the values that are not NaN."""
    return _math_ops.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extreme(reduce, fill, x, axis, keepdims):
    x = _t(x)
    filled, nan = _without_nan(x, fill)
    out = reduce(filled, axis=axis, keepdims=keepdims)
    if nan is None:
        return out
    all_nan = _np.all(nan.data, axis=_axis_arg(axis), keepdims=keepdims)
    return _math_ops.where(all_nan, _np.asarray(_np.nan, x.dtype), out) if all_nan.any() else out


def nanmax(x, axis=None, keepdims=False):
    """`max` of the values that are not NaN (NaN where there are none)."""
    return _nan_extreme(max, -_np.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """`min` of the values that are not NaN (NaN where there are none)."""
    return _nan_extreme(min, _np.inf, x, axis, keepdims)


def _nan_arg(fn, fill, x, axis, keepdims):
    data = _np_of(x)
    if data.dtype.kind not in "fc":
        return _int32(fn(data, axis=axis, keepdims=keepdims))
    nan = _np.isnan(data)
    out = fn(_np.where(nan, fill, data), axis=axis, keepdims=keepdims)
    all_nan = _np.all(nan, axis=axis, keepdims=keepdims)
    return _int32(_np.where(all_nan, -1, out))


def nanargmax(x, axis=None, keepdims=False):
    """`argmax` ignoring NaN (-1 where everything is NaN)."""
    return _nan_arg(_np.argmax, -_np.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """`argmin` ignoring NaN (-1 where everything is NaN)."""
    return _nan_arg(_np.argmin, _np.inf, x, axis, keepdims)


# ---- Quantiles

_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(x, q, axis, method, keepdims, skip_nan, name):
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"{name}: method must be one of {_QUANTILE_METHODS}. Received: method={method!r}.")
    x = _floated(x)
    qs = _np.asarray(_np_of(q), dtype="float64")
    if qs.ndim > 1:
        raise ValueError(f"{name}: q must be a scalar or 1-D. Received q of shape {qs.shape}.")
    if _np.any((qs < 0) | (qs > 1)):
        raise ValueError(f"{name}: the quantiles must lie in [0, 1] (percentiles in [0, 100]). Received: {qs}.")
    axes = _axis_tuple(_axis_arg(axis), x.ndim)
    kept = [d for d in range(x.ndim) if d not in axes]
    moved = transpose(x, kept + list(axes)) if x.ndim else reshape(x, (1,))
    kept_shape = tuple(x.shape[d] for d in kept)
    n = int(_np.prod([x.shape[d] for d in axes])) if x.ndim else 1
    if n == 0:  # nothing to take a quantile of
        shape = qs.shape + (tuple(1 if d in axes else m for d, m in enumerate(x.shape)) if keepdims else kept_shape)
        return full(shape, _np.nan, x.dtype)
    lanes = reshape(moved, kept_shape + (n,))
    nan = _np.isnan(lanes.data)
    count = (n - nan.sum(axis=-1)) if skip_nan else _np.full(kept_shape, n)
    ordered = _sort_ops.sort(lanes, axis=-1)  # NaN last
    pos = qs.reshape(qs.shape + (1,) * len(kept_shape)) * (_np.maximum(count, 1) - 1)  # (Q..., kept...)
    lo, hi = _np.floor(pos), _np.ceil(pos)
    if method == "lower":
        hi = lo
    elif method == "higher":
        lo = hi
    elif method == "nearest":
        lo = hi = _np.ceil(pos - 0.5)  # ties go to the lower value, as Keras (on JAX) does
    frac = _np.full(pos.shape, 0.5) if method == "midpoint" else pos - lo

    def pick(index):  # (Q..., kept...) positions -> values, via take_along_axis on the lanes
        index = _np.moveaxis(index.astype("int64"), tuple(range(qs.ndim)), tuple(range(-qs.ndim, 0))) \
            if qs.ndim else index.astype("int64")
        flat = index.reshape(kept_shape + (qs.size,))
        got = _sort_ops.take_along_axis(ordered, flat, axis=-1)
        got = reshape(got, kept_shape + qs.shape)
        return transpose(got, list(range(len(kept_shape), got.ndim)) + list(range(len(kept_shape)))) \
            if qs.ndim else got
    low, high = pick(lo), pick(hi)
    w = _Tensor(frac.astype(x.dtype))
    # low * (1 - w) + high * w, as NumPy and Keras weigh them: an infinity with a zero weight gives NaN
    with _errstate(invalid="ignore"):
        out = add(multiply(low, _Tensor((1 - frac).astype(x.dtype))), multiply(high, w))
    undefined = (count == 0) if skip_nan else nan.any(axis=-1)
    if undefined.any():
        out = _math_ops.where(_np.broadcast_to(undefined, out.shape), _np.asarray(_np.nan, x.dtype), out)
    if keepdims:
        out = reshape(out, qs.shape + tuple(1 if d in axes else n_ for d, n_ in enumerate(x.shape)))
    return out


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The q-th quantiles (q in [0, 1]) over `axis`, differentiable; the quantile axis comes first.

    `method` picks between the two nearest sorted values: "linear" (interpolated), "lower", "higher",
    "midpoint" or "nearest". NaN anywhere in a lane gives NaN.

    Example:
        >>> quantile([1.0, 2.0, 3.0, 4.0], [0.25, 0.5]).numpy()
        array([1.75, 2.5 ], dtype=float32)
    """
    return _quantile(x, q, axis, method, keepdims, False, "quantile")


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """`quantile` of the values that are not NaN."""
    return _quantile(x, q, axis, method, keepdims, True, "nanquantile")


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """`quantile` with q in percent ([0, 100])."""
    return _quantile(x, _np.asarray(_np_of(q), "float64") / 100, axis, method, keepdims, False, "percentile")


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """`percentile` of the values that are not NaN."""
    return _quantile(x, _np.asarray(_np_of(q), "float64") / 100, axis, method, keepdims, True, "nanpercentile")


def median(x, axis=None, keepdims=False):
    """The median over `axis`, differentiable; ints give floatx.

    Example:
        >>> median([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]], axis=1).numpy()
        array([2., 4.], dtype=float32)
    """
    return _quantile(x, 0.5, axis, "midpoint", keepdims, False, "median")  # midpoint: an infinity stays itself


def nanmedian(x, axis=None, keepdims=False):
    """`median` of the values that are not NaN."""
    return _quantile(x, 0.5, axis, "midpoint", keepdims, True, "nanmedian")


# ----------------------------------------------------------------------------------------------
# Sorting, searching, counting (indices are int32 and not differentiable)
# ----------------------------------------------------------------------------------------------

def sort(x, axis=-1):
    """Values sorted ascending along `axis` (of the flattened input when None), differentiable."""
    x = _t(x)
    if axis is None:
        return _sort_ops.sort(ravel(x), axis=0)
    return _sort_ops.sort(x, axis=int(axis))


def argsort(x, axis=-1):
    """The indices (int32) that sort `x` along `axis` (stable)."""
    data = _np_of(x)
    return _int32(_np.argsort(data.ravel() if axis is None else data, axis=-1 if axis is None else axis,
                              kind="stable"))


def argpartition(x, kth, axis=-1):
    """Indices (int32) that put the `kth` element in its sorted place, smaller ones before, larger after."""
    return _int32(_np.argpartition(_np_of(x), kth, axis=axis))


def searchsorted(sorted_sequence, values, side="left"):
    """Where `values` would go in the 1-D ascending `sorted_sequence` to keep it sorted (int32)."""
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right'. Received: side={side!r}.")
    seq = _np_of(sorted_sequence)
    if seq.ndim != 1:
        raise ValueError(f"searchsorted: sorted_sequence must be 1-D. Received shape {seq.shape}.")
    return _int32(_np.searchsorted(seq, _np_of(values), side=side))


def digitize(x, bins):
    """The index (int32) of the bin each value falls in (bins increasing or decreasing)."""
    return _int32(_np.digitize(_np_of(x), _np_of(bins)))


def bincount(x, weights=None, minlength=0, sparse=False):
    """How often each non-negative int occurs in `x` (weighted sums with `weights`); 2-D `x`: per row.

    Example:
        >>> bincount([0, 1, 1, 3]).numpy()
        array([1, 2, 0, 1], dtype=int32)
    """
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by numkeras (it has no sparse tensors). "
                         "Pass sparse=False.")
    data = _np_of(x)
    if data.dtype.kind not in "iub":
        raise TypeError(f"bincount: x must hold non-negative integers. Received dtype {data.dtype}.")
    if data.size and data.min() < 0:
        raise ValueError(f"bincount: x must hold non-negative integers. Received a minimum of {data.min()}.")
    w = None if weights is None else _np_of(weights)
    dtype = "int32" if w is None else _result_type(w.dtype if w.dtype.kind != "b" else "int32")
    length = _builtins.max(int(minlength), int(data.max()) + 1 if data.size else 0)
    if data.ndim == 2:
        rows = [_np.bincount(r, None if w is None else w[i], minlength=length) for i, r in enumerate(data)]
        return _Tensor(_np.stack(rows).astype(dtype) if rows else _np.zeros((0, length), dtype))
    return _Tensor(_np.bincount(data, w, minlength=length).astype(dtype))


def nonzero(x):
    """The indices of the non-zero elements: one int32 tensor per axis."""
    return tuple(_int32(i) for i in _np.nonzero(_np.atleast_1d(_np_of(x))))


def unravel_index(indices, shape):
    """Flat indices as a tuple of int32 coordinate tensors for `shape`."""
    return tuple(_int32(i) for i in _np.unravel_index(_np_of(indices), tuple(int(n) for n in shape)))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,  # noqa: A002
           size=None, fill_value=None):
    """The distinct values of `x` (sorted), and optionally where they first occur, the inverse and counts.

    `size` pads (with `fill_value`, default the smallest value) or cuts the values to a fixed length.
    The values always come sorted, as Keras's do (`sorted=False` is accepted and changes nothing).

    Example:
        >>> unique([3, 1, 3, 2]).numpy()
        array([1, 2, 3], dtype=int32)
    """
    data = _np_of(x)
    values, index, inverse, counts = _np.unique(data, return_index=True, return_inverse=True,
                                                return_counts=True, axis=axis)
    if size is not None:
        size = int(size)
        n = values.shape[0 if axis is None else axis]
        if n >= size:
            cut = (slice(None),) * (0 if axis is None else axis) + (slice(0, size),)
            values, index, counts = values[cut], index[:size], counts[:size]
        else:
            fill = _np.min(data) if fill_value is None else fill_value
            pad = [(0, 0)] * values.ndim
            pad[0 if axis is None else axis] = (0, size - n)
            values = _np.pad(values, pad, constant_values=_np.asarray(fill).astype(values.dtype))
            index = _np.pad(index, (0, size - n), constant_values=0)
            counts = _np.pad(counts, (0, size - n), constant_values=0)
    out = [_Tensor(values)]
    if return_index:
        out.append(_int32(index))
    if return_inverse:
        out.append(_int32(inverse.reshape(data.shape) if axis is None else inverse.ravel()))
    if return_counts:
        out.append(_int32(counts))
    return out[0] if len(out) == 1 else tuple(out)


def histogram(x, bins=10, range=None):  # noqa: A002 - Keras's name
    """Counts of the values of 1-D `x` in `bins` equal bins over `range`, and the bin edges (both floatx,
    as Keras gives them).

    Example:
        >>> counts, edges = histogram([0.0, 1.0, 1.0, 3.0], bins=3)
        >>> counts.numpy(), edges.numpy()
        (array([1., 2., 1.], dtype=float32), array([0., 1., 2., 3.], dtype=float32))
    """
    data = _np_of(x)
    if data.ndim != 1:
        raise ValueError(f"histogram: x must be 1-D. Received shape {data.shape}. Flatten it with ops.ravel.")
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"histogram: bins must be a positive int. Received: bins={bins!r}.")
    counts, edges = _np.histogram(data, bins=bins, range=range)
    edge_dtype = data.dtype.name if data.dtype.kind == "f" else _floatx()
    return _Tensor(counts.astype(edge_dtype)), _Tensor(edges.astype(edge_dtype))


def take(x, indices, axis=None):
    """Elements of `x` at integer `indices` along `axis` (None: of the flattened `x`), differentiable in `x`.

    The gradient adds into the entries taken (a scatter-add), as Embedding's does. Negative
    indices count from the end.

    Example:
        >>> take([[1.0, 2.0], [3.0, 4.0]], [1, 1, 0], axis=0).numpy()
        array([[3., 4.],
               [3., 4.],
               [1., 2.]], dtype=float32)
    """
    x = _t(x)
    ids = _np_of(indices)
    if axis is None:
        x, axis = reshape(x, (-1,)), 0
    axis = int(axis) % x.ndim
    if ids.dtype.kind in "iu" and ids.size and ids.min() < 0:
        ids = _np.where(ids < 0, ids + x.shape[axis], ids)
    if axis == 0:
        return _gather_ops.take(x, ids)
    order = [axis] + [d for d in range(x.ndim) if d != axis]
    out = _gather_ops.take(transpose(x, order), ids)
    k = out.ndim - x.ndim + 1  # the axes the indices brought
    return transpose(out, list(range(k, k + axis)) + list(range(k)) + list(range(k + axis, out.ndim)))


def take_along_axis(x, indices, axis=None):
    """`x`'s values at `indices` along `axis` (None: of the flattened `x`), differentiable in `x`.

    Example:
        >>> take_along_axis([[3.0, 1.0, 2.0]], argsort([[3.0, 1.0, 2.0]]), axis=1).numpy()
        array([[1., 2., 3.]], dtype=float32)
    """
    x = _t(x)
    if axis is None:
        return _sort_ops.take_along_axis(ravel(x), _np_of(indices).ravel(), axis=0)
    return _sort_ops.take_along_axis(x, indices, axis=int(axis))


# ----------------------------------------------------------------------------------------------
# Shapes
# ----------------------------------------------------------------------------------------------

def reshape(x, newshape):
    """`x` with a new shape of the same size (one entry may be -1), differentiable."""
    newshape = _shape_arg(newshape)
    return _shape_ops.reshape(_t(x), newshape)


def transpose(x, axes=None):
    """`x` with its axes permuted (reversed when `axes` is None), differentiable."""
    return _shape_ops.transpose(_t(x), None if axes is None else tuple(int(a) for a in axes))


def expand_dims(x, axis):
    """`x` with size-1 axes inserted at `axis` (an int or a tuple), differentiable."""
    return _shape_ops.expand_dims(_t(x), tuple(axis) if isinstance(axis, list) else axis)


def squeeze(x, axis=None):
    """`x` without its size-1 axes (those in `axis` when given), differentiable."""
    return _shape_ops.squeeze(_t(x), tuple(axis) if isinstance(axis, list) else axis)


def ravel(x):
    """`x` flattened to 1-D, differentiable."""
    return _shape_ops.reshape(_t(x), (-1,))


def ndim(x):
    """The number of axes of `x` (a Python int)."""
    return int(_np.ndim(x.data if isinstance(x, _Tensor) else _np_of(x)))


def size(x):
    """The number of elements of `x` (a Python int)."""
    return int(_np.size(x.data if isinstance(x, _Tensor) else _np_of(x)))


def broadcast_to(x, shape):
    """`x` broadcast to `shape` (a copy), differentiable.

    Example:
        >>> broadcast_to([1, 2], (2, 2)).numpy()
        array([[1, 2],
               [1, 2]], dtype=int32)
    """
    return _broadcast_ops.broadcast_to(_t(x), _shape_arg(shape))


def moveaxis(x, source, destination):
    """`x` with the axes `source` moved to positions `destination` (ints or tuples), differentiable."""
    x = _t(x)
    src = [s % x.ndim for s in (source if isinstance(source, (tuple, list)) else [source])]
    dst = [d % x.ndim for d in (destination if isinstance(destination, (tuple, list)) else [destination])]
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source and destination must name as many axes. Received: source={source}, "
                         f"destination={destination}.")
    rest = [d for d in range(x.ndim) if d not in src]
    order = [None] * x.ndim
    for s, d in zip(src, dst):
        order[d] = s
    it = iter(rest)
    order = [next(it) if o is None else o for o in order]
    return transpose(x, order)


def swapaxes(x, axis1, axis2):
    """`x` with two axes exchanged, differentiable."""
    x = _t(x)
    order = list(range(x.ndim))
    a, b = int(axis1) % x.ndim, int(axis2) % x.ndim
    order[a], order[b] = order[b], order[a]
    return transpose(x, order)


def concatenate(xs, axis=0):
    """The tensors joined along `axis` (None: flattened first), differentiable; dtypes promoted as Keras does."""
    xs = list(xs)
    if axis is None:
        xs, axis = [ravel(v) for v in xs], 0
    dtype = _result_type(*(_dtype_of(v) for v in xs))
    return _shape_ops.concatenate([_cast(v, dtype) for v in xs], axis=int(axis))


def stack(x, axis=0):
    """The tensors stacked along a new `axis`, differentiable."""
    xs = list(x)
    dtype = _result_type(*(_dtype_of(v) for v in xs))
    return _shape_ops.stack([_cast(v, dtype) for v in xs], axis=int(axis))


def append(x1, x2, axis=None):
    """`x2` joined to the end of `x1` along `axis` (both flattened when None), differentiable."""
    return concatenate([x1, x2], axis=axis)


def _at_least(x, ndim):
    x = _t(x)
    if x.ndim >= ndim:
        return x
    shape = {0: (1,) * ndim, 1: (1, x.shape[0]) + (1,) * (ndim - 2)}.get(x.ndim, x.shape + (1,))
    if ndim == 1:
        shape = (1,) if x.ndim == 0 else x.shape
    return reshape(x, shape)


def hstack(xs):
    """The tensors joined column-wise (along axis 1; axis 0 for 1-D), differentiable."""
    xs = [_at_least(v, 1) for v in xs]
    return concatenate(xs, axis=0 if xs[0].ndim == 1 else 1)


def vstack(xs):
    """The tensors joined row-wise (1-D ones become rows), differentiable."""
    return concatenate([_at_least(v, 2) for v in xs], axis=0)


def dstack(xs):
    """The tensors joined along the third axis (made at least 3-D), differentiable."""
    return concatenate([_at_least(v, 3) for v in xs], axis=2)


def _split_points(n, indices_or_sections, name, even):
    if _np.ndim(indices_or_sections) == 0:
        sections = int(_np_of(indices_or_sections))
        if sections < 1:
            raise ValueError(f"{name}: the number of sections must be positive. Received {sections}.")
        if even and n % sections:
            raise ValueError(f"{name}: an axis of size {n} cannot be split into {sections} equal sections. Use "
                             f"array_split for unequal ones, or pass the split indices.")
        base, extra = divmod(n, sections)
        sizes = [base + 1] * extra + [base] * (sections - extra)
        return list(_np.cumsum([0] + sizes))
    points = [int(i) for i in _np_of(indices_or_sections)]
    return [0] + points + [n]


def _split(x, indices_or_sections, axis, name, even):
    x = _t(x)
    axis = int(axis) % x.ndim
    points = _split_points(x.shape[axis], indices_or_sections, name, even)
    pieces = []
    for start, stop in zip(points[:-1], points[1:]):
        index = (slice(None),) * axis + (slice(_builtins.min(start, x.shape[axis]),
                                                _builtins.min(_builtins.max(stop, start), x.shape[axis])),)
        pieces.append(_shape_ops.getitem(x, index))
    return pieces


def split(x, indices_or_sections, axis=0):
    """Splits `x` along `axis` into equal sections, or at the given indices; a list, differentiable."""
    return _split(x, indices_or_sections, axis, "split", even=True)


def array_split(x, indices_or_sections, axis=0):
    """`split` that allows sections of unequal size (the first ones one longer)."""
    return _split(x, indices_or_sections, axis, "array_split", even=False)


def hsplit(x, indices_or_sections):
    """`split` along axis 1 (axis 0 for 1-D)."""
    return split(x, indices_or_sections, axis=0 if _t(x).ndim == 1 else 1)


def vsplit(x, indices_or_sections):
    """`split` along axis 0."""
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    """`split` along axis 2."""
    return split(x, indices_or_sections, axis=2)


def tile(x, repeats):
    """`x` repeated `repeats` times along each axis (as whole blocks), differentiable.

    Example:
        >>> tile([1, 2], 2).numpy()
        array([1, 2, 1, 2], dtype=int32)
    """
    x = _t(x)
    reps = [int(r) for r in _np.atleast_1d(_np_of(repeats))]
    ndim = _builtins.max(len(reps), x.ndim)
    reps = [1] * (ndim - len(reps)) + reps
    shape = (1,) * (ndim - x.ndim) + x.shape
    interleaved = [n for s in shape for n in (1, s)]
    target = [n for r, s in zip(reps, shape) for n in (r, s)]
    return reshape(broadcast_to(reshape(x, interleaved), target), [r * s for r, s in zip(reps, shape)])


def repeat(x, repeats, axis=None):
    """Each element repeated `repeats` times in a row along `axis` (None: of the flattened `x`), differentiable.

    `repeats` may be an int or one count per element along the axis.
    """
    x = _t(x)
    if axis is None:
        x, axis = ravel(x), 0
    axis = int(axis) % x.ndim
    counts = _np_of(repeats)
    if counts.ndim == 0 or counts.size == 1:
        return _pad_ops.repeat(x, int(counts.ravel()[0]), axis)
    return take(x, _np.repeat(_np.arange(x.shape[axis]), counts), axis=axis)


def roll(x, shift, axis=None):
    """`x` shifted by `shift` places along `axis` (of the flattened `x` when None), wrapping around."""
    x = _t(x)
    if axis is None:
        return reshape(roll(ravel(x), shift, 0), x.shape)
    shifts = _np.broadcast_to(_np.atleast_1d(_np_of(shift)), _np.atleast_1d(_np.asarray(axis)).shape)
    for s, a in zip(shifts, _np.atleast_1d(_np.asarray(axis))):
        n = x.shape[int(a)]
        if n:
            x = take(x, _np.roll(_np.arange(n), int(s)), axis=int(a))
    return x


def flip(x, axis=None):
    """The elements of `x` in reverse order along `axis` (all axes when None), differentiable."""
    return _shape_ops.flip(_t(x), axis=_axis_arg(axis))


def fliplr(x):
    """`flip` along axis 1."""
    return flip(x, axis=1)


def flipud(x):
    """`flip` along axis 0."""
    return flip(x, axis=0)


def rot90(array, k=1, axes=(0, 1)):  # noqa: A002 - Keras's name
    """`array` rotated by 90 degrees `k` times in the plane of `axes` (from the first toward the second)."""
    x = _t(array)
    a, b = (int(v) % x.ndim for v in axes)
    if a == b:
        raise ValueError(f"rot90: the two axes must differ. Received: axes={axes}.")
    k = int(k) % 4
    if k == 0:
        return x
    if k == 2:
        return flip(flip(x, a), b)
    order = list(range(x.ndim))
    order[a], order[b] = order[b], order[a]
    return transpose(flip(x, b), order) if k == 1 else flip(transpose(x, order), b)


def pad(x, pad_width, mode="constant", constant_values=None):
    """`x` padded by `pad_width` (an int, a (before, after) pair, or one pair per axis), differentiable.

    `mode`: "constant" (with `constant_values`, default 0), "edge", "reflect", "symmetric" or "wrap"
    are differentiable; "linear_ramp", "maximum", "mean", "median", "minimum" and "empty" give
    NumPy's values without a gradient.

    Example:
        >>> pad([1.0, 2.0], 1, mode="reflect").numpy()
        array([2., 1., 2., 1.], dtype=float32)
    """
    x = _t(x)
    widths = [(int(b), int(e)) for b, e in _np.broadcast_to(_np.asarray(pad_width, dtype="int64").reshape(-1, 2)
                                                             if _np.ndim(pad_width) else [[pad_width] * 2],
                                                             (x.ndim, 2))]
    if mode == "constant":
        if constant_values is None:
            constant_values = 0
        return _pad_ops.pad(x, widths, constant_values=_np.asarray(_np_of(constant_values)).astype(x.dtype))
    if constant_values is not None:
        raise ValueError(f"pad: constant_values applies only to mode='constant'. Received mode={mode!r} with "
                         f"constant_values={constant_values!r}.")
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        for axis, (before, after) in enumerate(widths):
            if before or after:
                index = _np.pad(_np.arange(x.shape[axis]), (before, after), mode=mode)
                x = take(x, index, axis=axis)
        return x
    known = ("constant", "edge", "reflect", "symmetric", "wrap", "linear_ramp", "maximum", "mean", "median",
             "minimum", "empty")
    if mode not in known:
        raise ValueError(f"pad: unknown mode {mode!r}. Expected one of {known}.")
    out = _np.pad(x.data, widths, mode="constant" if mode == "empty" else mode)
    return _Tensor(out.astype(x.dtype))


def get_item(x, key):
    """`x[key]` (ints, slices, None, Ellipsis, integer or boolean arrays), differentiable."""
    if isinstance(key, list):
        key = _np.asarray(key)
    return _shape_ops.getitem(_t(x), key)


def view(x, dtype=None):
    """`x`'s bytes read as `dtype` (the last axis scales with the item sizes); not differentiable."""
    data = _np.ascontiguousarray(_np_of(x))
    return _Tensor(data if dtype is None else data.view(_np.dtype(dtype)))


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The `offset`-th diagonal of the planes spanned by `axis1` and `axis2`, as the last axis; differentiable.

    Example:
        >>> diagonal([[1, 2], [3, 4]]).numpy()
        array([1, 4], dtype=int32)
    """
    x = _t(x)
    if x.ndim < 2:
        raise ValueError(f"diagonal: x must have at least 2 dimensions. Received shape {x.shape}.")
    planes = moveaxis(x, (int(axis1), int(axis2)), (-2, -1))
    rows, cols = planes.shape[-2:]
    offset = int(offset)
    count = _builtins.max(0, _builtins.min(rows, cols - offset) if offset >= 0 else _builtins.min(rows + offset,
                                                                                                    cols))
    r = _np.arange(count) + _builtins.max(0, -offset)
    return _shape_ops.getitem(planes, (Ellipsis, r, r + offset))


def diag(x, k=0):
    """1-D `x`: a square matrix with `x` on its k-th diagonal; 2-D `x`: its k-th diagonal. Differentiable."""
    x = _t(x)
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise ValueError(f"diag: x must be 1-D or 2-D. Received shape {x.shape}.")
    k = int(k)
    n = x.shape[0] + _builtins.abs(k)
    row = _pad_ops.pad(x, [(k, 0)] if k >= 0 else [(0, -k)])  # row[j] belongs in column j
    mask = _Tensor(_np.eye(n, k=k, dtype=bool))
    return _math_ops.where(mask, broadcast_to(row, (n, n)), _np.zeros((), x.dtype))


def diagflat(x, k=0):
    """A square matrix with the flattened `x` on its k-th diagonal, differentiable."""
    return diag(ravel(x), k)


def _triangle(x, k, lower):
    x = _t(x)
    if x.ndim < 2:
        raise ValueError(f"{'tril' if lower else 'triu'}: x must have at least 2 dimensions. Received shape "
                         f"{x.shape}.")
    rows, cols = x.shape[-2:]
    keep = _np.tri(rows, cols, k=int(k), dtype=bool)
    if not lower:
        keep = ~_np.tri(rows, cols, k=int(k) - 1, dtype=bool)
    return _math_ops.where(_Tensor(keep), x, _np.zeros((), x.dtype))


def tril(x, k=0):
    """`x` with the entries above the k-th diagonal zeroed (the last two axes), differentiable."""
    return _triangle(x, k, lower=True)


def triu(x, k=0):
    """`x` with the entries below the k-th diagonal zeroed (the last two axes), differentiable."""
    return _triangle(x, k, lower=False)


def vander(x, N=None, increasing=False):  # noqa: N803
    """The Vandermonde matrix of 1-D `x`: columns `x**(N-1), ..., x**0` (reversed when `increasing`)."""
    x = _t(x)
    if x.ndim != 1:
        raise ValueError(f"vander: x must be 1-D. Received shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    powers = _np.arange(n) if increasing else _np.arange(n)[::-1]
    dtype = "int32" if x.dtype == "bool" else x.dtype
    columns = [ones_like(x, dtype) if p == 0 else _math_ops.power(_cast(x, dtype), _np.asarray(p, dtype))
               for p in powers]
    return stack(columns, axis=1) if columns else zeros((x.shape[0], 0), dtype)


# ----------------------------------------------------------------------------------------------
# Products
# ----------------------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def matmul(x1, x2):
    """The matrix product (batched over leading axes, vectors as in NumPy), differentiable."""
    a, b = _promote(x1, x2)
    return _linalg_ops.matmul(a, b)


def tensordot(x1, x2, axes=2):
    """Sums products over the last `axes` axes of `x1` and the first of `x2` (or the listed axis pairs).

    Example:
        >>> tensordot([[1.0, 2.0]], [[3.0], [4.0]], axes=1).numpy()
        array([[11.]], dtype=float32)
    """
    a, b = (_t(v) for v in _promote(x1, x2))
    if _np.ndim(axes) == 0:
        n = int(axes)
        axes_a, axes_b = list(range(a.ndim - n, a.ndim)), list(range(n))
    else:
        axes_a, axes_b = ([int(v) for v in _np.atleast_1d(side)] for side in axes)
    axes_a = [v % a.ndim for v in axes_a]
    axes_b = [v % b.ndim for v in axes_b]
    for i, j in zip(axes_a, axes_b):
        if a.shape[i] != b.shape[j]:
            raise ValueError(f"tensordot: axis {i} of x1 (size {a.shape[i]}) and axis {j} of x2 (size "
                             f"{b.shape[j]}) are summed together and must match.")
    sa = _LETTERS[:a.ndim]
    sb = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    for i, j in zip(axes_a, axes_b):
        sb[j] = sa[i]
    sb = "".join(sb)
    out = "".join(c for k, c in enumerate(sa) if k not in axes_a) + "".join(
        c for k, c in enumerate(sb) if k not in axes_b)
    return _contract(f"{sa},{sb}->{out}", a, b)


def _contract(equation, a, b):
    if a.dtype == "bool":  # NumPy's einsum would OR the products; Keras sums them as bools do in jnp (any)
        return _Tensor(_np.einsum(equation, a.data, b.data))
    return _einsum(equation, a, b)


def dot(x1, x2):
    """NumPy's dot: scalars multiply, vectors give their inner product, else the last axis of `x1` meets
    the second-to-last of `x2`."""
    a, b = (_t(v) for v in _promote(x1, x2))
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if b.ndim == 1:
        return tensordot(a, b, axes=([-1], [0]))
    return tensordot(a, b, axes=([-1], [-2]))


def inner(x1, x2):
    """Sums products over the last axes of `x1` and `x2` (scalars multiply), differentiable."""
    a, b = (_t(v) for v in _promote(x1, x2))
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


def outer(x1, x2):
    """The outer product of the flattened inputs, differentiable."""
    a, b = (_t(v) for v in _promote(x1, x2))
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


def vdot(x1, x2):
    """The dot product of the flattened inputs, differentiable."""
    a, b = (_t(v) for v in _promote(x1, x2))
    return _contract("i,i->", ravel(a), ravel(b))


def kron(x1, x2):
    """The Kronecker product: blocks of `x2` scaled by each entry of `x1`, differentiable.

    Example:
        >>> kron([1, 10], [1, 2]).numpy()
        array([ 1,  2, 10, 20], dtype=int32)
    """
    a, b = (_t(v) for v in _promote(x1, x2))
    n = _builtins.max(a.ndim, b.ndim)
    a = reshape(a, (1,) * (n - a.ndim) + a.shape)
    b = reshape(b, (1,) * (n - b.ndim) + b.shape)
    interleaved = multiply(reshape(a, [s for d in a.shape for s in (d, 1)]),
                           reshape(b, [s for d in b.shape for s in (1, d)]))
    return reshape(interleaved, [p * q for p, q in zip(a.shape, b.shape)])


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or 2-vectors, giving the z component) along the given axes."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = (_t(v) for v in _promote(x1, x2))
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(f"cross: the vectors must have 2 or 3 components. Received {a.shape[-1]} and "
                         f"{b.shape[-1]}.")

    def part(v, i):
        return v[..., i] if i < v.shape[-1] else None

    a0, a1, a2 = (part(a, i) for i in range(3))
    b0, b1, b2 = (part(b, i) for i in range(3))
    z = subtract(multiply(a0, b1), multiply(a1, b0))
    if a2 is None and b2 is None:
        return z
    zero = zeros_like(a0)
    a2 = zero if a2 is None else a2
    b2 = zeros_like(b0) if b2 is None else b2
    x = subtract(multiply(a1, b2), multiply(a2, b1))
    y = subtract(multiply(a2, b0), multiply(a0, b2))
    return moveaxis(stack([x, y, z], axis=-1), -1, axisc)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of `y` along `axis` by the trapezoidal rule (sample points `x`, or spacing `dx`)."""
    y = _floated(y)
    axis = int(axis) % y.ndim
    hi = (slice(None),) * axis + (slice(1, None),)
    lo = (slice(None),) * axis + (slice(None, -1),)
    heights = multiply(add(y[hi], y[lo]), 0.5)
    if x is None:
        return multiply(sum(heights, axis=axis), _cast(dx, y.dtype) if not _is_scalar(dx) else dx)
    xs = _cast(x, y.dtype)
    if xs.ndim == 1:
        widths = subtract(xs[1:], xs[:-1])
        view = [1] * y.ndim
        view[axis] = -1
        widths = reshape(widths, view)
    else:
        widths = subtract(xs[hi], xs[lo])
    return sum(multiply(heights, widths), axis=axis)


def correlate(x1, x2, mode="valid"):
    """The cross-correlation of two 1-D signals: `out[k] = sum_n x1[n + k] * x2[n]`, differentiable.

    `mode` "valid" keeps the full overlaps only, "same" the length of the longer input, "full" every
    overlap.

    Example:
        >>> correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5], mode="same").numpy()
        array([2. , 3.5, 3. ], dtype=float32)
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: mode must be 'valid', 'same' or 'full'. Received: mode={mode!r}.")
    dtype = _result_type(_dtype_of(x1), _dtype_of(x2), float)
    a, b = _cast(x1, dtype), _cast(x2, dtype)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"correlate: both inputs must be 1-D. Received shapes {a.shape} and {b.shape}.")
    n, m = a.shape[0], b.shape[0]
    if n == 0 or m == 0:
        raise ValueError("correlate: the inputs must not be empty.")
    swap = m > n
    if swap:  # NumPy's rule: the longer signal slides; the result is reversed
        a, b, n, m = b, a, m, n
    left = {"valid": 0, "same": m // 2, "full": m - 1}[mode]
    right = {"valid": 0, "same": m - 1 - m // 2, "full": m - 1}[mode]
    padded = _pad_ops.pad(a, [(left, right)])
    steps = padded.shape[0] - m + 1
    windows = _shape_ops.getitem(padded, (_np.arange(steps)[:, None] + _np.arange(m)[None, :],))
    out = _linalg_ops.matmul(windows, b)
    return flip(out) if swap else out


def corrcoef(x):
    """The Pearson correlation coefficients of the rows of `x` (variables) over its columns, differentiable."""
    x = _floated(x)
    if x.ndim == 1:
        x = reshape(x, (1, -1))
    centered = subtract(x, _reduction_ops.mean(x, axis=1, keepdims=True))
    cov = matmul(centered, transpose(centered))
    d = _math_ops.sqrt(diagonal(cov))
    out = divide(divide(cov, reshape(d, (-1, 1))), reshape(d, (1, -1)))
    out = _math_ops.clip(out, -1, 1)
    return out[0, 0] if out.shape == (1, 1) else out


def slogdet(x):
    """The sign and the log of the absolute determinant of square matrices (batched), differentiable in the log.

    Example:
        >>> sign, logdet = slogdet([[2.0, 0.0], [0.0, 3.0]])
        >>> float(sign), f"{float(logdet):.4f}"
        (1.0, '1.7918')
    """
    return _slogdet_ops.slogdet(_floated(x))


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation (e.g. "bqhd,bkhd->bhqk"), differentiable; pairs of operands run as one matmul.

    Example:
        >>> einsum("ij,jk->ik", [[1.0, 2.0]], [[3.0], [4.0]]).numpy()
        array([[11.]], dtype=float32)
    """
    if kwargs:
        raise TypeError(f"einsum: numkeras takes no keyword arguments. Received: {sorted(kwargs)}.")
    tensors = _promote(*operands) if len(operands) > 1 else [_t(operands[0])]
    return _einsum(subscripts, *tensors)


# ----------------------------------------------------------------------------------------------
# vectorize
# ----------------------------------------------------------------------------------------------

def _core_dims(signature):
    inputs, _, outputs = signature.replace(" ", "").partition("->")

    def parse(side):
        return [tuple(d for d in group.split(",") if d) for group in side[1:-1].split("),(")] if side else []
    return parse(inputs), parse(outputs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Returns a function that maps `pyfunc` over the leading (loop) axes of its tensor arguments.

    Without `signature`, `pyfunc` is applied element by element; with one such as "(n),(n)->()",
    each call gets the core axes named in it and the remaining leading axes are looped over (and
    broadcast). Arguments listed in `excluded` (positions or names) are passed through unchanged.
    Differentiable when `pyfunc` is (each call is recorded).

    Example:
        >>> f = vectorize(lambda a, b: sum(a * b), signature="(n),(n)->()")
        >>> f([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
        array([3., 7.], dtype=float32)
    """
    excluded = set(excluded or ())
    cores_in, cores_out = _core_dims(signature) if signature else (None, None)

    def mapped(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        tensors = [_t(args[i]) for i in positions]
        cores = cores_in if cores_in is not None else [()] * len(tensors)
        if len(cores) != len(tensors):
            raise ValueError(f"vectorize: the signature {signature!r} names {len(cores)} inputs, but "
                             f"{len(tensors)} were passed.")
        loops = [t.shape[:t.ndim - len(c)] for t, c in zip(tensors, cores)]
        loop_shape = _np.broadcast_shapes(*loops) if loops else ()
        tensors = [broadcast_to(t, loop_shape + t.shape[t.ndim - len(c):]) for t, c in zip(tensors, cores)]
        results = []
        for index in _np.ndindex(*loop_shape):
            call = list(args)
            for i, t in zip(positions, tensors):
                call[i] = t[index] if index else t
            results.append(pyfunc(*call, **kwargs))
        if not loop_shape:
            return results[0] if results else pyfunc(*args, **kwargs)
        if isinstance(results[0], (tuple, list)):
            return tuple(reshape(stack([r[k] for r in results]), loop_shape + _t(results[0][k]).shape)
                         for k in range(len(results[0])))
        return reshape(stack(results), loop_shape + _t(results[0]).shape)
    mapped.__name__ = getattr(pyfunc, "__name__", "vectorized")
    return mapped


__all__ = [name for name in dir() if not name.startswith("_") and name != "convert_to_tensor"]
