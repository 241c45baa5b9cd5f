"""Keras 2's `K.*` functions reached from numkeras.backend: values, notes, and the graph-only refusals."""
import warnings

import numpy as np
import pytest

import numkeras
from numkeras import backend as K
from numkeras.utils import keras2_idioms


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", keras2_idioms.Keras2IdiomWarning)
        yield


def test_the_books_custom_loss_spellings_compute_what_ops_compute():
    y, p = np.array([[1.0, 0.0], [0.5, 2.0]], "float32"), np.array([[0.5, 0.5], [1.0, 1.0]], "float32")
    np.testing.assert_allclose(K.mean(K.square(y - p), axis=-1).numpy(), ((y - p) ** 2).mean(-1), rtol=1e-6)
    np.testing.assert_allclose(K.sum(K.abs(y), axis=0).numpy(), np.abs(y).sum(0))
    np.testing.assert_allclose(K.exp(y).numpy(), np.exp(y), rtol=1e-6)
    np.testing.assert_allclose(K.dot(y, p).numpy(), y @ p, rtol=1e-6)
    np.testing.assert_allclose(K.pow(y, 2).numpy(), y ** 2)
    np.testing.assert_allclose(K.l2_normalize(y, axis=-1).numpy(), y / np.linalg.norm(y, axis=-1, keepdims=True),
                               rtol=1e-6)
    np.testing.assert_array_equal(K.batch_flatten(np.zeros((2, 3, 4))).shape, (2, 12))


def test_shapes_values_and_variables():
    x = np.zeros((4, 3), "float32")
    assert K.int_shape(x) == (4, 3)
    assert int(K.shape(x)[0]) == 4
    assert K.int_shape(numkeras.Input((5,))) == (None, 5)
    v = K.variable(np.ones(2))
    K.set_value(v, [3.0, 4.0])
    np.testing.assert_array_equal(K.get_value(v), [3.0, 4.0])
    assert K.get_value(v).dtype == np.float32
    assert K.epsilon() == 1e-7


def test_random_normal_takes_a_shape_built_from_K_shape_and_a_seed():
    z = np.zeros((6, 2), "float32")
    draws = K.random_normal(shape=(K.shape(z)[0], 3), mean=0.0, stddev=1.0, seed=7)
    assert draws.shape == (6, 3) and draws.dtype == "float32"
    np.testing.assert_array_equal(draws.numpy(), K.random_normal((6, 3), seed=7).numpy())
    big = K.random_normal((20000,), mean=2.0, stddev=0.5, seed=1).numpy()
    assert abs(big.mean() - 2.0) < 0.02 and abs(big.std() - 0.5) < 0.02
    u = K.random_uniform((1000,), -1.0, 1.0, seed=2).numpy()
    assert u.min() >= -1.0 and u.max() < 1.0


def test_the_functions_are_differentiable_as_ops_are():
    x = numkeras.Variable(np.array([1.0, 2.0], "float32"))
    with numkeras.GradientTape() as tape:
        loss = K.sum(K.square(x))
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), [2.0, 4.0])


def test_graph_functions_name_the_gradient_tape():
    for name in ("gradients", "function"):
        with pytest.raises(RuntimeError, match="GradientTape"):
            getattr(K, name)([1.0], [2.0])


def test_the_backend_knows_every_legacy_name_without_importing_them():
    assert set(K._KERAS2_NAMES) == set(__import__("numkeras.utils.keras2_backend").utils.keras2_backend.LEGACY)


def test_dir_stays_keras_3s_and_each_spelling_is_noted_once():
    assert "mean" not in dir(K) and "random_normal" not in dir(K)
    assert "mean" not in vars(K)  # reached through __getattr__, never cached on the module
    keras2_idioms._forget_for_tests()
    with warnings.catch_warnings():
        warnings.simplefilter("always", keras2_idioms.Keras2IdiomWarning)
        with pytest.warns(keras2_idioms.Keras2IdiomWarning, match="Keras 3 writes keras.ops.mean") as said:
            K.mean([1.0])
            K.mean([2.0])
    assert len(said) == 1 and said[0].filename == __file__
