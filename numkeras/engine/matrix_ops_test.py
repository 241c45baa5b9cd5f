"""Matrix functions: values vs NumPy's linalg and defining identities, gradients vs central differences."""
import numpy as np
import pytest

from numkeras.engine import matrix_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(0)


def well_conditioned(*shape):
    n = shape[-1]
    return RNG.standard_normal(shape) + 3 * np.eye(n)


def spd(*shape):
    m = RNG.standard_normal(shape)
    return m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])


def test_inv_det_logabsdet_values():
    a = well_conditioned(2, 3, 3)
    np.testing.assert_allclose(matrix_ops.inv(a).numpy() @ a, np.broadcast_to(np.eye(3), a.shape), atol=1e-12)
    np.testing.assert_allclose(matrix_ops.det(a).numpy(), np.linalg.det(a))
    np.testing.assert_allclose(matrix_ops.logabsdet(a).numpy(), np.log(np.abs(np.linalg.det(a))))
    assert matrix_ops.inv(np.eye(2, dtype="int32")).dtype == "float32"


@pytest.mark.parametrize("op", [matrix_ops.inv, matrix_ops.det, matrix_ops.logabsdet])
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)])
def test_inv_det_gradients(op, shape):
    check_gradients(op, well_conditioned(*shape))


@pytest.mark.parametrize("a_shape,b_shape", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 4)),
                                             ((2, 3, 3), (3,)), ((2, 3, 3), (3, 1))])
def test_solve(a_shape, b_shape):
    a, b = well_conditioned(*a_shape), RNG.standard_normal(b_shape)
    out = matrix_ops.solve(a, b).numpy()
    expected = np.linalg.solve(a, b[..., None])[..., 0] if len(b_shape) == 1 else np.linalg.solve(a, b)
    np.testing.assert_allclose(out, expected, atol=1e-12)
    check_gradients(matrix_ops.solve, a, b)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("a_shape,b_shape", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3))])
def test_solve_triangular_reads_one_triangle(lower, a_shape, b_shape):
    a, b = well_conditioned(*a_shape), RNG.standard_normal(b_shape)
    tri = np.tril(a) if lower else np.triu(a)
    out = matrix_ops.solve_triangular(a, b, lower=lower).numpy()
    rhs = b[..., None] if len(b_shape) == len(a_shape) - 1 else b
    expected = np.linalg.solve(tri, rhs)
    np.testing.assert_allclose(out, expected[..., 0] if rhs is not b else expected, atol=1e-12)
    grads = check_gradients(lambda x, y: matrix_ops.solve_triangular(x, y, lower=lower), a, b)
    np.testing.assert_array_equal(grads[0], np.tril(grads[0]) if lower else np.triu(grads[0]))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(upper):
    a = spd(2, 3, 3)
    out = matrix_ops.cholesky(a, upper=upper).numpy()
    low = np.swapaxes(out, -1, -2) if upper else out
    np.testing.assert_allclose(low @ np.swapaxes(low, -1, -2), a, atol=1e-12)
    np.testing.assert_array_equal(low, np.tril(low))
    check_gradients(lambda x: matrix_ops.cholesky(x, upper=upper), a)
    with pytest.raises(ValueError, match="positive-definite"):
        matrix_ops.cholesky(-np.eye(2))


def test_eigh_values_vectors_and_gradients():
    a = spd(2, 4, 4)
    w, v = matrix_ops.eigh(a)
    np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(a))
    np.testing.assert_allclose(a @ v.numpy(), v.numpy() * w.numpy()[..., None, :], atol=1e-10)
    check_gradients(lambda x: matrix_ops.eigh(x)[0], a)
    # eigenvectors are defined up to sign: a sign-invariant function of them
    check_gradients(lambda x: matrix_ops.eigh(x)[1] * matrix_ops.eigh(x)[1], a, rtol=1e-4)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
def test_svd_values_and_singular_value_gradient(shape):
    x = RNG.standard_normal(shape)
    u, s, vh = matrix_ops.svd(x, full_matrices=False)
    np.testing.assert_allclose((u.numpy() * s.numpy()[..., None, :]) @ vh.numpy(), x, atol=1e-12)
    assert matrix_ops.svd(x).__len__() == 3 and matrix_ops.svd(x)[0].shape[-1] == shape[-2]
    np.testing.assert_allclose(matrix_ops.svd(x, compute_uv=False).numpy(), np.linalg.svd(x, compute_uv=False))
    check_gradients(lambda a: matrix_ops.svd(a, compute_uv=False), x)
    check_gradients(lambda a: matrix_ops.svd(a)[1], x)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (3, 3)])
def test_pinv(shape):
    x = RNG.standard_normal(shape)
    np.testing.assert_allclose(matrix_ops.pinv(x).numpy(), np.linalg.pinv(x), atol=1e-12)
    check_gradients(matrix_ops.pinv, x)


@pytest.mark.parametrize("a_shape,b_shape", [((5, 3), (5,)), ((5, 3), (5, 2)), ((3, 3), (3, 2)), ((3, 5), (3,))])
def test_lstsq(a_shape, b_shape):
    a, b = RNG.standard_normal(a_shape), RNG.standard_normal(b_shape)
    np.testing.assert_allclose(matrix_ops.lstsq(a, b).numpy(), np.linalg.lstsq(a, b)[0], atol=1e-12)
    check_gradients(matrix_ops.lstsq, a, b)


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (2, 5, 2)])
def test_qr(shape):
    x = RNG.standard_normal(shape)
    q, r = matrix_ops.qr(x)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), x, atol=1e-12)
    np.testing.assert_allclose(np.swapaxes(q.numpy(), -1, -2) @ q.numpy(),
                               np.broadcast_to(np.eye(shape[-1]), shape[:-2] + (shape[-1],) * 2), atol=1e-12)
    check_gradients(lambda a: matrix_ops.qr(a)[0], x)
    check_gradients(lambda a: matrix_ops.qr(a)[1], x)
    qc, rc = matrix_ops.qr(np.ones((4, 2)), mode="complete")
    assert qc.shape == (4, 4) and rc.shape == (4, 2)
    with pytest.raises(ValueError, match="mode"):
        matrix_ops.qr(x, mode="r")


def test_float32_stays_float32():
    a = well_conditioned(3, 3).astype("float32")
    for op in (matrix_ops.inv, matrix_ops.det, matrix_ops.pinv, lambda x: matrix_ops.svd(x)[1],
               lambda x: matrix_ops.eigh(x)[0], lambda x: matrix_ops.solve(x, np.ones((3, 1), "float32"))):
        check_float32(op, a)


def test_shape_errors_name_the_op():
    with pytest.raises(ValueError, match="inv: expected a square"):
        matrix_ops.inv(np.ones((2, 3)))
    with pytest.raises(ValueError, match="rank >= 2"):
        matrix_ops.det(np.ones(3))
