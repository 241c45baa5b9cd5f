"""The error function family (`erf`, `erfc`, `erfinv`), each forward beside its gradient.

NumPy has no `erf`. Here it is evaluated from Chebyshev series whose coefficients are
fitted once, at import, to Python's `math.erf`/`math.erfc` (the C library's, accurate to
an ulp or two) at Chebyshev nodes:

- `|x| < 1`: `erf(x) = x * p(2 x^2 - 1)`, a degree-14 series in `x^2` (relative accuracy kept
  near 0);
- `1 <= |x| < 26`: `erfc(x) = exp(-x^2) * erfcx(x)`, the scaled function `erfcx` fitted by
  degree-18 series on [1, 2], [2, 4], [4, 8], [8, 16], [16, 26]; `exp(-x^2)` is taken in two
  factors so that `x^2` is not rounded;
- `|x| >= 26`: `erfc` underflows float64 (`erfc(26) ~ 6e-296`); eight terms of the asymptotic
  series give `erfcx`.

Measured against `math.erf`/`math.erfc` on 10^5 points (erf_test): relative error below 1e-14
for erf, and for erfc wherever it is a normal float64. float32 inputs are computed in float64
and rounded, so they are correctly rounded in practice. `erfinv` starts from Winitzki's
closed form (relative error ~2e-3) and takes two Halley steps (cubic convergence: 2e-3, 1e-8, below 1e-16) on `erf` (on `erfc` when
`|y| > 0.5`, where `erf` flattens), reaching float64 accuracy.

Gradients: `erf' = 2/sqrt(pi) exp(-x^2)`, `erfc' = -erf'`, `erfinv'(y) = sqrt(pi)/2 exp(erfinv(y)^2)`.

Example:
    >>> from numkeras.engine import special_ops
    >>> special_ops.erf([0.0, 1.0]).numpy()
    array([0.       , 0.8427008], dtype=float32)
"""
import math

from numkeras.backend import errstate as _errstate
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_ERFCX_PIECES = ((1.0, 2.0), (2.0, 4.0), (4.0, 8.0), (8.0, 16.0), (16.0, 26.0))


def _chebyshev_fit(f, a, b, degree):
    """Coefficients of the degree-`degree` Chebyshev interpolant of `f` on [a, b]."""
    t = xp.cos(xp.pi * (xp.arange(degree + 1) + 0.5) / (degree + 1))
    values = xp.array([f(v) for v in 0.5 * (b - a) * t + 0.5 * (b + a)])
    return xp.polynomial.chebyshev.chebfit(t, values, degree)


def _erf_over_x(t):  # erf(x) / x at x = sqrt((t + 1) / 2)
    x = math.sqrt((t + 1.0) / 2.0)
    return math.erf(x) / x if x else _TWO_OVER_SQRT_PI


def _erfcx_reference(x):  # exp(x^2) erfc(x), with x^2 split so it is not rounded
    hi = math.floor(x * 4096.0) / 4096.0
    return math.erfc(x) * math.exp(hi * hi) * math.exp((x - hi) * (x + hi))


_SMALL = _chebyshev_fit(_erf_over_x, -1.0, 1.0, 14)
_ERFCX = [_chebyshev_fit(_erfcx_reference, a, b, 18) for a, b in _ERFCX_PIECES]


def _exp_minus_square(x):
    hi = xp.floor(x * 4096.0) / 4096.0
    return xp.exp(-hi * hi) * xp.exp(-(x - hi) * (x + hi))


def _erfc_positive(x):
    """erfc(x) for float64 x >= 1."""
    erfcx = xp.empty_like(x)
    for (a, b), coefficients in zip(_ERFCX_PIECES, _ERFCX):
        inside = (x >= a) & (x < b)
        if inside.any():
            erfcx[inside] = xp.polynomial.chebyshev.chebval((2.0 * x[inside] - a - b) / (b - a), coefficients)
    far = x >= _ERFCX_PIECES[-1][1]
    if far.any():
        u = 1.0 / (2.0 * x[far] * x[far])
        series = xp.ones_like(u)
        for n in range(8, 0, -1):  # 1 - u (1 - 3u (1 - 5u (...))): the terms (2n-1)!! (-u)^n
            series = 1.0 - (2 * n - 1) * u * series
        erfcx[far] = series / (x[far] * math.sqrt(math.pi))
    with _errstate(under="ignore", invalid="ignore"):
        return xp.where(x == xp.inf, 0.0, _exp_minus_square(x) * erfcx)


def _erf_values(x):
    """erf of a float64 array."""
    out = xp.empty_like(x)
    ax = xp.abs(x)
    small = ax < 1.0
    xs = x[small]
    out[small] = xs * xp.polynomial.chebyshev.chebval(2.0 * xs * xs - 1.0, _SMALL)
    large = ~small & ~xp.isnan(x)
    out[large] = xp.copysign(1.0 - _erfc_positive(ax[large]), x[large])
    out[xp.isnan(x)] = xp.nan
    return out


def _erfc_values(x):
    """erfc of a float64 array."""
    out = xp.empty_like(x)
    small = xp.abs(x) < 1.0
    xs = x[small]
    out[small] = 1.0 - xs * xp.polynomial.chebyshev.chebval(2.0 * xs * xs - 1.0, _SMALL)
    big, low = x >= 1.0, x <= -1.0
    out[big] = _erfc_positive(x[big])
    out[low] = 2.0 - _erfc_positive(-x[low])
    out[xp.isnan(x)] = xp.nan
    return out


def _erfinv_values(y):
    """erfinv of a float64 array: Winitzki's guess, then two Halley steps."""
    a = 0.147
    with _errstate(divide="ignore", invalid="ignore"):
        ln = xp.log1p(-y * y)
        first = 2.0 / (math.pi * a) + 0.5 * ln
        x = xp.copysign(xp.sqrt(xp.sqrt(first * first - ln / a) - first), y)
        tail = xp.abs(y) > 0.5
        finite = xp.isfinite(x)
        for _ in range(2):
            # residual f(x) = erf(x) - y, on the erfc side in the tails (1 - |y| is exact there)
            residual = xp.empty_like(x)
            residual[~tail] = _erf_values(x[~tail]) - y[~tail]
            residual[tail] = xp.sign(y[tail]) * ((1.0 - xp.abs(y[tail])) - _erfc_values(xp.abs(x[tail])))
            slope = _TWO_OVER_SQRT_PI * xp.exp(-x * x)
            ratio = residual / slope
            step = ratio / (1.0 + x * ratio)  # Halley: f'' = -2 x f'
            x = xp.where(finite & (slope > 0), x - step, x)
    x = xp.where(xp.abs(y) == 1.0, xp.copysign(xp.inf, y), x)
    return xp.where(xp.abs(y) > 1.0, xp.nan, x)


def _float_input(x):
    x = as_tensor(x)
    if x.data.dtype.kind != "f":
        from numkeras.backend import floatx
        from numkeras.engine.math_ops import cast
        x = cast(x, floatx())
    return x


def _elementwise(x, values):
    data = x.data
    return values(data.astype(xp.float64)).astype(data.dtype, copy=False)


def erf(x):
    """The error function `2/sqrt(pi) * integral_0^x exp(-t^2) dt`, elementwise (ints: floatx)."""
    x = _float_input(x)
    return make(_elementwise(x, _erf_values), (x,),
                lambda g: (g * (_TWO_OVER_SQRT_PI * xp.exp(-x.data * x.data)).astype(g.dtype, copy=False),))


def erfc(x):
    """The complementary error function `1 - erf(x)`, accurate where it is tiny (ints: floatx)."""
    x = _float_input(x)
    return make(_elementwise(x, _erfc_values), (x,),
                lambda g: (g * (-_TWO_OVER_SQRT_PI * xp.exp(-x.data * x.data)).astype(g.dtype, copy=False),))


def erfinv(x):
    """The inverse of `erf` on (-1, 1): +-inf at +-1, nan outside (ints: floatx)."""
    x = _float_input(x)
    out = _elementwise(x, _erfinv_values)

    def vjp(g):
        with _errstate(over="ignore"):
            slope = (0.5 * math.sqrt(math.pi)) * xp.exp(out.astype(xp.float64) ** 2)
        return (g * slope.astype(g.dtype, copy=False),)
    return make(out, (x,), vjp)
