"""Loss base class: reductions, sample weights, masks and dtypes against hand computations."""
import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.engine.tensor import Tensor
from numkeras.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank


class AbsError(Loss):
    """Per-sample mean absolute error, written as a user would."""

    def call(self, y_true, y_pred):
        return ops.mean(ops.abs(ops.subtract(y_pred, ops.cast(y_true, y_pred.dtype))), axis=-1)


Y_TRUE = np.array([[0.0, 1.0], [2.0, 2.0], [1.0, -1.0]])
Y_PRED = np.array([[1.0, 1.0], [2.0, 4.0], [0.0, 1.0]])
PER_SAMPLE = np.abs(Y_PRED - Y_TRUE).mean(axis=-1)  # [0.5, 1.0, 1.5]


def test_default_name_and_reduction():
    loss = AbsError()
    assert loss.name == "abs_error"
    assert loss.reduction == "sum_over_batch_size"
    assert loss.dtype == "float32"
    assert loss.get_config() == {"name": "abs_error", "reduction": "sum_over_batch_size"}
    assert AbsError.from_config(loss.get_config()).name == "abs_error"


@pytest.mark.parametrize("reduction, expected", [
    ("sum_over_batch_size", PER_SAMPLE.sum() / 3),
    ("mean", PER_SAMPLE.sum() / 3),
    ("sum", PER_SAMPLE.sum()),
    ("mean_with_sample_weight", PER_SAMPLE.sum() / 3),
    ("none", PER_SAMPLE),
    (None, PER_SAMPLE),
])
def test_reductions(reduction, expected):
    out = AbsError(reduction=reduction)(Y_TRUE, Y_PRED)
    assert isinstance(out, Tensor)
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("reduction, expected", [
    # sum_over_batch_size divides by the number of losses, not by the sum of the weights
    ("sum_over_batch_size", (0.5 * 2 + 1.0 * 0 + 1.5 * 1) / 3),
    ("sum", 0.5 * 2 + 1.5),
    ("mean_with_sample_weight", (0.5 * 2 + 1.5) / 3),
    ("none", [1.0, 0.0, 1.5]),
])
def test_sample_weight(reduction, expected):
    weights = np.array([2.0, 0.0, 1.0])
    np.testing.assert_allclose(AbsError(reduction=reduction)(Y_TRUE, Y_PRED, sample_weight=weights).numpy(),
                               expected, rtol=1e-6)
    # (n, 1) weights work too (as in Keras, 'none' then returns (n, 1) losses)
    out = AbsError(reduction=reduction)(Y_TRUE, Y_PRED, sample_weight=weights[:, None]).numpy()
    np.testing.assert_allclose(out.reshape(np.shape(expected)), expected, rtol=1e-6)


def test_scalar_sample_weight_scales():
    np.testing.assert_allclose(float(AbsError()(Y_TRUE, Y_PRED, sample_weight=3.0)), 3 * PER_SAMPLE.mean(),
                               rtol=1e-6)


def test_sample_weight_of_wrong_length_is_named():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(2,\)"):
        AbsError()(Y_TRUE, Y_PRED, sample_weight=[1.0, 2.0])


def test_all_zero_weights_give_zero_not_nan():
    out = AbsError(reduction="mean_with_sample_weight")(Y_TRUE, Y_PRED, sample_weight=np.zeros(3))
    assert float(out) == 0.0


def test_invalid_reduction():
    with pytest.raises(ValueError, match="reduction='average'"):
        AbsError(reduction="average")


def test_dtype_casts_predictions_and_keeps_gradient():
    v = numkeras.Variable(Y_PRED, dtype="float64")
    with numkeras.GradientTape() as tape:
        out = AbsError()(Y_TRUE, v)  # float32 loss of float64 predictions
    assert out.dtype == "float32"
    grad = tape.gradient(out, v)
    assert grad.dtype == "float64"
    np.testing.assert_allclose(grad.numpy(), np.sign(Y_PRED - Y_TRUE) / Y_PRED.size)
    assert AbsError(dtype="float64")(Y_TRUE, Y_PRED).dtype == "float64"


def test_mask_divides_by_valid_entries():
    values = Tensor(np.array([1.0, 2.0, 3.0, 4.0], "float32"))
    mask = np.array([True, False, True, True])
    np.testing.assert_allclose(float(reduce_weighted_values(values, mask=mask)), (1 + 3 + 4) / 3, rtol=1e-6)
    np.testing.assert_allclose(float(reduce_weighted_values(values, mask=mask, reduction="sum")), 8.0)
    weighted = reduce_weighted_values(values, sample_weight=[1.0, 1.0, 2.0, 0.0], mask=mask)
    np.testing.assert_allclose(float(weighted), (1 + 6 + 0) / 3, rtol=1e-6)


def test_subclass_must_implement_call():
    with pytest.raises(NotImplementedError, match="call"):
        Loss()(Y_TRUE, Y_PRED)


@pytest.mark.parametrize("a, b, expected", [
    ((4,), (4, 1), ((4, 1), (4, 1))),   # rank-1 labels against (n, 1) predictions are expanded
    ((4, 1), (4,), ((4, 1), (4, 1))),
    ((4, 3, 1), (4, 3), ((4, 3), (4, 3))),  # otherwise the size-1 axis is squeezed
    ((4,), (4, 3), ((4,), (4, 3))),     # other gaps are left alone
    ((4, 3), (4, 3), ((4, 3), (4, 3))),
])
def test_squeeze_or_expand_to_same_rank(a, b, expected):
    x1, x2 = squeeze_or_expand_to_same_rank(Tensor(np.zeros(a)), Tensor(np.zeros(b)))
    assert (x1.shape, x2.shape) == expected


def test_a_masked_prediction_averages_over_its_valid_entries_only():
    import numpy as np
    from numkeras import losses
    from numkeras.engine.tensor import Tensor
    y_true = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], "float32")
    y_pred = Tensor(np.zeros((2, 3), "float32"))
    y_pred._keras_mask = Tensor(np.array([[True, True, False], [True, False, False]]))
    mse = losses.MeanSquaredError(reduction="none")  # mean over the last axis first: per-timestep values
    y3, p3 = y_true[..., None], Tensor(np.zeros((2, 3, 1), "float32"))
    p3._keras_mask = y_pred._keras_mask
    assert mse(y3, p3).shape == (2, 3)
    total = float(losses.MeanSquaredError()(y3, p3).data)
    np.testing.assert_allclose(total, (1 + 4 + 0) / 3, rtol=1e-6)
    # Keras 3.15.1 gives 1.6666666 for both (per-sample weights must be shaped (batch, 1) with a mask)
    weighted = float(losses.MeanSquaredError()(y3, p3, sample_weight=np.array([[1.0], [3.0]])).data)
    np.testing.assert_allclose(weighted, (1 + 4 + 3 * 0) / 3, rtol=1e-6)
