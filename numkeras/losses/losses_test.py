"""Every built-in loss, the same checks for each: values against float64 NumPy formulas written here,
every reduction, sample weights (all-zero, empty batch), edge predictions (exactly 0 and 1), logits of
size 1e4, float32 in and out, gradients against central differences, configs and lookup by name."""
import warnings

import numpy as np
import pytest

import numkeras
from numkeras import losses
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.losses.registry import get_loss

EPS = 1e-7
RNG = np.random.default_rng(2024)
SHAPE = (6, 4)


# -- independent references (float64) -----------------------------------------------
def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def bce_terms(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def ref_bce(y, p):
    return bce_terms(y, p).mean(-1)


def ref_bfce(y, p, gamma=2.0, alpha=0.25, apply_class_balancing=False):
    p_t = y * p + (1 - y) * (1 - p)
    terms = (1 - p_t) ** gamma * bce_terms(y, p)
    if apply_class_balancing:
        terms = terms * np.where(y == 1, alpha, 1 - alpha)
    return terms.mean(-1)


def normalized(p):
    return np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)


def ref_cce(y, p):
    return -(y * np.log(normalized(p))).sum(-1)


def ref_cfce(y, p, alpha=0.25, gamma=2.0):
    q = normalized(p)
    return (alpha * (1 - q) ** gamma * -y * np.log(q)).sum(-1)


def ref_scce(labels, p):
    return ref_cce(np.eye(p.shape[-1])[labels], p)


def ref_msle(y, p):
    return ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(y, EPS) + 1)) ** 2).mean(-1)


def ref_huber(y, p, delta=1.0):
    a = np.abs(p - y)
    return np.where(a <= delta, 0.5 * a ** 2, delta * a - 0.5 * delta ** 2).mean(-1)


def ref_hinge(y, p):
    y = 2 * y - 1 if np.isin(y, (0, 1)).all() else y
    return np.maximum(1 - y * p, 0).mean(-1)


def ref_squared_hinge(y, p):
    y = 2 * y - 1 if np.isin(y, (0, 1)).all() else y
    return (np.maximum(1 - y * p, 0) ** 2).mean(-1)


def ref_categorical_hinge(y, p):
    return np.maximum(((1 - y) * p).max(-1) - (y * p).sum(-1) + 1, 0)


def ref_kld(y, p):
    y, p = np.clip(y, EPS, 1), np.clip(p, EPS, 1)
    return (y * np.log(y / p)).sum(-1)


def ref_cosine(y, p):
    return -(y * p).sum(-1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(p, axis=-1)


# -- inputs: away from kinks, inside the clipping ranges -----------------------------
def one_hot_labels():
    return np.eye(SHAPE[-1])[RNG.integers(0, SHAPE[-1], SHAPE[0])]


def probabilities():
    return RNG.uniform(0.05, 0.95, SHAPE)


def normal():
    return RNG.standard_normal(SHAPE)


def binary_labels():
    return RNG.integers(0, 2, SHAPE).astype("float64")


class Case:
    def __init__(self, cls, fn, y_true, y_pred, ref, config, name):
        self.cls, self.fn, self.y_true, self.y_pred, self.ref = cls, fn, y_true, y_pred, ref
        self.config = config  # non-default constructor arguments
        self.name = name  # Keras's default name

    def __repr__(self):
        return self.cls.__name__


LABELS = RNG.integers(0, SHAPE[-1], SHAPE[0])
CASES = [
    Case(losses.BinaryCrossentropy, losses.binary_crossentropy, binary_labels(), probabilities(), ref_bce,
         {"from_logits": True, "label_smoothing": 0.1, "axis": 0}, "binary_crossentropy"),
    Case(losses.BinaryFocalCrossentropy, losses.binary_focal_crossentropy, binary_labels(), probabilities(),
         ref_bfce, {"apply_class_balancing": True, "alpha": 0.4, "gamma": 3.0, "from_logits": True,
                    "label_smoothing": 0.1, "axis": 0}, "binary_focal_crossentropy"),
    Case(losses.CategoricalCrossentropy, losses.categorical_crossentropy, one_hot_labels(), probabilities(),
         ref_cce, {"from_logits": True, "label_smoothing": 0.2, "axis": 1}, "categorical_crossentropy"),
    Case(losses.CategoricalFocalCrossentropy, losses.categorical_focal_crossentropy, one_hot_labels(),
         probabilities(), ref_cfce, {"alpha": [0.1, 0.2, 0.3, 0.4], "gamma": 1.0, "from_logits": True,
                                     "label_smoothing": 0.1, "axis": 1}, "categorical_focal_crossentropy"),
    Case(losses.SparseCategoricalCrossentropy, losses.sparse_categorical_crossentropy, LABELS, probabilities(),
         ref_scce, {"from_logits": True, "ignore_class": 3, "axis": 1}, "sparse_categorical_crossentropy"),
    Case(losses.MeanSquaredError, losses.mean_squared_error, normal(), normal(),
         lambda y, p: ((y - p) ** 2).mean(-1), {}, "mean_squared_error"),
    Case(losses.MeanAbsoluteError, losses.mean_absolute_error, normal(), normal(),
         lambda y, p: np.abs(y - p).mean(-1), {}, "mean_absolute_error"),
    Case(losses.MeanAbsolutePercentageError, losses.mean_absolute_percentage_error,
         RNG.choice([-1, 1], SHAPE) * RNG.uniform(0.5, 2, SHAPE), normal(),
         lambda y, p: 100 * np.abs((y - p) / y).mean(-1), {}, "mean_absolute_percentage_error"),
    Case(losses.MeanSquaredLogarithmicError, losses.mean_squared_logarithmic_error, RNG.uniform(0, 3, SHAPE),
         RNG.uniform(0.1, 3, SHAPE), ref_msle, {}, "mean_squared_logarithmic_error"),
    Case(losses.Huber, losses.huber, normal(), normal() * 1.5, ref_huber, {"delta": 0.5}, "huber_loss"),
    Case(losses.LogCosh, losses.log_cosh, normal(), normal(), lambda y, p: np.log(np.cosh(p - y)).mean(-1), {},
         "log_cosh"),
    Case(losses.Hinge, losses.hinge, RNG.choice([-1.0, 1.0], SHAPE), normal(), ref_hinge, {}, "hinge"),
    Case(losses.SquaredHinge, losses.squared_hinge, RNG.choice([-1.0, 1.0], SHAPE), normal(), ref_squared_hinge,
         {}, "squared_hinge"),
    Case(losses.CategoricalHinge, losses.categorical_hinge, one_hot_labels(), normal(), ref_categorical_hinge, {},
         "categorical_hinge"),
    Case(losses.KLDivergence, losses.kl_divergence, probabilities(), probabilities(), ref_kld, {},
         "kl_divergence"),
    Case(losses.Poisson, losses.poisson, RNG.integers(0, 5, SHAPE).astype("float64"), RNG.uniform(0.2, 4, SHAPE),
         lambda y, p: (p - y * np.log(p + EPS)).mean(-1), {}, "poisson"),
    Case(losses.CosineSimilarity, losses.cosine_similarity, normal(), normal(), ref_cosine, {"axis": 0},
         "cosine_similarity"),
]
WEIGHTS = RNG.uniform(0, 2, SHAPE[0])


# Losses whose labels or outputs are not per-sample vectors shaped like y_pred, each tested in its own file:
# overlap_losses_test.py, circle_loss_test.py, generalized_crossentropy_test.py, ctc_loss_test.py.
SHAPED_APART = {"Dice", "Tversky", "Circle", "CategoricalGeneralizedCrossEntropy", "CTC"}


def test_every_keras_loss_is_here():
    assert sorted(case.cls.__name__ for case in CASES) == sorted(
        cls.__name__ for cls in losses.losses.CLASSES if cls.__name__ not in SHAPED_APART)
    assert len(CASES) == 17 and len(losses.losses.CLASSES) == 22


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_function_matches_reference(case):
    out = case.fn(case.y_true, case.y_pred)
    assert out.shape == (SHAPE[0],)
    np.testing.assert_allclose(out.numpy(), case.ref(case.y_true, case.y_pred), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none",
                                       None])
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_every_reduction_with_sample_weight(case, reduction):
    per_sample = case.ref(case.y_true, case.y_pred) * WEIGHTS
    expected = {"sum_over_batch_size": per_sample.mean(), "mean": per_sample.mean(), "sum": per_sample.sum(),
                "mean_with_sample_weight": per_sample.sum() / WEIGHTS.sum()}.get(reduction, per_sample)
    loss = case.cls(reduction=reduction, dtype="float64")
    np.testing.assert_allclose(loss(case.y_true, case.y_pred, sample_weight=WEIGHTS).numpy(), expected,
                               rtol=1e-10, atol=1e-12)
    unweighted = case.ref(case.y_true, case.y_pred)
    if reduction not in ("none", None):
        unweighted = unweighted.sum() / (1 if reduction == "sum" else unweighted.size)
    np.testing.assert_allclose(loss(case.y_true, case.y_pred).numpy(), unweighted, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", None])
@pytest.mark.parametrize("case", CASES, ids=repr)
def test_all_zero_weights_give_zero(case, reduction):
    out = case.cls(reduction=reduction)(case.y_true, case.y_pred, sample_weight=np.zeros(SHAPE[0]))
    np.testing.assert_array_equal(out.numpy(), np.zeros(SHAPE[0]) if reduction is None else 0.0)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_empty_batch_with_empty_weights(case):
    # As in Keras, a batch of no samples is returned unreduced: an empty array, never nan.
    for reduction in ("sum_over_batch_size", "sum", None):
        out = case.cls(reduction=reduction)(case.y_true[:0], case.y_pred[:0], sample_weight=np.zeros(0))
        assert out.shape == (0,) and out.dtype == "float32"


def edge_inputs(case):
    """Labels and predictions with entries at exactly 0 and 1: rows of one-hot 'probabilities'."""
    y_pred = np.eye(SHAPE[-1])[RNG.integers(0, SHAPE[-1], SHAPE[0])]
    if case.cls is losses.SparseCategoricalCrossentropy:
        return LABELS, y_pred
    return np.eye(SHAPE[-1])[LABELS], y_pred


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_predictions_at_exactly_0_and_1_stay_finite(case):
    y_true, y_pred = edge_inputs(case)
    variable = numkeras.Variable(y_pred, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no divide-by-zero or invalid-value warnings either
        with numkeras.GradientTape() as tape:
            value = case.cls()(y_true, variable)
        grad = tape.gradient(value, variable)
    assert value.dtype == "float32" and np.isfinite(float(value))
    assert grad.dtype == "float32" and np.all(np.isfinite(grad.numpy()))


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_edge_values_match_reference(case):
    y_true, y_pred = edge_inputs(case)
    if case.cls in (losses.MeanAbsolutePercentageError, losses.CosineSimilarity):
        return  # zero labels or zero vectors: covered in regression_losses_test
    np.testing.assert_allclose(case.fn(y_true, y_pred).numpy(), case.ref(y_true, y_pred), rtol=1e-9, atol=1e-12)


LOGIT_CASES = [case for case in CASES if "from_logits" in case.config]
LOGIT_REFS = {
    "BinaryCrossentropy": lambda y, z: (np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).mean(-1),
    "BinaryFocalCrossentropy": lambda y, z: (
        (y + sigmoid(z) - 2 * y * sigmoid(z)) ** 2 * (np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    ).mean(-1),
    "CategoricalCrossentropy": lambda y, z: -(y * (z - z.max(-1, keepdims=True) - np.log(
        np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True)))).sum(-1),
    "CategoricalFocalCrossentropy": lambda y, z: ref_cfce(y, softmax(z)),
    "SparseCategoricalCrossentropy": lambda y, z: LOGIT_REFS["CategoricalCrossentropy"](np.eye(z.shape[-1])[y], z),
}


@pytest.mark.parametrize("case", LOGIT_CASES, ids=repr)
def test_logits_of_size_1e4_stay_finite(case):
    logits = np.where(RNG.random(SHAPE) < 0.5, -1e4, 1e4)
    y_true = case.y_true
    variable = numkeras.Variable(logits, dtype="float32")
    with numkeras.GradientTape() as tape:
        value = case.cls(from_logits=True, reduction=None)(y_true, variable)
        total = numkeras.ops.sum(value)
    grad = tape.gradient(total, variable).numpy()
    assert value.dtype == "float32" and grad.dtype == np.float32
    assert np.all(np.isfinite(value.numpy())) and np.all(np.isfinite(grad))
    expected = LOGIT_REFS[case.cls.__name__](y_true, logits)
    np.testing.assert_allclose(value.numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", LOGIT_CASES, ids=repr)
def test_logits_path_matches_reference(case):
    logits = normal() * 2
    np.testing.assert_allclose(case.fn(case.y_true, logits, from_logits=True).numpy(),
                               LOGIT_REFS[case.cls.__name__](case.y_true, logits), rtol=1e-9)
    check_gradients(lambda z: case.fn(case.y_true, z, from_logits=True), logits)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_float32_in_float32_out(case):
    check_float32(lambda p: case.cls()(case.y_true, p, sample_weight=WEIGHTS), case.y_pred)
    check_float32(lambda p: case.fn(case.y_true, p), case.y_pred)
    assert case.fn(case.y_true.tolist(), case.y_pred.tolist()).dtype == "float32"  # Python lists: floatx


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_gradients(case):
    check_gradients(lambda p: case.fn(case.y_true, p), case.y_pred)
    loss = case.cls(dtype="float64")
    check_gradients(lambda p: loss(case.y_true, p, sample_weight=WEIGHTS), case.y_pred)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_defaults_and_config_round_trip(case):
    default = case.cls()
    assert default.name == case.name and default.reduction == "sum_over_batch_size"
    assert set(default.get_config()) == {"name", "reduction", *case.config}
    loss = case.cls(**case.config, reduction="sum", name="custom")
    config = losses.serialize(loss)
    assert config["class_name"] == case.cls.__name__
    for clone in (losses.deserialize(config), losses.get(config), case.cls.from_config(loss.get_config())):
        assert type(clone) is case.cls
        assert clone.get_config() == loss.get_config() == {"name": "custom", "reduction": "sum", **case.config}
    for key, value in case.config.items():
        assert getattr(loss, key) == value


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_get_by_name(case):
    assert type(losses.get(case.cls.__name__)) is case.cls
    assert losses.get(case.fn.__name__) is case.fn
    assert losses.deserialize(losses.serialize(case.fn)) is case.fn
    assert getattr(losses, case.fn.__name__) is case.fn and getattr(losses, case.cls.__name__) is case.cls
    wrapped = get_loss(case.fn.__name__)
    assert wrapped.name == case.fn.__name__
    np.testing.assert_allclose(float(wrapped(case.y_true, case.y_pred)),
                               case.ref(case.y_true, case.y_pred).mean(), rtol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_labels_shaped_n1_against_predictions_n1(case):
    # A (batch, 1) output against (batch,) labels: the loss class lines them up, as Keras does.
    if case.cls in (losses.CategoricalCrossentropy, losses.CategoricalFocalCrossentropy,
                    losses.SparseCategoricalCrossentropy, losses.CategoricalHinge, losses.CosineSimilarity):
        return  # need more than one class or feature
    y_true, y_pred = case.y_true[:, 0], case.y_pred[:, :1]
    expected = case.ref(y_true[:, None], y_pred).mean()
    assert float(case.cls(dtype="float64")(y_true, y_pred)) == pytest.approx(expected, rel=1e-10)
