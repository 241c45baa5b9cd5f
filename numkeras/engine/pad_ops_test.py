"""Pad, crop and repeat: values vs NumPy loops, gradients vs central differences."""
import numpy as np
import pytest

from numkeras.engine import pad_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

X = np.random.default_rng(0).standard_normal((2, 3, 4))


def test_pad_values_and_gradient():
    widths = ((0, 0), (1, 2), (3, 0))
    out = pad_ops.pad(X, widths).numpy()
    assert out.shape == (2, 6, 7)
    expected = np.zeros((2, 6, 7))
    for i in range(3):
        for j in range(4):
            expected[:, 1 + i, 3 + j] = X[:, i, j]
    np.testing.assert_array_equal(out, expected)
    assert pad_ops.pad(X, widths, constant_values=-1.0).numpy()[0, 0, 0] == -1
    check_gradients(lambda x: pad_ops.pad(x, widths), X)
    check_float32(lambda x: pad_ops.pad(x, widths), X.astype("float32"))


def test_crop_values_and_gradient():
    widths = ((0, 1), (1, 1), (0, 2))
    out = pad_ops.crop(X, widths).numpy()
    np.testing.assert_array_equal(out, X[:1, 1:2, :2])
    check_gradients(lambda x: pad_ops.crop(x, widths), X)
    check_float32(lambda x: pad_ops.crop(x, widths), X.astype("float32"))


@pytest.mark.parametrize("axis,repeats", [(0, 2), (1, 3), (-1, 2), (2, 1)])
def test_repeat_values_and_gradient(axis, repeats):
    out = pad_ops.repeat(X, repeats, axis).numpy()
    moved = np.moveaxis(X, axis, 0)
    expected = np.stack([moved[i // repeats] for i in range(moved.shape[0] * repeats)])
    np.testing.assert_array_equal(out, np.moveaxis(expected, 0, axis))
    check_gradients(lambda x: pad_ops.repeat(x, repeats, axis), X)
    check_float32(lambda x: pad_ops.repeat(x, repeats, axis), X.astype("float32"))


def test_bad_widths():
    with pytest.raises(ValueError, match="one \\(before, after\\) pair of non-negative ints per axis"):
        pad_ops.pad(X, ((1, 1),))
    with pytest.raises(ValueError, match="non-negative"):
        pad_ops.pad(X, ((0, 0), (0, -1), (0, 0)))
    with pytest.raises(ValueError, match=r"cannot remove .* from an input of shape \(2, 3, 4\)"):
        pad_ops.crop(X, ((0, 0), (2, 2), (0, 0)))
