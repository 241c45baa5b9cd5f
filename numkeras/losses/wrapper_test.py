"""LossFunctionWrapper and BuiltinLoss: a plain function as a loss, configs, the input helpers."""
import numpy as np
import pytest

import numkeras
from numkeras import losses, ops
from numkeras.losses.wrapper import BuiltinLoss, check_axis, pair
from numkeras.losses.registry import get_loss

RNG = np.random.default_rng(5)


def scaled_l2(y_true, y_pred, scale=1.0):
    return ops.multiply(ops.mean(ops.square(ops.subtract(y_pred, y_true)), axis=-1), scale)


def test_loss_function_wrapper():
    loss = losses.LossFunctionWrapper(scaled_l2, name="scaled", scale=2.0)
    y, p = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    assert loss.name == "scaled"
    assert float(loss(y, p)) == pytest.approx(2 * ((y - p) ** 2).mean(), rel=1e-6)
    assert loss.get_config()["scale"] == 2.0
    assert losses.LossFunctionWrapper(scaled_l2).name == "loss_function_wrapper"
    wrapped = losses.LossFunctionWrapper(losses.mean_squared_error, name="mse")
    rebuilt = losses.LossFunctionWrapper.from_config(wrapped.get_config())
    assert rebuilt.fn is losses.mean_squared_error and rebuilt.name == "mse"


@pytest.mark.parametrize("reduction, expected", [
    ("sum_over_batch_size", lambda v, w: (v * w).mean()),
    ("sum", lambda v, w: (v * w).sum()),
    ("mean_with_sample_weight", lambda v, w: (v * w).sum() / w.sum()),
    (None, lambda v, w: v * w),
])
def test_user_function_is_a_loss(reduction, expected):
    """A user's fn(y_true, y_pred) gets sample weights, reductions and gradients like a built-in loss."""
    def my_l1(y_true, y_pred):
        return ops.mean(ops.abs(ops.subtract(y_pred, y_true)), axis=-1)

    y, p, w = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 3)), RNG.uniform(0, 2, 5)
    loss = get_loss(my_l1)
    assert loss.name == "my_l1"
    loss.reduction = reduction
    value = loss(y, p, sample_weight=w)
    assert value.dtype == "float32"
    np.testing.assert_allclose(value.numpy(), expected(np.abs(p - y).mean(-1), w), rtol=1e-5)
    variable = numkeras.Variable(p, dtype="float32")
    with numkeras.GradientTape() as tape:
        total = ops.sum(loss(y, variable, sample_weight=w))
    assert np.all(np.isfinite(tape.gradient(total, variable).numpy()))


def test_builtin_loss_config_is_its_arguments():
    class Scaled(BuiltinLoss):
        def __init__(self, scale=1.0, reduction="sum_over_batch_size", name="scaled", dtype=None):
            super().__init__(scaled_l2, name=name, reduction=reduction, dtype=dtype, scale=scale)

    loss = Scaled(scale=3.0, reduction="sum")
    assert loss.scale == 3.0
    assert loss.get_config() == {"name": "scaled", "reduction": "sum", "scale": 3.0}
    assert Scaled.from_config(loss.get_config()).get_config() == loss.get_config()
    assert repr(loss) == "<LossFunctionWrapper(scaled_l2, kwargs={'scale': 3.0})>"  # as Keras prints it


def test_pair_gives_one_float_dtype():
    y_true, y_pred = pair([1, 0, 1], np.zeros((3, 1), "float32"))
    assert y_true.dtype == y_pred.dtype == "float32" and y_true.shape == (3, 1)
    y_true, y_pred = pair(np.zeros(3), [1.0, 2.0, 3.0], squeeze=False)
    assert y_pred.dtype == "float32" and y_true.dtype == "float32"


@pytest.mark.parametrize("axis", [1.0, True, "1", None])
def test_check_axis_names_the_argument(axis):
    with pytest.raises(ValueError, match=r"In my_loss, `axis` must be an int. Received: axis="):
        check_axis(axis, "my_loss")
    check_axis(np.int64(1), "my_loss")
