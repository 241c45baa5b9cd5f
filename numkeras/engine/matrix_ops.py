"""Matrix functions and factorizations over the last two axes, each forward beside its gradient.

Every op works on a stack of matrices `(..., m, n)`. The gradients are the textbook
reverse-mode formulas (Giles, "An extended collection of matrix derivative results", 2008;
Murray, "Differentiation of the Cholesky decomposition", 2016), with `X^-T` for the inverse
transpose and `sym(X) = (X + X^T) / 2`:

- `inv`: `-A^-T G A^-T`; `det`: `g det(A) A^-T`; `logabsdet` (log|det A|): `g A^-T`.
- `solve(A, B) = X`: `B_bar = A^-T G`, `A_bar = -B_bar X^T`; `solve_triangular` the same, kept
  to the triangle it reads.
- `cholesky`: the input is symmetrized first (as JAX does), so its gradient is symmetric:
  `sym(L^-T Phi(L^T G) L^-1)`, `Phi` = lower triangle with the diagonal halved.
- `eigh`: symmetrized input; eigenvalues `V diag(g) V^T`; eigenvectors
  `sym(V (F o V^T G) V^T)`, `F_ij = 1 / (w_j - w_i)` (distinct eigenvalues assumed).
- `svd`: the singular values `U diag(g) V^T`; U and V are returned outside the graph.
- `pinv` (constant rank): `-P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)`, `P = A^+`;
  `lstsq(A, b) = A^+ b` uses it with `G b^T`, and `b_bar = P^T g`.
- `qr` (reduced, `m >= n`): with `M = R G_R^T - G_Q^T Q` copied from its lower triangle to the
  upper, `A_bar = (G_Q + Q M) R^-T`.

Integer inputs are computed in floatx, as Keras's JAX backend does.

Example:
    >>> from numkeras.engine import matrix_ops
    >>> matrix_ops.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
"""
from numkeras.backend import errstate as _errstate
from numkeras.backend import xp
from numkeras.engine.tensor import Tensor, as_tensor, make


def _t(m):
    return xp.swapaxes(m, -1, -2)


def _sym(m):
    return 0.5 * (m + _t(m))


def matrix_input(x, name, square=True, min_rank=2):
    """`x` as a float Tensor of rank >= 2 (ints become floatx), checked to be square if asked."""
    x = as_tensor(x)
    if x.data.dtype.kind not in "fc":
        from numkeras.backend import floatx
        from numkeras.engine.math_ops import cast
        x = cast(x, floatx())
    if x.ndim < min_rank:
        raise ValueError(f"{name}: expected input to have rank >= {min_rank}. Received input with shape {x.shape}.")
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{name}: expected a square matrix (or a stack of them). Received non-square input with "
                         f"shape {x.shape}.")
    return x


def inv(a):
    """The inverse of each square matrix."""
    a = matrix_input(a, "inv")
    out = xp.linalg.inv(a.data)
    return make(out, (a,), lambda g: (-_t(out) @ g @ _t(out),))


def det(a):
    """The determinant of each square matrix."""
    a = matrix_input(a, "det")
    out = xp.linalg.det(a.data)

    def vjp(g):
        return ((g * out)[..., None, None] * _t(xp.linalg.inv(a.data)),)
    return make(out, (a,), vjp)


def logabsdet(a):
    """log |det A| of each square matrix (`slogdet`'s second part): stable where det over- or underflows."""
    a = matrix_input(a, "logdet")
    out = xp.linalg.slogdet(a.data)[1]
    return make(out, (a,), lambda g: (g[..., None, None] * _t(xp.linalg.inv(a.data)),))


def _as_matrix_rhs(a, b, vector):
    return b.data[..., None] if vector else b.data


def solve(a, b):
    """X with `A X = B`; `b` of rank 1 is one right-hand side vector, otherwise `(..., m, k)`."""
    a = matrix_input(a, "solve")
    b = as_tensor(b)
    if b.data.dtype != a.data.dtype:
        from numkeras.engine.math_ops import cast
        b = cast(b, a.data.dtype)
    vector = b.ndim == 1
    if b.shape[-1 if vector else -2] != a.shape[-1]:
        raise ValueError(f"solve: incompatible shapes a.shape={a.shape}, b.shape={b.shape}. b must be (m,) or "
                         f"(..., m, k) for a of shape (..., m, m).")
    rhs = _as_matrix_rhs(a, b, vector)
    x = xp.linalg.solve(a.data, rhs)

    def vjp(g):
        gb = xp.linalg.solve(_t(a.data), g[..., None] if vector else g)
        ga = -gb @ _t(x) if a.requires_grad else None
        return (ga, gb[..., 0] if vector else gb)
    return make(x[..., 0] if vector else x, (a, b), vjp)


def _triangle(m, lower):
    return xp.tril(m) if lower else xp.triu(m)


def solve_triangular(a, b, lower=False):
    """X with `T X = B` for `T` the lower (or upper) triangle of `a`; the other entries are not read.

    `b` of rank `a.ndim - 1` is a (stack of) vector(s).
    """
    a = matrix_input(a, "solve_triangular")
    b = as_tensor(b)
    if b.data.dtype != a.data.dtype:
        from numkeras.engine.math_ops import cast
        b = cast(b, a.data.dtype)
    vector = b.ndim == a.ndim - 1
    tri = _triangle(a.data, lower)
    x = xp.linalg.solve(tri, _as_matrix_rhs(a, b, vector))

    def vjp(g):
        gb = xp.linalg.solve(_t(tri), g[..., None] if vector else g)
        ga = _triangle(-gb @ _t(x), lower) if a.requires_grad else None
        return (ga, gb[..., 0] if vector else gb)
    return make(x[..., 0] if vector else x, (a, b), vjp)


def cholesky(a, upper=False):
    """The Cholesky factor of each symmetric positive-definite matrix: lower `L` (`A = L L^T`), or `L^T`."""
    a = matrix_input(a, "cholesky")
    try:
        low = xp.linalg.cholesky(_sym(a.data))
    except xp.linalg.LinAlgError as e:
        raise ValueError(f"Cholesky decomposition failed: the input is not a symmetric positive-definite matrix "
                         f"({e}).") from None

    def vjp(g):
        if upper:
            g = _t(g)
        phi = xp.tril(_t(low) @ g)
        phi[..., range(phi.shape[-1]), range(phi.shape[-1])] *= 0.5
        left = xp.linalg.solve(_t(low), phi)  # L^-T Phi
        return (_sym(_t(xp.linalg.solve(_t(low), _t(left)))),)  # L^-T Phi L^-1
    return make(_t(low).copy() if upper else low, (a,), vjp)


def eigh(a):
    """Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix, both differentiable."""
    a = matrix_input(a, "eigh")
    w, v = xp.linalg.eigh(_sym(a.data))

    def values_vjp(g):
        return (_sym((v * g[..., None, :]) @ _t(v)),)

    def vectors_vjp(g):
        gap = w[..., None, :] - w[..., :, None]  # w_j - w_i
        eye = xp.eye(w.shape[-1], dtype=bool)
        with _errstate(divide="ignore"):
            f = xp.where(eye, 0.0, 1.0 / xp.where(eye, 1.0, gap))
        return (_sym(v @ (f * (_t(v) @ g)) @ _t(v)),)
    return make(w, (a,), values_vjp), make(v, (a,), vectors_vjp)


def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = U diag(s) V^T`: `(U, s, V^T)`, or `s` alone.

    The singular values are differentiable; U and V^T are not (they come back outside the graph).
    """
    x = matrix_input(x, "svd", square=False)
    u, s, vh = xp.linalg.svd(x.data, full_matrices=full_matrices)
    k = s.shape[-1]

    def vjp(g):
        return ((u[..., :, :k] * g[..., None, :]) @ vh[..., :k, :],)
    values = make(s, (x,), vjp)
    if not compute_uv:
        return values
    return Tensor(u), values, Tensor(vh)


def default_rcond(shape, dtype):
    """JAX's cut-off for small singular values: `10 * max(m, n) * eps`."""
    return 10 * max(shape[-2:]) * xp.finfo(dtype).eps


def _pinv_vjp(a, p, g):
    m, n = a.shape[-2:]
    left = xp.eye(m, dtype=a.dtype) - a @ p  # I - A P
    right = xp.eye(n, dtype=a.dtype) - p @ a  # I - P A
    return -_t(p) @ g @ _t(p) + left @ _t(g) @ p @ _t(p) + _t(p) @ p @ _t(g) @ right


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of each matrix (singular values below `rcond * s_max` cut)."""
    x = matrix_input(x, "pinv", square=False)
    rcond = default_rcond(x.shape, x.data.dtype) if rcond is None else rcond
    p = xp.linalg.pinv(x.data, rcond=rcond)
    return make(p, (x,), lambda g: (_pinv_vjp(x.data, p, g),))


def lstsq(a, b, rcond=None):
    """The least-squares solution X of `a X = b` for a 2-D `a` (the minimum-norm one if rank-deficient)."""
    a = matrix_input(a, "lstsq", square=False)
    b = as_tensor(b)
    if b.data.dtype != a.data.dtype:
        from numkeras.engine.math_ops import cast
        b = cast(b, a.data.dtype)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(f"lstsq: expected a of shape (m, n) and b of shape (m,) or (m, k). Received "
                         f"a.shape={a.shape}, b.shape={b.shape}.")
    x = xp.linalg.lstsq(a.data, b.data, rcond=rcond)[0]

    def vjp(g):
        p = xp.linalg.pinv(a.data, rcond=default_rcond(a.shape, a.data.dtype) if rcond is None else rcond)
        g2, b2 = (g[:, None], b.data[:, None]) if b.ndim == 1 else (g, b.data)
        ga = _pinv_vjp(a.data, p, g2 @ b2.T) if a.requires_grad else None
        gb = p.T @ g2
        return (ga, gb[:, 0] if b.ndim == 1 else gb)
    return make(x, (a, b), vjp)


def qr(x, mode="reduced"):
    """The QR decomposition of each matrix: `(Q, R)`; differentiable for `mode="reduced"` and `m >= n`."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete'. Received: mode={mode!r}.")
    x = matrix_input(x, "qr", square=False)
    q, r = xp.linalg.qr(x.data, mode=mode)
    m, n = x.shape[-2:]
    if mode == "complete" and m != n or m < n:
        return Tensor(q), Tensor(r)  # outside the graph: no gradient formula for these shapes here

    def back(gq, gr):
        mm = r @ _t(gr) - _t(gq) @ q
        mm = xp.tril(mm) + _t(xp.tril(mm, -1))
        b = gq + q @ mm
        return (_t(xp.linalg.solve(r, _t(b))),)  # b R^-T

    zq, zr = xp.zeros_like(q), xp.zeros_like(r)
    return make(q, (x,), lambda g: back(g, zr)), make(r, (x,), lambda g: back(zq, g))
