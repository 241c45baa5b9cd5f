"""Focal crossentropies: Keras's documented numbers, gamma=0 as plain crossentropy, alpha per class,
the recorded-logits path, and the warnings and errors."""
import numpy as np
import pytest

import numkeras
from numkeras import losses, ops
from numkeras.engine.gradient_check import check_gradients

EPS = 1e-7
RNG = np.random.default_rng(3)

# -- binary: Keras's documented numbers ------------------------------------------------
DOC_Y = np.array([[0, 1], [0, 0]])
DOC_Z = np.array([[-18.6, 0.51], [2.94, -12.8]])


@pytest.mark.parametrize("kwargs, sample_weight, expected", [
    ({"gamma": 3}, None, 0.647),
    ({"gamma": 3, "apply_class_balancing": True}, None, 0.482),
    ({"gamma": 3}, [0.8, 0.2], 0.133),
    ({"gamma": 3, "apply_class_balancing": True}, [0.8, 0.2], 0.097),
    ({"gamma": 4, "reduction": "sum"}, None, 1.222),
    ({"gamma": 4, "apply_class_balancing": True, "reduction": "sum"}, None, 0.914),
    ({"gamma": 5, "reduction": None}, None, [0.0017, 1.1561]),
    ({"gamma": 5, "apply_class_balancing": True, "reduction": None}, None, [0.0004, 0.8670]),
])
def test_binary_focal_keras_doc_numbers(kwargs, sample_weight, expected):
    loss = losses.BinaryFocalCrossentropy(from_logits=True, **kwargs)
    np.testing.assert_allclose(loss(DOC_Y, DOC_Z, sample_weight=sample_weight).numpy(), expected, atol=1e-3)


def test_binary_focal_keras_doc_numbers_one_sample():
    y, z = np.array([0, 1, 0, 0]), np.array([-18.6, 0.51, 2.94, -12.8])
    assert float(losses.BinaryFocalCrossentropy(gamma=2, from_logits=True)(y, z)) == pytest.approx(0.691, abs=1e-3)
    balanced = losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=2, from_logits=True)
    assert float(balanced(y, z)) == pytest.approx(0.51, abs=1e-3)
    np.testing.assert_allclose(losses.binary_focal_crossentropy(DOC_Y, [[0.6, 0.4], [0.4, 0.6]], gamma=2).numpy(),
                               [0.330, 0.206], atol=1e-3)


Y2 = np.array([1, 0, 1, 0]).reshape(2, 2)
P2 = np.array([0.9, 0.8, 0.7, 0.2], "float32").reshape(2, 2)
Y3 = np.array([[1, 1, 0], [0, 1, 0]], "float32")
Z3 = np.array([[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]])


@pytest.mark.parametrize("y, p, kwargs, sample_weight, expected", [
    (Y2, P2, {"gamma": 2.0}, None, 0.268),
    (Y3, Z3, {"gamma": 3.0, "from_logits": True}, None, 0.799),
    (Y2, P2, {"gamma": 2.0}, 1.23, 0.3296),
    (Y3, Z3, {"gamma": 3.0, "from_logits": True}, 3.21, 2.565),
    (Y2, P2, {"gamma": 2.0}, np.array([[1.2], [3.4]]), 0.34415),
    (Y3, Z3, {"gamma": 3.0, "from_logits": True}, np.array([[1.2], [3.4]]), 0.95977),
    (Y2, P2, {"gamma": 2.0, "reduction": None}, None, [0.515547, 0.020513]),
])
def test_binary_focal_keras_numbers(y, p, kwargs, sample_weight, expected):
    out = losses.BinaryFocalCrossentropy(**kwargs)(y, p, sample_weight=sample_weight).numpy()
    np.testing.assert_allclose(out.reshape(np.shape(expected)), expected, atol=1e-3)


def test_binary_focal_all_correct_is_zero():
    y = np.eye(3, dtype="float32")
    assert float(losses.BinaryFocalCrossentropy(gamma=1.5)(y, y)) == pytest.approx(0.0, abs=1e-3)
    logits = np.where(y == 1, 100.0, -100.0)
    assert float(losses.BinaryFocalCrossentropy(from_logits=True)(y, logits)) == pytest.approx(0.0, abs=1e-6)


def test_binary_focal_with_gamma_zero_is_binary_crossentropy():
    y, p = RNG.integers(0, 2, (5, 3)), RNG.uniform(0.05, 0.95, (5, 3))
    np.testing.assert_allclose(losses.binary_focal_crossentropy(y, p, gamma=0).numpy(),
                               losses.binary_crossentropy(y, p).numpy(), rtol=1e-12)
    z = RNG.standard_normal((5, 3))
    np.testing.assert_allclose(losses.binary_focal_crossentropy(y, z, gamma=0, from_logits=True).numpy(),
                               losses.binary_crossentropy(y, z, from_logits=True).numpy(), rtol=1e-12)


def test_binary_focal_label_smoothing():
    y, p, s = RNG.integers(0, 2, (5, 3)), RNG.uniform(0.05, 0.95, (5, 3)), 0.2
    smooth = y * (1 - s) + 0.5 * s
    p_t = smooth * p + (1 - smooth) * (1 - p)
    expected = ((1 - p_t) ** 2 * -(smooth * np.log(p) + (1 - smooth) * np.log(1 - p))).mean(-1)
    np.testing.assert_allclose(losses.binary_focal_crossentropy(y, p, label_smoothing=s).numpy(), expected,
                               rtol=1e-12)
    check_gradients(lambda q: losses.binary_focal_crossentropy(y, q, label_smoothing=s, gamma=1.5), p)


def test_binary_focal_uses_the_logits_behind_a_sigmoid():
    z = numkeras.Variable(np.array([[-1e4, 1e4, 3.0]]), dtype="float32")
    with numkeras.GradientTape() as tape:
        value = losses.BinaryFocalCrossentropy()([[1.0, 0.0, 1.0]], ops.sigmoid(z))
    # clipped probabilities would stop at -log(1e-7) = 16 per entry
    assert float(value) == pytest.approx((1e4 + 1e4 + 0.0486 * (1 - 0.9526) ** 2) / 3, rel=1e-3)
    assert np.all(np.isfinite(tape.gradient(value, z).numpy()))


def test_binary_focal_from_logits_with_sigmoid_output_warns():
    z = RNG.standard_normal((2, 3)).astype("float32")
    y = RNG.integers(0, 2, (2, 3))
    with pytest.warns(UserWarning, match="from_logits=True"):
        value = losses.binary_focal_crossentropy(y, ops.sigmoid(z), from_logits=True)
    np.testing.assert_allclose(value.numpy(), losses.binary_focal_crossentropy(y, z, from_logits=True).numpy(),
                               rtol=1e-6)


# -- categorical -----------------------------------------------------------------------
KERAS_Y = np.array([[0, 1, 0], [0, 0, 1]])
KERAS_P = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])


def test_categorical_focal_keras_doc_numbers():
    assert float(losses.CategoricalFocalCrossentropy()(KERAS_Y, KERAS_P)) == pytest.approx(0.23315276, rel=1e-5)
    assert float(losses.CategoricalFocalCrossentropy()(KERAS_Y, KERAS_P, sample_weight=np.array([0.3, 0.7]))) == \
        pytest.approx(0.1632, abs=1e-4)
    assert float(losses.CategoricalFocalCrossentropy(reduction="sum")(KERAS_Y, KERAS_P)) == pytest.approx(
        0.46631, abs=1e-5)
    np.testing.assert_allclose(losses.CategoricalFocalCrossentropy(reduction=None)(KERAS_Y, KERAS_P).numpy(),
                               [3.2058331e-05, 4.6627346e-01], rtol=1e-4)
    np.testing.assert_allclose(
        losses.categorical_focal_crossentropy(KERAS_Y, [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]).numpy(),
        [2.63401289e-04, 6.75912094e-01], rtol=1e-4)


Y_EYE = np.eye(3, dtype="int64")
P3 = np.array([[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]], "float32")
Z_EYE = np.array([[8.0, 1.0, 1.0], [0.0, 9.0, 1.0], [2.0, 3.0, 5.0]])


@pytest.mark.parametrize("p, kwargs, sample_weight, expected, atol", [
    (P3, {}, None, 0.02059, 1e-4),
    (Z_EYE, {"from_logits": True}, None, 0.000345, 1e-5),
    (P3, {}, 2.3, 0.047368, 1e-4),
    (Z_EYE, {"from_logits": True}, 2.3, 0.000794, 1e-5),
    (P3, {}, np.array([[1.2], [3.4], [5.6]]), 0.06987, 1e-4),
    (Z_EYE, {"from_logits": True}, np.array([[1.2], [3.4], [5.6]]), 0.001933, 1e-5),
    (Z_EYE, {"from_logits": True, "reduction": None}, None, [1.5096224e-09, 2.4136547e-11, 1.0360638e-03], 1e-7),
    (np.array([[4.9, -0.5, 2.05], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
     {"from_logits": True, "label_smoothing": 0.1, "reduction": None}, None, None, None),
])
def test_categorical_focal_keras_numbers(p, kwargs, sample_weight, expected, atol):
    out = losses.CategoricalFocalCrossentropy(**kwargs)(Y_EYE, p, sample_weight=sample_weight).numpy()
    if expected is None:  # label smoothing: Keras gives 0.06685 for the first sample
        assert out[0] == pytest.approx(0.06685, abs=1e-4)
        return
    np.testing.assert_allclose(out, expected, atol=atol)


def test_categorical_focal_all_correct_is_zero():
    assert float(losses.CategoricalFocalCrossentropy()(Y_EYE, Y_EYE.astype("float32"))) == pytest.approx(0, abs=1e-6)
    assert float(losses.CategoricalFocalCrossentropy(from_logits=True)(Y_EYE, Y_EYE * 10.0)) == pytest.approx(
        0, abs=1e-3)


def test_categorical_focal_with_gamma_zero_is_alpha_times_crossentropy():
    y, p = np.eye(4)[RNG.integers(0, 4, 5)], RNG.uniform(0.05, 0.95, (5, 4))
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(y, p, gamma=0, alpha=1.0).numpy(),
                               losses.categorical_crossentropy(y, p).numpy(), rtol=1e-12)


def test_categorical_focal_label_smoothing_over_axis_1():
    y = np.array([[[1, 0], [0, 1], [0, 0]], [[0, 1], [1, 0], [0, 0]]], "float32")
    p = np.array([[[0.8, 0.1], [0.1, 0.8], [0.1, 0.1]], [[0.1, 0.8], [0.8, 0.1], [0.1, 0.1]]], "float32")
    smooth = y * 0.9 + 0.1 / 3
    expected = (0.25 * (1 - p) ** 2 * -smooth * np.log(p)).sum(1).mean()
    loss = losses.CategoricalFocalCrossentropy(label_smoothing=0.1, axis=1)
    assert float(loss(y, p)) == pytest.approx(expected, rel=1e-5)


def test_categorical_focal_alpha_per_class():
    y, p = np.eye(3)[RNG.integers(0, 3, 5)], RNG.uniform(0.05, 0.95, (5, 3))
    alpha = [0.2, 0.5, 1.5]
    q = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    expected = (np.array(alpha) * (1 - q) ** 2 * -y * np.log(q)).sum(-1)
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(y, p, alpha=alpha).numpy(), expected,
                               rtol=1e-12)
    # the same weights follow the class axis when it is not the last one
    moved = losses.categorical_focal_crossentropy(y.T[None], p.T[None], alpha=alpha, axis=1).numpy()
    np.testing.assert_allclose(moved[0], expected, rtol=1e-12)
    with pytest.raises(ValueError, match=r"2 values of `alpha` for 3 classes"):
        losses.categorical_focal_crossentropy(y, p, alpha=[0.5, 0.5])


def test_categorical_focal_warns_on_a_single_class():
    with pytest.warns(SyntaxWarning, match=r"expected y_pred.shape to be \(batch_size, num_classes\)"):
        losses.categorical_focal_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5))
    with pytest.warns(SyntaxWarning, match="categorical_focal_crossentropy"):
        losses.categorical_focal_crossentropy(np.ones((2, 1, 4)), np.ones((2, 1, 4)), axis=1)


def test_categorical_focal_names_a_shape_mismatch():
    with pytest.raises(ValueError, match="categorical_focal_crossentropy expects one-hot y_true"):
        losses.categorical_focal_crossentropy(np.array([0, 1]), np.full((2, 3), 0.3))
    with pytest.raises(ValueError, match="`axis` must be an int"):
        losses.categorical_focal_crossentropy(KERAS_Y, KERAS_P, axis=True)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.5])
def test_focal_gradients_for_several_gammas(gamma):
    y, p = np.eye(4)[RNG.integers(0, 4, 5)], RNG.uniform(0.05, 0.95, (5, 4))
    check_gradients(lambda q: losses.categorical_focal_crossentropy(y, q, gamma=gamma), p)
    check_gradients(lambda q: losses.binary_focal_crossentropy(y, q, gamma=gamma, apply_class_balancing=True), p)
    z = RNG.standard_normal((5, 4)) * 2
    check_gradients(lambda q: losses.categorical_focal_crossentropy(y, q, gamma=gamma, from_logits=True), z)
    check_gradients(lambda q: losses.binary_focal_crossentropy(y, q, gamma=gamma, from_logits=True), z)


@pytest.mark.parametrize("gamma", [0.25, 0.5])
def test_binary_focal_gradient_is_finite_at_a_perfect_prediction(gamma):
    # miss = 0 there, and d(miss**gamma)/d(miss) is inf for gamma < 1: miss is floored at epsilon.
    y = np.array([[0.0, 1.0]], "float32")
    for y_pred, from_logits in [(np.array([[0.0, 1.0]], "float32"), False),
                                (np.array([[-104.0, 104.0]], "float32"), True)]:
        t = ops.convert_to_tensor(y_pred)
        with numkeras.GradientTape() as tape:
            tape.watch(t)
            loss = losses.binary_focal_crossentropy(y, t, gamma=gamma, from_logits=from_logits)
        assert np.isfinite(loss.numpy()).all() and np.isfinite(tape.gradient(loss, t).numpy()).all()
