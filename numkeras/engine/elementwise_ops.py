"""The elementwise math family: one table of (forward, derivative) pairs, one op maker.

Each unary entry names a NumPy forward `f(x)` and its derivative `df(x, out)` (given the input and
the forward's output, so `exp2`'s derivative reuses `out`); each binary entry names `f(a, b)` and
its two partial derivatives. The maker turns an entry into a primitive whose VJP multiplies the
output gradient by the derivative. A derivative of None means a step function (floor, sign): its
gradient is zero, as in Keras. Inputs must already have the result's dtype (the ops layer casts).

Example:
    >>> from numkeras.engine import elementwise_ops
    >>> elementwise_ops.sin([0.0]).numpy(), elementwise_ops.hypot([3.0], [4.0]).numpy()
    (array([0.], dtype=float32), array([5.], dtype=float32))
"""
import math

from numkeras.backend import errstate as _errstate
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make, operands


def _i1(x):
    """The modified Bessel function I1 (i0's derivative), by its power series, then its asymptotic form."""
    ax = xp.abs(x)
    small = xp.minimum(ax, 30.0)
    term = small / 2
    total = term.copy()
    for k in range(1, 60):
        term = term * (small / 2) ** 2 / (k * (k + 1))
        total = total + term
    big = xp.maximum(ax, 30.0)
    asym = xp.exp(big) / xp.sqrt(2 * math.pi * big) * (1 - 3 / (8 * big) - 15 / (128 * big ** 2))
    return xp.sign(x) * xp.where(ax <= 30.0, total, asym)


def _sinc_derivative(x, out):
    # (cos(pi x) - sinc(x)) / x cancels badly near 0 in float32: computed in float64, then cast back
    x64 = x.astype("float64")
    safe = xp.where(x64 == 0, 1, x64)
    return xp.where(x64 == 0, 0, (xp.cos(math.pi * x64) - xp.sinc(x64)) / safe)


LN2, LN10 = math.log(2), math.log(10)

UNARY = {  # name: (forward, derivative(x, out) or None for a zero gradient)
    "sin": (xp.sin, lambda x, out: xp.cos(x)),
    "cos": (xp.cos, lambda x, out: -xp.sin(x)),
    "tan": (xp.tan, lambda x, out: 1 + out * out),
    "arcsin": (xp.arcsin, lambda x, out: 1 / xp.sqrt(1 - x * x)),
    "arccos": (xp.arccos, lambda x, out: -1 / xp.sqrt(1 - x * x)),
    "arctan": (xp.arctan, lambda x, out: 1 / (1 + x * x)),
    "sinh": (xp.sinh, lambda x, out: xp.cosh(x)),
    "cosh": (xp.cosh, lambda x, out: xp.sinh(x)),
    "arcsinh": (xp.arcsinh, lambda x, out: 1 / xp.sqrt(x * x + 1)),
    "arccosh": (xp.arccosh, lambda x, out: 1 / xp.sqrt(x * x - 1)),
    "arctanh": (xp.arctanh, lambda x, out: 1 / (1 - x * x)),
    "exp2": (xp.exp2, lambda x, out: out * LN2),
    "expm1": (xp.expm1, lambda x, out: out + 1),
    "log2": (xp.log2, lambda x, out: 1 / (x * LN2)),
    "log10": (xp.log10, lambda x, out: 1 / (x * LN10)),
    "cbrt": (xp.cbrt, lambda x, out: 1 / (3 * out * out)),
    "reciprocal": (xp.reciprocal, lambda x, out: -out * out),
    "sinc": (xp.sinc, _sinc_derivative),
    "i0": (xp.i0, lambda x, out: _i1(x)),
    "deg2rad": (xp.deg2rad, lambda x, out: xp.full_like(x, math.pi / 180)),
    "rad2deg": (xp.rad2deg, lambda x, out: xp.full_like(x, 180 / math.pi)),
    "fabs": (xp.fabs, lambda x, out: xp.sign(x)),
    "copy": (xp.array, lambda x, out: xp.ones_like(x)),
    "floor": (xp.floor, None),
    "ceil": (xp.ceil, None),
    "trunc": (xp.trunc, None),
    "rint": (xp.rint, None),
}


def _logaddexp_partials(base):
    def partial(a, b, out, first):
        mine, other = (a, b) if first else (b, a)
        return 1 / (1 + base ** (other - mine))  # the softmax weight of this operand, overflow-safe side
    return (lambda a, b, out: partial(a, b, out, True), lambda a, b, out: partial(a, b, out, False))


def _fmod_partial_b(a, b, out):
    return -xp.trunc(a / b)


def _mod_partial_b(a, b, out):
    return -xp.floor(a / b)


def _fpick(choose_a):
    """fmax/fmin's partials: the gradient goes to the operand picked (to `a` on ties; to the non-NaN one)."""
    def first(a, b, out):
        return (choose_a(a, b) | xp.isnan(b)).astype(out.dtype)

    def second(a, b, out):
        return 1 - first(a, b, out)
    return first, second


BINARY = {  # name: (forward, d/da(a, b, out), d/db(a, b, out)); None: zero
    "arctan2": (xp.arctan2, lambda a, b, out: b / (a * a + b * b), lambda a, b, out: -a / (a * a + b * b)),
    "hypot": (xp.hypot, lambda a, b, out: a / out, lambda a, b, out: b / out),
    "logaddexp": (xp.logaddexp, *_logaddexp_partials(math.e)),
    "logaddexp2": (xp.logaddexp2, *_logaddexp_partials(2.0)),
    "mod": (xp.mod, lambda a, b, out: xp.ones_like(out), _mod_partial_b),
    "fmod": (xp.fmod, lambda a, b, out: xp.ones_like(out), _fmod_partial_b),
    "fmax": (xp.fmax, *_fpick(lambda a, b: a >= b)),
    "fmin": (xp.fmin, *_fpick(lambda a, b: a <= b)),
    "heaviside": (xp.heaviside, None, None),
    "nextafter": (xp.nextafter, None, None),
    "floor_divide": (xp.floor_divide, None, None),
}


def unary(name):
    """The primitive for `UNARY[name]`: `op(x)` returns a Tensor, differentiable where the entry says."""
    forward, derivative = UNARY[name]

    def op(x):
        x = as_tensor(x)
        with _errstate(all="ignore"):  # NaN/inf where NumPy gives them, without warnings
            out = forward(x.data)

        def vjp(g):
            if derivative is None:
                return (None,)
            with _errstate(all="ignore"):
                return (g * derivative(x.data, out).astype(g.dtype, copy=False),)
        return make(out, (x,), vjp)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise `{name}`; " + ("its gradient is zero (a step function)." if derivative is None
                                             else "differentiable.")
    return op


def binary(name):
    """The primitive for `BINARY[name]`: `op(a, b)` broadcasts like NumPy; the tape sums gradients back."""
    forward, da, db = BINARY[name]

    def op(a, b):
        a, b = operands(a, b)
        with _errstate(all="ignore"):
            out = forward(a.data, b.data)

        def vjp(g):
            with _errstate(all="ignore"):
                ga = g * da(a.data, b.data, out).astype(g.dtype, copy=False) if da and a.requires_grad else None
                gb = g * db(a.data, b.data, out).astype(g.dtype, copy=False) if db and b.requires_grad else None
            return ga, gb
        return make(out, (a, b), vjp)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise `{name}` of two broadcast operands" + (
        "; differentiable." if da else "; its gradient is zero.")
    return op


globals().update({name: unary(name) for name in UNARY})
globals().update({name: binary(name) for name in BINARY})
