"""Crossentropies: values against hand formulas (float64 NumPy) and Keras's documented numbers,
gradients against central differences, the logits path against the probability path."""
import warnings

import numpy as np
import pytest

import numkeras
from numkeras import losses, ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tensor import Tensor

EPS = 1e-7
RNG = np.random.default_rng(1234)


# -- independent references (float64) ------------------------------------------
def log_softmax_ref(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def cce_ref(y, p, axis=-1):
    p = np.clip(p / p.sum(axis=axis, keepdims=True), EPS, 1 - EPS)
    return -(y * np.log(p)).sum(axis=axis)


def cce_logits_ref(y, z, axis=-1):
    return -(y * log_softmax_ref(z, axis)).sum(axis=axis)


def bce_ref(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=-1)


def bce_logits_ref(y, z):
    return (np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).mean(axis=-1)


def one_hot(labels, k):
    return np.eye(k)[labels]


def probs(shape):
    return RNG.uniform(0.05, 0.95, shape)


def no_logits(t):
    """The same values as a fresh graph node, so the probability path is taken."""
    return ops.multiply(t, 1.0)


LABELS = RNG.integers(0, 4, 6)
Y = one_hot(LABELS, 4)
Z = RNG.standard_normal((6, 4)) * 2


# -- Keras's documented numbers -------------------------------------------------
KERAS_Y = np.array([[0, 1, 0], [0, 0, 1]])
KERAS_P = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])


@pytest.mark.parametrize("cls, y_true", [(losses.CategoricalCrossentropy, KERAS_Y),
                                         (losses.SparseCategoricalCrossentropy, np.array([1, 2]))])
def test_crossentropy_keras_examples(cls, y_true):
    assert float(cls()(y_true, KERAS_P)) == pytest.approx(1.177, abs=1e-3)
    assert float(cls()(y_true, KERAS_P, sample_weight=np.array([0.3, 0.7]))) == pytest.approx(0.814, abs=1e-3)
    assert float(cls(reduction="sum")(y_true, KERAS_P)) == pytest.approx(2.354, abs=1e-3)
    np.testing.assert_allclose(cls(reduction=None)(y_true, KERAS_P).numpy(), [0.0513, 2.303], atol=1e-3)


def test_binary_crossentropy_keras_examples():
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert float(bce([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])) == pytest.approx(0.8654, abs=1e-3)
    y, z = np.array([[0, 1], [0, 0]]), np.array([[-18.6, 0.51], [2.94, -12.8]])
    assert float(bce(y, z)) == pytest.approx(0.8654, abs=1e-3)
    assert float(bce(y, z, sample_weight=[0.8, 0.2])) == pytest.approx(0.243, abs=1e-3)
    assert float(losses.BinaryCrossentropy(from_logits=True, reduction="sum")(y, z)) == pytest.approx(1.730, abs=1e-3)
    np.testing.assert_allclose(losses.BinaryCrossentropy(from_logits=True, reduction=None)(y, z).numpy(),
                               [0.235, 1.496], atol=1e-3)
    np.testing.assert_allclose(losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).numpy(),
                               [0.916, 0.714], atol=1e-3)


@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 5)])
def test_crossentropy_values(shape):
    y = one_hot(RNG.integers(0, shape[-1], shape[:-1]), shape[-1])
    p = probs(shape)  # rows need not sum to 1: the loss renormalizes them
    np.testing.assert_allclose(losses.categorical_crossentropy(y, p).numpy(), cce_ref(y, p), rtol=1e-12)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(y.argmax(-1), p).numpy(), cce_ref(y, p),
                               rtol=1e-12)
    np.testing.assert_allclose(losses.binary_crossentropy(y, p).numpy(), bce_ref(y, p), rtol=1e-12)
    z = RNG.standard_normal(shape)
    np.testing.assert_allclose(losses.categorical_crossentropy(y, z, from_logits=True).numpy(),
                               cce_logits_ref(y, z), rtol=1e-12)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(y.argmax(-1), z, from_logits=True).numpy(),
                               cce_logits_ref(y, z), rtol=1e-12)
    np.testing.assert_allclose(losses.binary_crossentropy(y, z, from_logits=True).numpy(), bce_logits_ref(y, z),
                               rtol=1e-12)


def test_probabilities_are_clipped():
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    p = np.array([[0.0, 1.0], [0.0, 1.0]])
    np.testing.assert_allclose(losses.categorical_crossentropy(y, p).numpy(), [-np.log(EPS), -np.log(1 - EPS)],
                               rtol=1e-9)
    np.testing.assert_allclose(losses.binary_crossentropy(y, p).numpy(), [-np.log(EPS), -np.log(1 - EPS)],
                               rtol=1e-9)


def test_label_smoothing():
    s = 0.2
    np.testing.assert_allclose(
        losses.categorical_crossentropy(Y, probs(Y.shape) * 0 + 0.25, label_smoothing=s).numpy(),
        cce_ref(Y * (1 - s) + s / 4, np.full(Y.shape, 0.25)), rtol=1e-12)
    p = probs(Y.shape)
    np.testing.assert_allclose(losses.binary_crossentropy(Y, p, label_smoothing=s).numpy(),
                               bce_ref(Y * (1 - s) + 0.5 * s, p), rtol=1e-12)
    np.testing.assert_allclose(float(losses.CategoricalCrossentropy(label_smoothing=s, from_logits=True,
                                                                    dtype="float64")(Y, Z)),
                               cce_logits_ref(Y * (1 - s) + s / 4, Z).mean(), rtol=1e-12)


def test_crossentropy_over_another_axis():
    y = one_hot(RNG.integers(0, 3, (2, 4)), 3).transpose(0, 2, 1)  # classes on axis 1
    z = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(losses.categorical_crossentropy(y, z, from_logits=True, axis=1).numpy(),
                               cce_logits_ref(y, z, axis=1), rtol=1e-12)
    # softmax over the last axis records logits, but a crossentropy over axis 1 must not use them
    p = ops.softmax(z)
    np.testing.assert_allclose(losses.categorical_crossentropy(y, p, axis=1).numpy(),
                               cce_ref(y, p.numpy(), axis=1), rtol=1e-12)
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(y.argmax(1), z, from_logits=True, axis=1).numpy(),
        cce_logits_ref(y, z, axis=1), rtol=1e-12)


# -- gradients against central differences -----------------------------------------
@pytest.mark.parametrize("fn", [
    lambda p: losses.mean_squared_error(Y, p),
    lambda p: losses.mean_absolute_error(Y, p),
    lambda p: losses.categorical_crossentropy(Y, p),
    lambda p: losses.categorical_crossentropy(Y, p, label_smoothing=0.1),
    lambda p: losses.sparse_categorical_crossentropy(LABELS, p),
    lambda p: losses.binary_crossentropy(Y, p),
    lambda p: losses.binary_crossentropy(Y, p, label_smoothing=0.1),
], ids=["mse", "mae", "cce", "cce-smoothing", "scce", "bce", "bce-smoothing"])
def test_gradient_of_probability_path(fn):
    check_gradients(fn, probs(Y.shape))


@pytest.mark.parametrize("fn", [
    lambda z: losses.categorical_crossentropy(Y, z, from_logits=True),
    lambda z: losses.sparse_categorical_crossentropy(LABELS, z, from_logits=True),
    lambda z: losses.sparse_categorical_crossentropy(LABELS[:, None], z, from_logits=True),
    lambda z: losses.binary_crossentropy(Y, z, from_logits=True),
    lambda z: losses.categorical_crossentropy(Y, ops.softmax(z)),
    lambda z: losses.sparse_categorical_crossentropy(LABELS, ops.softmax(z)),
    lambda z: losses.binary_crossentropy(Y, ops.sigmoid(z)),
    lambda z: losses.categorical_crossentropy(Y, no_logits(ops.softmax(z))),
    lambda z: losses.sparse_categorical_crossentropy(LABELS, no_logits(ops.softmax(z))),
    lambda z: losses.binary_crossentropy(Y, no_logits(ops.sigmoid(z))),
], ids=["cce-from-logits", "scce-from-logits", "scce-n1-from-logits", "bce-from-logits", "cce-softmax",
        "scce-softmax", "bce-sigmoid", "cce-softmax-probs", "scce-softmax-probs", "bce-sigmoid-probs"])
def test_gradient_of_logits_paths(fn):
    check_gradients(fn, Z)


def test_gradient_of_soft_labels():
    check_gradients(lambda y, z: losses.categorical_crossentropy(y, z, from_logits=True), probs(Z.shape), Z)
    check_gradients(lambda y, z: losses.binary_crossentropy(y, z, from_logits=True), probs(Z.shape), Z)


@pytest.mark.parametrize("loss, y_true", [
    (losses.CategoricalCrossentropy(dtype="float64"), Y),
    (losses.SparseCategoricalCrossentropy(dtype="float64"), LABELS),
    (losses.BinaryCrossentropy(dtype="float64"), Y),
    (losses.MeanSquaredError(dtype="float64"), Y),
    (losses.MeanAbsoluteError(dtype="float64", reduction="sum"), Y),
    (losses.SparseCategoricalCrossentropy(dtype="float64", ignore_class=0), LABELS),
], ids=lambda v: getattr(v, "name", "y"))
def test_gradient_of_loss_classes_with_sample_weight(loss, y_true):
    w = RNG.uniform(0, 2, len(y_true))
    check_gradients(lambda p: loss(y_true, p, sample_weight=w), probs(Y.shape))


def test_bce_gradient_is_exact_at_zero_logit():
    z = numkeras.Variable(np.zeros((2, 1)), dtype="float64")
    with numkeras.GradientTape() as tape:
        loss = losses.BinaryCrossentropy(dtype="float64")([[1.0], [0.0]], ops.sigmoid(z))
    np.testing.assert_allclose(tape.gradient(loss, z).numpy(), [[-0.25], [0.25]])  # (sigmoid(0) - y) / 2


# -- the recorded-logits path -------------------------------------------------------
@pytest.mark.parametrize("loss, activation, y_true", [
    (losses.CategoricalCrossentropy(), ops.softmax, Y),
    (losses.SparseCategoricalCrossentropy(), ops.softmax, LABELS),
    (losses.BinaryCrossentropy(), ops.sigmoid, Y),
], ids=["cce", "scce", "bce"])
def test_recorded_logits_match_probability_path(loss, activation, y_true):
    z = numkeras.Variable(Z, dtype="float32")
    with numkeras.GradientTape(persistent=True) as tape:
        p = activation(z)
        fused = loss(y_true, p)
        clipped = loss(y_true, no_logits(p))
    assert fused.dtype == clipped.dtype == "float32"
    np.testing.assert_allclose(float(fused), float(clipped), rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(fused, z).numpy(), tape.gradient(clipped, z).numpy(), atol=1e-6)


def test_recorded_logits_give_fused_gradient():
    z = numkeras.Variable(Z, dtype="float64")
    with numkeras.GradientTape() as tape:
        loss = losses.CategoricalCrossentropy(dtype="float64")(Y, ops.softmax(z))
    p = np.exp(log_softmax_ref(Z))
    np.testing.assert_allclose(tape.gradient(loss, z).numpy(), (p - Y) / len(Y), rtol=1e-12)


@pytest.mark.parametrize("loss, activation, y_true", [
    (losses.CategoricalCrossentropy(), ops.softmax, Y),
    (losses.SparseCategoricalCrossentropy(), ops.softmax, LABELS),
    (losses.BinaryCrossentropy(), ops.sigmoid, Y),
], ids=["cce", "scce", "bce"])
def test_extreme_logits_stay_finite(loss, activation, y_true):
    z = numkeras.Variable(np.sign(Z) * 1e4, dtype="float32")
    with numkeras.GradientTape() as tape:
        value = loss(y_true, activation(z))
    grad = tape.gradient(value, z).numpy()
    assert np.isfinite(float(value)) and float(value) > 100  # the probability path would stop at -log(1e-7) = 16
    assert np.all(np.isfinite(grad))
    assert grad.dtype == np.float32


def test_extreme_logits_value():
    z = np.array([[1e4, -1e4, 0.0]], "float32")
    value = losses.CategoricalCrossentropy()(np.array([[0.0, 1.0, 0.0]]), ops.softmax(z))
    assert float(value) == pytest.approx(2e4)


def test_mismatched_activation_uses_probabilities():
    # softmax output into binary crossentropy, sigmoid output into categorical crossentropy:
    # the recorded logits belong to another activation, so the probabilities are used.
    z = Z.astype("float32")
    soft, sig = ops.softmax(z), ops.sigmoid(z)
    assert float(losses.BinaryCrossentropy()(Y, soft)) == pytest.approx(bce_ref(Y, soft.numpy()).mean(), rel=1e-5)
    assert float(losses.CategoricalCrossentropy()(Y, sig)) == pytest.approx(cce_ref(Y, sig.numpy()).mean(),
                                                                            rel=1e-5)


def test_two_class_softmax_with_binary_crossentropy():
    # A common pattern: 2-unit softmax, one-hot labels, binary_crossentropy.
    z = numkeras.Variable(Z[:, :2], dtype="float64")
    with numkeras.GradientTape() as tape:
        loss = losses.BinaryCrossentropy(dtype="float64")(Y[:, :2], ops.softmax(z))
    p = np.exp(log_softmax_ref(Z[:, :2]))
    assert float(loss) == pytest.approx(bce_ref(Y[:, :2], p).mean(), rel=1e-12)
    check_gradients(lambda a: losses.binary_crossentropy(Y[:, :2], ops.softmax(a)), Z[:, :2])
    assert tape.gradient(loss, z) is not None


def test_from_logits_with_softmax_output_warns():
    with pytest.warns(UserWarning, match="from_logits=True"):
        value = losses.CategoricalCrossentropy(from_logits=True)(Y, ops.softmax(Z.astype("float32")))
    assert float(value) == pytest.approx(cce_logits_ref(Y, Z).mean(), rel=1e-5)


def test_single_class_categorical_warns():
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((3, 1)), np.ones((3, 1)))


# -- dtypes -------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda p: losses.CategoricalCrossentropy()(Y, p),
    lambda p: losses.CategoricalCrossentropy()(Y, ops.softmax(p)),
    lambda p: losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)(Y, p),
    lambda p: losses.SparseCategoricalCrossentropy()(LABELS, p),
    lambda p: losses.SparseCategoricalCrossentropy()(LABELS, ops.softmax(p)),
    lambda p: losses.SparseCategoricalCrossentropy(ignore_class=1)(LABELS.astype("float64"), p),
    lambda p: losses.BinaryCrossentropy()(Y, p),
    lambda p: losses.BinaryCrossentropy()(Y, ops.sigmoid(p)),
    lambda p: losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)(Y, p),
    lambda p: losses.MeanSquaredError()(Y, p, sample_weight=np.ones(len(Y))),
    lambda p: losses.MeanAbsoluteError()(Y, p),
    lambda p: losses.categorical_crossentropy(Y, p),
    lambda p: losses.sparse_categorical_crossentropy(LABELS, p),
    lambda p: losses.binary_crossentropy(Y, p),
    lambda p: losses.mean_squared_error(Y, p),
])
def test_float32_stays_float32(fn):
    check_float32(fn, probs(Y.shape))


def test_python_lists_become_float32():
    assert losses.mean_squared_error([1.0, 2.0], [1.5, 2.0]).dtype == "float32"
    assert losses.CategoricalCrossentropy()([[0, 1]], [[0.3, 0.7]]).dtype == "float32"


# -- sparse labels ------------------------------------------------------------------
@pytest.mark.parametrize("labels", [LABELS, LABELS[:, None], LABELS.astype("int32"), LABELS.astype("float32"),
                                    LABELS.astype("float64")[:, None]],
                         ids=["int64", "n1", "int32", "float32", "float64-n1"])
def test_sparse_label_forms(labels):
    p = probs(Y.shape)
    expected = cce_ref(Y, p).mean()
    assert float(losses.SparseCategoricalCrossentropy(dtype="float64")(labels, p)) == pytest.approx(expected,
                                                                                                    rel=1e-12)


def test_sparse_equals_categorical_with_one_hot():
    p = probs(Y.shape)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(LABELS, p).numpy(),
                               losses.categorical_crossentropy(Y, p).numpy(), rtol=1e-12)


def test_ignore_class():
    labels = np.array([0, 2, -1, 1, -1])
    p = probs((5, 3))
    keep = labels != -1
    per_sample = np.where(keep, cce_ref(one_hot(np.where(keep, labels, 0), 3), p), 0.0)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(labels, p, ignore_class=-1).numpy(),
                               per_sample, rtol=1e-12)
    # The default reduction averages over the entries that count
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1, dtype="float64")
    assert float(loss(labels, p)) == pytest.approx(per_sample.sum() / keep.sum(), rel=1e-12)
    assert float(losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="sum", dtype="float64")(
        labels, p)) == pytest.approx(per_sample.sum(), rel=1e-12)


def test_sparse_label_out_of_range():
    with pytest.raises(ValueError, match=r"received label 4.*labels must be in \[0, 3\]"):
        losses.sparse_categorical_crossentropy([0, 4], probs((2, 4)))
    with pytest.raises(ValueError, match="received label -1"):
        losses.SparseCategoricalCrossentropy()([0, -1], probs((2, 4)))


def test_one_hot_labels_with_sparse_loss_say_what_to_do():
    with pytest.raises(ValueError, match="one-hot encoded: use loss='categorical_crossentropy'"):
        losses.SparseCategoricalCrossentropy()(Y, probs(Y.shape))


def test_integer_labels_with_categorical_loss_say_what_to_do():
    with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy.*to_categorical\(y, 4\)"):
        losses.CategoricalCrossentropy()(LABELS, probs(Y.shape))


def test_binary_crossentropy_shapes():
    # labels (n,) against predictions (n, 1) are expanded
    y, p = np.array([1.0, 0.0, 1.0]), np.array([[0.8], [0.3], [0.6]])
    assert float(losses.BinaryCrossentropy(dtype="float64")(y, p)) == pytest.approx(bce_ref(y[:, None], p).mean())
    with pytest.raises(ValueError, match="same shape"):
        losses.binary_crossentropy(np.zeros((3, 2)), np.zeros((3, 4)))


# -- configs, wrappers --------------------------------------------------------------
@pytest.mark.parametrize("loss, config", [
    (losses.CategoricalCrossentropy(label_smoothing=0.1),
     {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False,
      "label_smoothing": 0.1, "axis": -1}),
    (losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=3),
     {"name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": True,
      "ignore_class": 3, "axis": -1}),
    (losses.BinaryCrossentropy(reduction="sum"),
     {"name": "binary_crossentropy", "reduction": "sum", "from_logits": False, "label_smoothing": 0.0,
      "axis": -1}),
    (losses.MeanSquaredError(), {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}),
    (losses.MeanAbsoluteError(name="l1"), {"name": "l1", "reduction": "sum_over_batch_size"}),
], ids=lambda v: getattr(v, "name", ""))
def test_get_config_round_trip(loss, config):
    assert loss.get_config() == config
    clone = type(loss).from_config(loss.get_config())
    assert clone.get_config() == config
    p = probs(Y.shape)
    y_true = LABELS if "sparse" in type(loss).__name__.lower() else Y
    assert float(clone(y_true, p)) == float(loss(y_true, p))


def test_loss_is_differentiable_through_a_model_like_graph():
    w = numkeras.Variable(RNG.standard_normal((3, 4)), dtype="float32")
    x = RNG.standard_normal((6, 3)).astype("float32")
    with numkeras.GradientTape() as tape:
        loss = losses.CategoricalCrossentropy()(Y.astype("float32"), ops.softmax(ops.matmul(x, w)))
    grad = tape.gradient(loss, w)
    p = np.exp(log_softmax_ref(x.astype("float64") @ w.numpy().astype("float64")))
    np.testing.assert_allclose(grad.numpy(), x.T.astype("float64") @ (p - Y) / len(Y), rtol=1e-4, atol=1e-6)
    assert isinstance(loss, Tensor) and grad.dtype == "float32"


def test_no_warnings_on_the_plain_path():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses.CategoricalCrossentropy()(Y, ops.softmax(Z))
        losses.BinaryCrossentropy()(Y, ops.sigmoid(Z))
