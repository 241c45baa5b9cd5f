"""unfold (im2col) and fold (col2im): values against a direct loop, adjointness, gradients, errors."""
import numpy as np
import pytest

from numkeras.engine import fold_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(0)


def loop_unfold(x, k, d, p, s):
    """The definition, one window at a time."""
    n, c, h, w = x.shape
    x = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    out = np.zeros((n, c * k[0] * k[1], oh * ow))
    for b in range(n):
        for oi in range(oh):
            for oj in range(ow):
                for ch in range(c):
                    for i in range(k[0]):
                        for j in range(k[1]):
                            out[b, (ch * k[0] + i) * k[1] + j, oi * ow + oj] = \
                                x[b, ch, oi * s[0] + i * d[0], oj * s[1] + j * d[1]]
    return out


GEOMETRIES = [  # (input shape, kernel_size, dilation, padding, stride)
    ((2, 3, 5, 6), 2, 1, 0, 1),
    ((1, 2, 6, 5), (3, 2), (1, 2), (1, 0), (2, 1)),
    ((1, 1, 7, 7), 3, 2, 2, 3),
    ((2, 2, 4, 4), 2, 1, 0, 2),
]


@pytest.mark.parametrize("shape,k,d,p,s", GEOMETRIES)
def test_unfold_matches_the_definition_and_fold_is_its_adjoint(shape, k, d, p, s):
    pair = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    x = RNG.standard_normal(shape)
    cols = fold_ops.unfold(x, k, d, p, s)
    np.testing.assert_array_equal(cols.numpy(), loop_unfold(x, pair(k), pair(d), pair(p), pair(s)))
    # <unfold(x), y> == <x, fold(y)>: fold is unfold's transpose
    y = RNG.standard_normal(cols.shape)
    folded = fold_ops.fold(y, shape[2:], k, d, p, s)
    assert folded.shape == shape
    np.testing.assert_allclose(np.sum(cols.numpy() * y), np.sum(x * folded.numpy()), rtol=1e-12)
    check_gradients(lambda a: fold_ops.unfold(a, k, d, p, s), x)
    check_gradients(lambda a: fold_ops.fold(a, shape[2:], k, d, p, s), y)


def test_fold_sums_overlapping_windows_and_keeps_float32():
    ones = np.ones((1, 4, 9), "float32")  # 2x2 windows, stride 1, over a 4x4 image
    counts = fold_ops.fold(ones, 4, 2).numpy()[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]])
    check_float32(lambda a: fold_ops.fold(a, 4, 2), ones)
    check_float32(lambda a: fold_ops.unfold(a, 2), np.ones((1, 1, 3, 3)))


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="must be 4-D"):
        fold_ops.unfold(np.zeros((2, 3, 4)), 2)
    with pytest.raises(ValueError, match="no whole window fits"):
        fold_ops.unfold(np.zeros((1, 1, 2, 2)), 3)
    with pytest.raises(ValueError, match="`kernel_size` must be an int or a tuple of two ints"):
        fold_ops.unfold(np.zeros((1, 1, 4, 4)), (2, 2, 2))
    with pytest.raises(ValueError, match=r"must have shape \(N, C \* 4, 9\)"):
        fold_ops.fold(np.zeros((1, 4, 8)), 4, 2)
