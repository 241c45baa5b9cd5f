"""Crossentropy primitives: values against NumPy formulas, gradients against central differences."""
import numpy as np
import pytest

from numkeras.engine import crossentropy_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(7)


def log_softmax_ref(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("shape, axis", [((5, 4), -1), ((2, 3, 4), -1), ((2, 3, 4), 1), ((4,), 0)])
def test_softmax_cross_entropy_with_logits(shape, axis):
    y, z = RNG.uniform(0, 1, shape), RNG.standard_normal(shape) * 3
    np.testing.assert_allclose(crossentropy_ops.softmax_cross_entropy_with_logits(y, z, axis=axis).numpy(),
                               -(y * log_softmax_ref(z, axis)).sum(axis=axis), rtol=1e-12)
    check_gradients(lambda a, b: crossentropy_ops.softmax_cross_entropy_with_logits(a, b, axis=axis), y, z)


@pytest.mark.parametrize("shape, axis", [((5, 4), -1), ((2, 3, 4), -1), ((2, 3, 4), 1), ((4,), 0)])
def test_sparse_softmax_cross_entropy_with_logits(shape, axis):
    z = RNG.standard_normal(shape) * 3
    labels_shape = tuple(d for i, d in enumerate(shape) if i != axis % len(shape))
    labels = RNG.integers(0, shape[axis], labels_shape)
    expected = -np.take_along_axis(log_softmax_ref(z, axis), np.expand_dims(labels, axis), axis).squeeze(axis)
    np.testing.assert_allclose(crossentropy_ops.sparse_softmax_cross_entropy_with_logits(labels, z, axis=axis).numpy(),
                               expected, rtol=1e-12)
    check_gradients(lambda b: crossentropy_ops.sparse_softmax_cross_entropy_with_logits(labels, b, axis=axis), z)


@pytest.mark.parametrize("shape, axis", [((5, 4), -1), ((2, 3, 4), 1), ((2, 3, 4), 0)])
def test_take_along_axis(shape, axis):
    x = RNG.standard_normal(shape)
    labels_shape = tuple(d for i, d in enumerate(shape) if i != axis % len(shape))
    labels = RNG.integers(0, shape[axis], labels_shape)
    np.testing.assert_array_equal(crossentropy_ops.take_along_axis(x, labels, axis=axis).numpy(),
                                  np.take_along_axis(x, np.expand_dims(labels, axis), axis).squeeze(axis))
    check_gradients(lambda a: crossentropy_ops.take_along_axis(a, labels, axis=axis), x)


@pytest.mark.parametrize("shape", [(6,), (3, 4)])
def test_sigmoid_cross_entropy_with_logits(shape):
    y, z = RNG.uniform(0, 1, shape), RNG.standard_normal(shape) * 3
    p = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(crossentropy_ops.sigmoid_cross_entropy_with_logits(y, z).numpy(),
                               -(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-10)
    check_gradients(crossentropy_ops.sigmoid_cross_entropy_with_logits, y, z)


def test_sigmoid_cross_entropy_is_stable_for_huge_logits():
    z = np.array([-1e4, 1e4, 0.0], "float32")
    out = crossentropy_ops.sigmoid_cross_entropy_with_logits(np.array([1.0, 0.0, 1.0], "float32"), z).numpy()
    np.testing.assert_allclose(out, [1e4, 1e4, np.log(2)], rtol=1e-6)


@pytest.mark.parametrize("fn", [
    lambda y, z: crossentropy_ops.softmax_cross_entropy_with_logits(y, z),
    lambda y, z: crossentropy_ops.sparse_softmax_cross_entropy_with_logits(np.array([0, 3, 1]), z),
    lambda y, z: crossentropy_ops.sigmoid_cross_entropy_with_logits(y, z),
    lambda y, z: crossentropy_ops.take_along_axis(z, np.array([0, 3, 1])),
])
def test_float32_stays_float32(fn):
    check_float32(fn, RNG.uniform(0, 1, (3, 4)), RNG.standard_normal((3, 4)))
