"""Pooling ops: values vs a direct-loop reference, gradients vs central differences."""
import itertools

import numpy as np
import pytest

from numkeras.engine import pool_ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable


def reference_pool(x, pool, strides, padding, data_format, mode):
    """Direct loop over output positions; each window keeps only the cells inside the input."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    sizes = x.shape[1:-1]
    if padding == "valid":
        outs = [(n - k) // s + 1 for n, k, s in zip(sizes, pool, strides)]
        starts = [0] * len(sizes)
    else:
        outs = [int(np.ceil(n / s)) for n, s in zip(sizes, strides)]
        starts = [-(max((o - 1) * s + k - n, 0) // 2) for n, k, s, o in zip(sizes, pool, strides, outs)]
    out = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for pos in itertools.product(*(range(o) for o in outs)):
        values = []
        for cell in itertools.product(*(range(k) for k in pool)):
            src = [b + p * s + c for b, p, s, c in zip(starts, pos, strides, cell)]
            if all(0 <= i < n for i, n in zip(src, sizes)):
                values.append(x[(slice(None), *src, slice(None))])
        values = np.stack(values)
        out[(slice(None), *pos, slice(None))] = values.max(0) if mode == "max" else values.mean(0)
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def distinct(shape, seed=0):
    """Values at least 0.1 apart: no ties, so max-pool gradients are well defined."""
    rng = np.random.default_rng(seed)
    return (rng.permutation(int(np.prod(shape))) * 0.1 + rng.uniform(0, 0.01, int(np.prod(shape)))).reshape(shape) - 3


# (spatial shape, pool, strides, padding)
CASES = [
    ((6,), (2,), (2,), "valid"),
    ((7,), (3,), (2,), "same"),
    ((5,), (2,), (1,), "valid"),
    ((6, 6), (2, 2), (2, 2), "valid"),
    ((5, 7), (2, 2), (2, 2), "valid"),  # tiled, odd sizes: last row/column dropped
    ((5, 7), (2, 2), (2, 2), "same"),  # tiled, padded
    ((5, 6), (3, 2), (1, 2), "same"),  # overlapping along one axis
    ((6, 5), (3, 3), (2, 1), "valid"),
    ((7, 7), (2, 2), (3, 3), "valid"),  # strides larger than the pool: cells skipped
    ((5, 6), (1, 2), (1, 1), "same"),
    ((4, 5, 4), (2, 2, 2), (2, 2, 2), "same"),
    ((4, 5, 3), (2, 3, 2), (1, 2, 1), "valid"),
]
IDS = [f"{s}-p{p}-s{st}-{pad}" for s, p, st, pad in CASES]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("spatial,pool,strides,padding", CASES, ids=IDS)
def test_values_match_loop_reference(spatial, pool, strides, padding, data_format, mode):
    shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
    x = np.random.default_rng(1).standard_normal(shape)
    fn = pool_ops.max_pool if mode == "max" else pool_ops.average_pool
    out = fn(x.astype("float32"), pool, strides, padding, data_format)
    expected = reference_pool(x, pool, strides, padding, data_format, mode)
    assert out.dtype == "float32" and out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("spatial,pool,strides,padding", CASES, ids=IDS)
def test_gradients(spatial, pool, strides, padding, data_format, mode):
    shape = (1, *spatial, 2) if data_format == "channels_last" else (1, 2, *spatial)
    fn = pool_ops.max_pool if mode == "max" else pool_ops.average_pool
    check_gradients(lambda x: fn(x, pool, strides, padding, data_format), distinct(shape))
    check_float32(lambda x: fn(x, pool, strides, padding, data_format), distinct(shape).astype("float32"))


@pytest.mark.parametrize("pool,strides", [((2, 2), (2, 2)), ((3, 3), (1, 1))])
def test_max_gradient_goes_to_first_tied_cell(pool, strides):
    x = Variable(np.ones((1, 4, 4, 1)), dtype="float64")
    with GradientTape() as tape:
        y = pool_ops.max_pool(x, pool, strides)
    grad = tape.gradient(y, x).numpy()[0, :, :, 0]
    expected = np.zeros((4, 4))
    for i, j in itertools.product(range(y.shape[1]), range(y.shape[2])):
        expected[i * strides[0], j * strides[1]] += 1  # the window's top-left cell, once per window
    np.testing.assert_array_equal(grad, expected)


def test_average_same_padding_counts_only_real_cells():
    x = np.arange(1.0, 4.0).reshape(1, 3, 1)
    out = pool_ops.average_pool(x, (2,), (1,), "same")  # last window covers [3, pad]
    np.testing.assert_allclose(out.numpy().ravel(), [1.5, 2.5, 3.0])


def test_integer_input():
    x = np.arange(16).reshape(1, 4, 4, 1)
    assert pool_ops.max_pool(x, (2, 2)).dtype == "int64"
    assert pool_ops.average_pool(x, (2, 2)).dtype == "float32"
    np.testing.assert_array_equal(pool_ops.max_pool(x, (2, 2), padding="same", strides=(3, 3)).numpy().ravel(),
                                  [5, 7, 13, 15])


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"does not fit the input of shape \(1, 2, 2, 1\)"):
        pool_ops.max_pool(np.zeros((1, 2, 2, 1)), (3, 3))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'. Received: padding='full'"):
        pool_ops.average_pool(np.zeros((1, 4, 4, 1)), (2, 2), padding="full")
    with pytest.raises(ValueError, match="needs 2 pool sizes"):
        pool_ops.max_pool(np.zeros((1, 4, 4, 1)), (2,))


def test_output_is_not_a_view_of_the_input():
    x = np.ones((1, 3, 1))
    out = pool_ops.max_pool(x, (1,))
    x[...] = 5
    assert out.numpy().ravel().tolist() == [1, 1, 1]
