"""einsum: values vs numpy.einsum, gradients vs central differences, clear errors."""
import numpy as np
import pytest

from numkeras.engine import einsum_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

CASES = [  # (equation, operand shapes)
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("abc,cde->abde", [(2, 3, 4), (4, 2, 5)]),  # EinsumDense: query projection
    ("abcd,cde->abe", [(2, 3, 2, 4), (2, 4, 5)]),  # EinsumDense: output projection
    ("aecd,abcd->acbe", [(2, 5, 3, 4), (2, 6, 3, 4)]),  # MultiHeadAttention: scores
    ("acbe,aecd->abcd", [(2, 3, 6, 5), (2, 5, 3, 4)]),  # MultiHeadAttention: combine
    ("abcde,afcde->abf", [(2, 3, 2, 2, 2), (2, 4, 2, 2, 2)]),
    ("ij,jk", [(3, 4), (4, 2)]),  # implicit output
    ("ij->ji", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij,k->ik", [(3, 4), (5,)]),  # j summed inside the first operand only
    ("i,i->", [(4,), (4,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("...ij,jk->...ik", [(2, 3, 4), (4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),  # ellipsis dims broadcast
    ("bij,bjk->bik", [(1, 3, 4), (2, 4, 5)]),  # a size-1 letter broadcast
    ("...i,j->...", [(2, 3), (4,)]),
]


@pytest.mark.parametrize("equation,shapes", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients(equation, shapes):
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal(s) for s in shapes]
    out = einsum_ops.einsum(equation, *xs)
    np.testing.assert_allclose(out.numpy(), np.einsum(equation, *xs), rtol=1e-12, atol=1e-12)
    check_gradients(lambda *a: einsum_ops.einsum(equation, *a), *xs)
    check_float32(lambda *a: einsum_ops.einsum(equation, *a), *xs)


def test_float32_matches_numpy():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 5, 3, 4)).astype("float32"), rng.standard_normal((2, 6, 3, 4)).astype("float32")
    out = einsum_ops.einsum("aecd,abcd->acbe", a, b)
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), np.einsum("aecd,abcd->acbe", a, b), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("equation,shapes,message", [
    ("ii->i", [(3, 3)], "repeat a letter"),
    ("ij,jk->ik", [(3, 4)], "1 operand"),
    ("ijk,jk->ik", [(3, 4), (4, 2)], "has 2 dimension"),
    ("ij,jk->iz", [(3, 4), (4, 2)], "appear in no operand"),
    ("...ij->ij", [(2, 3, 4)], "needs '...' in the output"),
    ("i1,jk->ik", [(3, 4), (4, 2)], "must be letters"),
])
def test_errors_name_the_problem(equation, shapes, message):
    with pytest.raises(ValueError, match=message):
        einsum_ops.einsum(equation, *[np.ones(s) for s in shapes])


@pytest.mark.parametrize("equation,shapes,bias_shape", [
    ("abc,cde->abde", [(2, 3, 4), (4, 2, 5)], (2, 5)),  # MultiHeadAttention's query projection
    ("abcd,cde->abe", [(2, 3, 2, 4), (2, 4, 5)], (5,)),  # its output projection
    ("ab,bc->ac", [(3, 4), (4, 6)], (6,)),
])
def test_einsum_bias_is_einsum_plus_bias(equation, shapes, bias_shape):
    rng = np.random.default_rng(2)
    x, kernel = (rng.standard_normal(s) for s in shapes)
    bias = rng.standard_normal(bias_shape)
    out = einsum_ops.einsum_bias(equation, x, kernel, bias)
    np.testing.assert_allclose(out.numpy(), np.einsum(equation, x, kernel) + bias, rtol=1e-12, atol=1e-12)
    check_gradients(lambda a, k, b: einsum_ops.einsum_bias(equation, a, k, b), x, kernel, bias)
    check_float32(lambda a, k, b: einsum_ops.einsum_bias(equation, a, k, b), x, kernel, bias)


def test_einsum_bias_widens_to_the_bias_dtype():
    x, kernel = np.ones((2, 3), "float16"), np.ones((3, 4), "float16")
    out = einsum_ops.einsum_bias("ab,bc->ac", x, kernel, np.full(4, 0.5, "float32"))
    assert out.dtype == "float32" and out.numpy().tolist() == [[3.5] * 4] * 2
