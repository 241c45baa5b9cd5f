"""Linear-algebra ops: solves, factorizations, norms (Keras's `keras.ops.linalg`).

Each function works on a matrix or a stack of matrices (the last two axes). Differentiable
where Keras's are, with the gradients of engine/matrix_ops.py: `inv`, `det`, `solve`,
`solve_triangular`, `cholesky`, `cholesky_inverse`, `eigh`, `qr` (reduced, `m >= n`), `pinv`,
`lstsq`, `norm` and the singular values of `svd` (its U and V are not). `eig`, `lu_factor` and
`matrix_rank` are not differentiable. `jvp` is exact but runs one reverse pass per output
element (see its docstring).

Example:
    >>> from numkeras.ops import linalg
    >>> linalg.det([[1.0, 2.0], [3.0, 4.0]]).numpy().round(5)
    np.float32(-2.0)
"""
import numpy as _np

from numkeras.backend import floatx as _floatx
from numkeras.engine import linalg_ops as _linalg_ops
from numkeras.engine import math_ops as _math_ops
from numkeras.engine import matrix_ops as _matrix_ops
from numkeras.engine import reduction_ops as _reduction_ops
from numkeras.engine import shape_ops as _shape_ops
from numkeras.engine.tape import GradientTape as _GradientTape
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_tensor as _tensor


def cholesky(x, upper=False):
    """The Cholesky factor of each symmetric positive-definite matrix.

    Args:
        x: `(..., n, n)`; it is symmetrized first (`(x + x^T) / 2`).
        upper: return the upper factor `U` (`x = U^T U`) instead of the lower `L` (`x = L L^T`).
            Defaults to False.

    Raises:
        ValueError: when `x` is not positive definite.

    Example:
        >>> cholesky([[4.0, 2.0], [2.0, 5.0]]).numpy()
        array([[2., 0.],
               [1., 2.]], dtype=float32)
    """
    return _matrix_ops.cholesky(_tensor(x), upper=upper)


def cholesky_inverse(x, upper=False):
    """The inverse of `A = L L^T` (or `U^T U`) from its Cholesky factor `x`.

    Args:
        x: the lower (or, with `upper=True`, upper) triangular factor, `(..., n, n)`.
        upper: whether `x` is the upper factor. Defaults to False.

    Example:
        >>> cholesky_inverse([[2.0, 0.0], [1.0, 2.0]]).numpy()
        array([[ 0.3125, -0.125 ],
               [-0.125 ,  0.25  ]], dtype=float32)
    """
    x = _matrix_ops.matrix_input(_tensor(x), "cholesky_inverse")
    identity = _np.broadcast_to(_np.eye(x.shape[-1], dtype=x.data.dtype), x.shape)
    inv_factor = _matrix_ops.solve_triangular(x, identity, lower=not upper)
    swapped = _swap(inv_factor)
    if upper:  # A = U^T U: A^-1 = U^-1 U^-T
        return _linalg_ops.matmul(inv_factor, swapped)
    return _linalg_ops.matmul(swapped, inv_factor)  # A = L L^T: A^-1 = L^-T L^-1


def _swap(x):
    order = list(range(x.ndim))
    order[-1], order[-2] = order[-2], order[-1]
    return _shape_ops.transpose(x, order)


def det(x):
    """The determinant of each square matrix.

    Example:
        >>> det([[2.0, 0.0], [0.0, 3.0]]).numpy()
        array(6., dtype=float32)
    """
    return _matrix_ops.det(_tensor(x))


def eig(x):
    """Eigenvalues and eigenvectors (columns) of each square matrix, as complex tensors (not differentiable).

    float32 input gives complex64, float64 complex128.

    Example:
        >>> w, v = eig([[2.0, 0.0], [0.0, 3.0]])
        >>> w.numpy()
        array([2.+0.j, 3.+0.j], dtype=complex64)
    """
    x = _matrix_ops.matrix_input(_tensor(x), "eig")
    w, v = _np.linalg.eig(x.data)
    complex_dtype = _np.complex128 if x.data.dtype == _np.float64 else _np.complex64
    return _Tensor(w.astype(complex_dtype)), _Tensor(v.astype(complex_dtype))


def eigh(x):
    """Eigenvalues (ascending) and orthonormal eigenvectors (columns) of each symmetric matrix.

    Both are differentiable (the vectors for distinct eigenvalues); `x` is symmetrized first.

    Example:
        >>> w, v = eigh([[2.0, 1.0], [1.0, 2.0]])
        >>> w.numpy()
        array([1., 3.], dtype=float32)
    """
    return _matrix_ops.eigh(_tensor(x))


def inv(x):
    """The inverse of each square matrix.

    Example:
        >>> inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
        array([[0.5 , 0.  ],
               [0.  , 0.25]], dtype=float32)
    """
    return _matrix_ops.inv(_tensor(x))


def lu_factor(x):
    """LU factorization with partial pivoting, LAPACK's compact form (not differentiable).

    Returns:
        `(lu, pivots)`: `lu` holds `U` on and above the diagonal and the multipliers of the
        unit-diagonal `L` below it; `pivots[i]` (int32) is the row swapped with row `i` at step `i`.

    Example:
        >>> lu, pivots = lu_factor([[1.0, 2.0], [3.0, 4.0]])
        >>> lu.numpy().round(4), pivots.numpy()
        (array([[3.    , 4.    ],
               [0.3333, 0.6667]], dtype=float32), array([1, 1], dtype=int32))
    """
    x = _matrix_ops.matrix_input(_tensor(x), "lu_factor", square=False)
    batch, (m, n) = x.shape[:-2], x.shape[-2:]
    a = x.data.reshape((-1, m, n)).copy()
    steps = min(m, n)
    pivots = _np.zeros((a.shape[0], steps), _np.int32)
    rows = _np.arange(a.shape[0])
    for j in range(steps):
        p = j + _np.argmax(_np.abs(a[:, j:, j]), axis=1)
        pivots[:, j] = p
        top = a[rows, j].copy()
        a[rows, j] = a[rows, p]
        a[rows, p] = top
        pivot = a[:, j, j]
        scale = _np.where(pivot == 0, 0, 1 / _np.where(pivot == 0, 1, pivot))  # a zero column stays as it is
        a[:, j + 1:, j] *= scale[:, None]
        a[:, j + 1:, j + 1:] -= a[:, j + 1:, j, None] * a[:, j, None, j + 1:]
    return _Tensor(a.reshape(x.shape)), _Tensor(pivots.reshape(batch + (steps,)))


def _float(x):
    x = _tensor(x)
    if x.data.dtype.kind != "f":
        x = _math_ops.cast(x, _floatx())
    return x


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - Keras's argument name
    """A vector norm (over one axis) or a matrix norm (over two), differentiable.

    Args:
        x: a tensor (integers give floatx).
        ord: the order. Vectors: None or 2 (Euclidean), 1, inf, -inf, 0 (the count of nonzero
            entries), or any other number p (`sum(|x|^p)^(1/p)`). Matrices: None or "fro"
            (Frobenius), "nuc" (sum of singular values), 1, -1 (max/min column sum), inf, -inf
            (max/min row sum), 2, -2 (largest/smallest singular value). Defaults to None.
        axis: None (with `ord=None`, the 2-norm of all of `x`; otherwise `x` must be 1-D or 2-D),
            an int (vector norm) or a pair of ints (matrix norm). Defaults to None.
        keepdims: keep the reduced axes with size 1. Defaults to False.

    Example:
        >>> norm([[3.0, 4.0], [0.0, 0.0]]).numpy()
        array(5., dtype=float32)
        >>> norm([[1.0, -2.0], [3.0, 4.0]], ord=1).numpy()
        array(6., dtype=float32)
    """
    x = _float(x)
    if axis is None:
        if ord is None:
            out = _math_ops.sqrt(_reduction_ops.sum(_math_ops.square(x), axis=None, keepdims=keepdims))
            return out
        if x.ndim not in (1, 2):
            raise ValueError(f"norm: with ord={ord!r} and axis=None, x must be 1-D or 2-D. Received x.shape="
                             f"{x.shape}. Pass axis=.")
        axis = tuple(range(x.ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % x.ndim for a in axes)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2 and axes[0] != axes[1]:
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError(f"norm: axis must be an int or a pair of distinct ints. Received: axis={axis!r}.")


def _vector_norm(x, ord, axis, keepdims):  # noqa: A002
    absx = _math_ops.abs(x)
    if ord is None or ord == 2:
        return _math_ops.sqrt(_reduction_ops.sum(_math_ops.square(x), axis=axis, keepdims=keepdims))
    if ord == _np.inf:
        return _reduction_ops.max(absx, axis=axis, keepdims=keepdims)
    if ord == -_np.inf:
        return _reduction_ops.min(absx, axis=axis, keepdims=keepdims)
    if ord == 0:
        return _Tensor(_np.sum(x.data != 0, axis=axis, keepdims=keepdims).astype(x.data.dtype))
    if ord == 1:
        return _reduction_ops.sum(absx, axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; a vector norm takes a number. Pass axis as a pair "
                         f"for a matrix norm.")
    total = _reduction_ops.sum(_math_ops.power(absx, float(ord)), axis=axis, keepdims=keepdims)
    return _math_ops.power(total, 1.0 / float(ord))


def _matrix_norm(x, ord, axes, keepdims):  # noqa: A002
    row, col = axes
    if ord in (None, "fro"):
        out = _math_ops.sqrt(_reduction_ops.sum(_math_ops.square(x), axis=axes, keepdims=True))
    elif ord in ("nuc", 2, -2):
        rest = [a for a in range(x.ndim) if a not in axes]
        values = _matrix_ops.svd(_shape_ops.transpose(x, rest + [row, col]), compute_uv=False)
        reduce = {"nuc": _reduction_ops.sum, 2: _reduction_ops.max, -2: _reduction_ops.min}[ord]
        out = reduce(values, axis=-1)
        for a in sorted(axes):
            out = _shape_ops.expand_dims(out, a)
    elif ord in (1, -1, _np.inf, -_np.inf):
        summed, other = (row, col) if ord in (1, -1) else (col, row)  # column sums for 1, row sums for inf
        sums = _reduction_ops.sum(_math_ops.abs(x), axis=summed, keepdims=True)
        reduce = _reduction_ops.max if ord in (1, _np.inf) else _reduction_ops.min
        out = reduce(sums, axis=other, keepdims=True)
    else:
        raise ValueError(f"norm: invalid ord for a matrix norm. Expected one of None, 'fro', 'nuc', 1, -1, 2, -2, "
                         f"inf, -inf. Received: ord={ord!r}.")
    return out if keepdims else _shape_ops.squeeze(out, axes)


def qr(x, mode="reduced"):
    """QR decomposition of each matrix: `(q, r)` with orthonormal columns in `q`, upper-triangular `r`.

    Args:
        x: `(..., m, n)`.
        mode: "reduced" (`q` `(..., m, k)`, `r` `(..., k, n)`, `k = min(m, n)`) or "complete"
            (`q` square). Defaults to "reduced". Differentiable for "reduced" with `m >= n`.

    Example:
        >>> q, r = qr([[3.0, 0.0], [4.0, 5.0]])
        >>> abs(r.numpy()).round(4)
        array([[5., 4.],
               [0., 3.]], dtype=float32)
    """
    return _matrix_ops.qr(_tensor(x), mode=mode)


def solve(a, b):
    """Solves `a x = b` for each square `a`.

    Args:
        a: `(..., m, m)`.
        b: `(m,)` (one vector) or `(..., m, k)`.

    Example:
        >>> solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0]).numpy()
        array([1. , 0.5], dtype=float32)
    """
    return _matrix_ops.solve(_tensor(a), _tensor(b))


def solve_triangular(a, b, lower=False):
    """Solves `t x = b` with `t` the upper (or, `lower=True`, lower) triangle of `a`.

    Args:
        a: `(..., m, m)`; the other triangle is not read.
        b: `(..., m)` (vectors) or `(..., m, k)`.
        lower: use the lower triangle. Defaults to False.

    Example:
        >>> solve_triangular([[2.0, 0.0], [1.0, 1.0]], [2.0, 3.0], lower=True).numpy()
        array([1., 2.], dtype=float32)
    """
    return _matrix_ops.solve_triangular(_tensor(a), _tensor(b), lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u diag(s) v`: `(u, s, v)`, or `s` alone.

    Args:
        x: `(..., m, n)`.
        full_matrices: square `u` and `v` (else `(.., m, k)` and `(.., k, n)`). Defaults to True.
        compute_uv: return `(u, s, v)`; else only `s`. Defaults to True.

    The singular values (descending) are differentiable; `u` and `v` are not.

    Example:
        >>> svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False).numpy()
        array([4., 3.], dtype=float32)
    """
    return _matrix_ops.svd(_tensor(x), full_matrices=full_matrices, compute_uv=compute_uv)


def lstsq(a, b, rcond=None):
    """The least-squares solution `x` of `a x = b` (minimum norm when `a` is rank-deficient).

    Args:
        a: `(m, n)`.
        b: `(m,)` or `(m, k)`.
        rcond: singular values below `rcond * s_max` count as zero. Defaults to
            `max(m, n) * eps`.

    Example:
        >>> lstsq([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 1.0, 2.0]).numpy().round(4)
        array([1., 1.], dtype=float32)
    """
    return _matrix_ops.lstsq(_tensor(a), _tensor(b), rcond=rcond)


def matrix_rank(x, tol=None):
    """The number of singular values above `tol` per matrix, as int32 (not differentiable).

    Args:
        x: `(..., m, n)`.
        tol: the threshold. Defaults to `s_max * max(m, n) * eps`.

    Example:
        >>> matrix_rank([[1.0, 2.0], [2.0, 4.0]]).numpy()
        array(1, dtype=int32)
    """
    x = _matrix_ops.matrix_input(_tensor(x), "matrix_rank", square=False)
    values = _np.linalg.svd(x.data, compute_uv=False)
    if tol is None:
        tol = values.max(axis=-1, keepdims=True) * max(x.shape[-2:]) * _np.finfo(values.dtype).eps
    else:
        tol = _np.asarray(tol.data if isinstance(tol, _Tensor) else tol)[..., None]
    return _Tensor(_np.asarray(_np.sum(values > tol, axis=-1), _np.int32))


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of each matrix, differentiable (where the rank does not change).

    Args:
        x: `(..., m, n)`.
        rcond: singular values below `rcond * s_max` are dropped. Defaults to `10 * max(m, n) * eps`.

    Example:
        >>> pinv([[2.0, 0.0], [0.0, 0.0]]).numpy()
        array([[0.5, 0. ],
               [0. , 0. ]], dtype=float32)
    """
    return _matrix_ops.pinv(_tensor(x), rcond=rcond)


def jvp(fun, primals, tangents, has_aux=False):
    """The Jacobian-vector product of `fun` at `primals` along `tangents` (forward-mode, computed exactly).

    numkeras differentiates in reverse mode only, so the product is assembled from reverse
    passes: `fun` runs once under a persistent tape, then for each output element `i` one
    reverse pass gives the Jacobian row `J_i`, and `(J v)_i = J_i . v`. The result is exact (no
    finite differences), at the cost of one backward pass per output element: fine for the
    small outputs `jvp` is usually asked about, slow for large ones.

    Args:
        fun: a function of `len(primals)` tensors returning a tensor or a tuple/list of tensors
            (with `has_aux`, a pair `(output, aux)`).
        primals: a tuple or list of the inputs.
        tangents: a tuple or list of directions, shaped like `primals`.
        has_aux: whether `fun` returns `(output, aux)`. Defaults to False.

    Returns:
        `(primals_out, tangents_out)`, or `(primals_out, tangents_out, aux)` with `has_aux`.

    Example:
        >>> out, tangent = jvp(lambda x: x * x, ([3.0],), ([1.0],))
        >>> out.numpy(), tangent.numpy()
        (array([9.], dtype=float32), array([6.], dtype=float32))
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)) \
            or len(primals) != len(tangents):
        raise ValueError(f"jvp: primals and tangents must be tuples or lists of one length. Received "
                         f"{type(primals).__name__} and {type(tangents).__name__}.")
    inputs = [_Tensor(_tensor(p).data.copy()) for p in primals]
    directions = [_np.asarray(_tensor(t).data) for t in tangents]
    for p, t in zip(inputs, directions):
        if p.shape != t.shape:
            raise ValueError(f"jvp: each tangent must have its primal's shape. Received {t.shape} for a primal "
                             f"of shape {p.shape}.")
    with _GradientTape(persistent=True) as tape:
        tape.watch(inputs)
        result = fun(*inputs)
    aux = None
    if has_aux:
        result, aux = result
    single = isinstance(result, _Tensor)
    outputs = [result] if single else list(result)
    out_tangents = []
    for out in outputs:
        out = _tensor(out)
        tangent = _np.zeros(out.shape, out.data.dtype if out.data.dtype.kind == "f" else _floatx())
        if out.requires_grad:
            for index in _np.ndindex(*out.shape):
                seed = _np.zeros(out.shape, out.data.dtype)
                seed[index] = 1
                rows = tape.gradient(out, inputs, output_gradients=seed)
                tangent[index] = sum(float(_np.sum(row.numpy() * t)) for row, t in zip(rows, directions)
                                     if row is not None)
        out_tangents.append(_Tensor(tangent))
    outputs = [_tensor(o) for o in outputs]
    primals_out = outputs[0] if single else type(result)(outputs)
    tangents_out = out_tangents[0] if single else type(result)(out_tangents)
    return (primals_out, tangents_out, aux) if has_aux else (primals_out, tangents_out)


__all__ = [name for name in dir() if not name.startswith("_")]
