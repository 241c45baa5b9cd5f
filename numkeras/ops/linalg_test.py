"""ops.linalg: values vs NumPy and defining identities, dtypes, errors, and float64 gradients of the composed ops.

The primitives' gradients (inv, det, solve, cholesky, eigh, svd, pinv, lstsq, qr) are checked in
numkeras/engine/matrix_ops_test.py; Keras's answers in tests/keras_parity/ops_math_test.py.
"""
import numpy as np
import pytest

from numkeras import ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.ops import linalg

RNG = np.random.default_rng(5)


def spd(n, batch=()):
    m = RNG.standard_normal(batch + (n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def test_every_keras_linalg_name_is_here():
    names = ("cholesky cholesky_inverse det eig eigh inv jvp lstsq lu_factor matrix_rank norm pinv qr solve "
             "solve_triangular svd").split()
    assert sorted(linalg.__all__) == sorted(names)
    assert all(getattr(ops, n) is getattr(linalg, n) for n in names)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_inverse(upper):
    a = spd(3, (2,))
    factor = linalg.cholesky(a, upper=upper)
    np.testing.assert_allclose(linalg.cholesky_inverse(factor, upper=upper).numpy(), np.linalg.inv(a), atol=1e-12)
    low = np.linalg.cholesky(spd(3))
    check_gradients(lambda f: linalg.cholesky_inverse(f), low)


@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (3, 5), (2, 4, 4)])
def test_lu_factor_reconstructs_the_matrix(shape):
    a = RNG.standard_normal(shape)
    lu, pivots = linalg.lu_factor(a)
    assert pivots.dtype == "int32" and pivots.shape == shape[:-2] + (min(shape[-2:]),)
    m, n = shape[-2:]
    for index in np.ndindex(*shape[:-2]):
        packed, piv = lu.numpy()[index], pivots.numpy()[index]
        k = min(m, n)
        lower = np.tril(packed, -1)[:, :k] + np.eye(m, k)
        upper = np.triu(packed)[:k]
        permuted = a[index].copy()
        for i, p in enumerate(piv):  # apply the row swaps in order
            permuted[[i, p]] = permuted[[p, i]]
        np.testing.assert_allclose(lower @ upper, permuted, atol=1e-12)
        assert np.all(np.abs(np.tril(packed, -1)) <= 1 + 1e-12)  # partial pivoting bounds the multipliers


def test_lu_factor_of_a_singular_matrix_has_no_nan():
    lu, _ = linalg.lu_factor(np.array([[0.0, 1.0], [0.0, 2.0]]))
    assert np.all(np.isfinite(lu.numpy()))


VECTOR_ORDS = [None, 1, 2, 3, 0.5, np.inf, -np.inf]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS + [0])
def test_vector_norms(ord):
    x = RNG.standard_normal((3, 5))
    np.testing.assert_allclose(linalg.norm(x, ord=ord, axis=1).numpy(), np.linalg.norm(x, ord=ord, axis=1))
    np.testing.assert_allclose(linalg.norm(x, ord=ord, axis=0, keepdims=True).numpy(),
                               np.linalg.norm(x, ord=ord, axis=0, keepdims=True))
    if ord != 0:
        check_gradients(lambda a: linalg.norm(a, ord=ord, axis=-1), x)


@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norms(ord):
    x = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(linalg.norm(x, ord=ord, axis=(1, 2)).numpy(), np.linalg.norm(x, ord=ord, axis=(1, 2)))
    np.testing.assert_allclose(linalg.norm(x, ord=ord, axis=(2, 0), keepdims=True).numpy(),
                               np.linalg.norm(x, ord=ord, axis=(2, 0), keepdims=True))
    check_gradients(lambda a: linalg.norm(a, ord=ord, axis=(1, 2)), x)


def test_norm_defaults_dtypes_and_errors():
    x = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(float(linalg.norm(x)), np.sqrt((x ** 2).sum()))
    np.testing.assert_allclose(float(linalg.norm(x[0], ord=1)), np.linalg.norm(x[0], ord=1))
    assert linalg.norm(np.array([3, 4], "int32")).dtype == "float32"
    check_float32(lambda a: linalg.norm(a, axis=-1), x)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        linalg.norm(x, ord=1)
    with pytest.raises(ValueError, match="invalid ord"):
        linalg.norm(x, ord=3, axis=(1, 2))
    with pytest.raises(ValueError, match="matrix norm"):
        linalg.norm(x, ord="fro", axis=1)


def test_matrix_rank():
    a = RNG.standard_normal((2, 4, 2)) @ RNG.standard_normal((2, 2, 5))  # rank 2
    out = linalg.matrix_rank(a)
    assert out.dtype == "int32" and out.numpy().tolist() == [2, 2]
    assert int(linalg.matrix_rank(np.eye(3))) == 3
    assert int(linalg.matrix_rank(np.diag([1.0, 1e-3, 0.0]), tol=1e-2)) == 1
    with pytest.raises(ValueError, match="rank >= 2"):
        linalg.matrix_rank(np.ones(3))


def test_eig_is_complex_and_solves_the_eigenproblem():
    a = np.array([[0.0, -1.0], [1.0, 0.0]], "float32")  # rotation: eigenvalues +-i
    w, v = linalg.eig(a)
    assert w.dtype == v.dtype == "complex64"
    np.testing.assert_allclose(sorted(w.numpy().imag), [-1, 1], atol=1e-6)
    np.testing.assert_allclose(a @ v.numpy(), v.numpy() * w.numpy(), atol=1e-6)
    assert linalg.eig(np.eye(2)).__getitem__(0).dtype == "complex128"


def test_wrappers_accept_lists_and_match_numpy():
    a = [[4.0, 1.0], [1.0, 3.0]]
    np.testing.assert_allclose(linalg.inv(a).numpy(), np.linalg.inv(a), rtol=1e-6)
    np.testing.assert_allclose(linalg.det(a).numpy(), 11.0, rtol=1e-6)
    np.testing.assert_allclose(linalg.solve(a, [1.0, 2.0]).numpy(), np.linalg.solve(a, [1.0, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(linalg.pinv(a).numpy(), np.linalg.pinv(a), rtol=1e-5)
    np.testing.assert_allclose(linalg.eigh(a)[0].numpy(), np.linalg.eigvalsh(a), rtol=1e-6)
    np.testing.assert_allclose(linalg.svd(a, compute_uv=False).numpy(), np.linalg.svd(a, compute_uv=False), rtol=1e-6)
    q, r = linalg.qr(a)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), a, rtol=1e-6)
    np.testing.assert_allclose(linalg.lstsq(a, [1.0, 2.0]).numpy(), np.linalg.solve(a, [1.0, 2.0]), rtol=1e-5)


def numeric_jvp(fn, x, t, eps=1e-6):
    return (np.asarray(fn(x + eps * t)) - np.asarray(fn(x - eps * t))) / (2 * eps)


def test_jvp_matches_a_directional_derivative():
    x, t = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))
    fn = lambda a: ops.logsumexp(a * a, axis=-1)  # noqa: E731
    out, tangent = linalg.jvp(fn, (x,), (t,))
    np.testing.assert_allclose(out.numpy(), np.asarray(fn(x)))
    np.testing.assert_allclose(tangent.numpy(), numeric_jvp(fn, x, t), rtol=1e-6)


def test_jvp_of_several_inputs_outputs_and_aux():
    x, y = RNG.standard_normal(3), RNG.standard_normal(3)
    tx, ty = RNG.standard_normal(3), RNG.standard_normal(3)

    def fn(a, b):
        return (a * b, ops.sum(a)), "aux"
    (prod, total), (t_prod, t_total), aux = linalg.jvp(fn, (x, y), (tx, ty), has_aux=True)
    assert aux == "aux"
    np.testing.assert_allclose(t_prod.numpy(), tx * y + x * ty)
    np.testing.assert_allclose(float(t_total), tx.sum())
    with pytest.raises(ValueError, match="shape"):
        linalg.jvp(lambda a: a, (x,), (np.ones(2),))
