"""The compiled softmax row passes equal the NumPy code they stand in for (attention_ops), bit for bit."""
import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.backend import compiled_kernels
from numkeras.engine import attention_kernels, attention_ops

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); the NumPy path is "
                                    "what attention_ops runs without it")

LENGTHS = [1, 3, 7, 8, 9, 15, 16, 127, 128, 129, 200, 255, 256, 300, 1031]


def rows(length, dtype, seed=0):
    """Rows of random values, some with the cases where a loop and NumPy could part ways."""
    a = (np.random.default_rng(seed).standard_normal((6, length)) * 3).astype(dtype)
    a[1, 0] = np.nan
    a[2, -1] = np.inf
    a[3, :] = -0.0  # a row of negative zeros: how the sums start (+0.0 or the first entry) shows
    a[4, length // 2] = -np.inf
    a[5, -1] = -np.abs(np.nan)  # a NaN with its sign bit set, last: the row maximum's NaN check sees both signs
    return a


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("length", LENGTHS)
def test_row_passes_equal_numpy(dtype, length):
    with np.errstate(invalid="ignore", divide="ignore"):
        x = rows(length, dtype)
        shifted = x.copy()
        assert attention_kernels.shift_rows(shifted) is shifted
        np.testing.assert_array_equal(shifted, x - x.max(axis=-1, keepdims=True))

        e = np.abs(rows(length, dtype, seed=1))
        e[3, :] = 0.0
        normalized = e.copy()
        assert attention_kernels.normalize_rows(normalized) is normalized
        np.testing.assert_array_equal(normalized, e / e.sum(axis=-1, keepdims=True))

        dp, p = rows(length, dtype, seed=2), np.abs(rows(length, dtype, seed=3))
        got = dp.copy()
        assert attention_kernels.softmax_gradient_rows(got, p) is got
        np.testing.assert_array_equal(got, (dp - (dp * p).sum(axis=-1, keepdims=True)) * p)


def _attention_outputs_and_gradients(masked, dtype):
    rng = np.random.default_rng(0)
    q, k, v = (numkeras.Variable(rng.standard_normal(shape).astype(dtype), dtype=dtype)
               for shape in ((3, 130, 2, 4), (3, 140, 2, 4), (3, 140, 2, 5)))
    mask = rng.random((3, 1, 130, 140)) > 0.3 if masked else None
    with numkeras.GradientTape() as tape:
        out = attention_ops.attention(q, k, v, mask)
        loss = ops.sum(out * out)
    return [out.numpy()] + [g.numpy() for g in tape.gradient(loss, [q, k, v])]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("masked", [False, True])
def test_attention_with_kernels_equals_numpy_bit_for_bit(masked, dtype):
    try:
        compiled_kernels.set_enabled(True)
        compiled = _attention_outputs_and_gradients(masked, dtype)
        compiled_kernels.set_enabled(False)
        reference = _attention_outputs_and_gradients(masked, dtype)
    finally:
        compiled_kernels.set_enabled(True)
    for got, want in zip(compiled, reference):
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, want)


def test_the_kernels_decline_what_they_do_not_take():
    x = np.ones((4, 3), "float32")
    assert attention_kernels.shift_rows(x.T) is None  # not C-contiguous
    assert attention_kernels.shift_rows(np.ones((4, 3), "int32")) is None
    assert attention_kernels.softmax_gradient_rows(x, x.astype("float64")) is None
    compiled_kernels.set_enabled(False)
    try:
        assert attention_kernels.normalize_rows(x) is None
    finally:
        compiled_kernels.set_enabled(True)
