"""ActivityRegularization: identity output, the per-sample L1/L2 penalty in losses and in fit, config."""
import numpy as np

from numkeras import GradientTape, Variable, models
from numkeras.layers import Dense, Input
from numkeras.layers.regularization import ActivityRegularization
from numkeras.utils import set_random_seed


def test_identity_with_a_per_sample_penalty():
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    layer = ActivityRegularization(l1=0.1, l2=0.2)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    expected = (0.1 * np.abs(x).sum() + 0.2 * np.square(x).sum()) / 4  # divided by the batch size
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-5)
    layer(x[:2])
    assert len(layer.losses) == 1  # only the last call's penalty
    zero = ActivityRegularization()
    zero(x)
    assert float(zero.losses[0]) == 0


def test_penalty_gradient():
    x = Variable(np.array([[1.0, -2.0]], "float32"))
    layer = ActivityRegularization(l1=0.5, l2=0.25)
    with GradientTape() as tape:
        layer(x)
        penalty = layer.losses[0]
    np.testing.assert_allclose(tape.gradient(penalty, x).numpy(), [[0.5 + 0.5, -0.5 - 1.0]])


def test_fit_adds_the_penalty_to_the_loss():
    set_random_seed(0)
    x = np.random.default_rng(1).normal(size=(8, 3)).astype("float32")
    y = np.zeros((8, 2), "float32")
    model = models.Sequential([Input(shape=(3,)), Dense(2), ActivityRegularization(l2=1.0)])
    model.compile(optimizer="sgd", loss="mse")
    plain = float(np.mean(np.square(model.predict(x, verbose=0))))
    penalty = float(np.sum(np.square(model.predict(x, verbose=0)))) / 8
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), plain + penalty, rtol=1e-5)


def test_config_round_trip():
    layer = ActivityRegularization(l1=0.01, l2=0.02, name="act_reg")
    config = layer.get_config()
    assert config["l1"] == 0.01 and config["l2"] == 0.02 and "activity_regularizer" not in config
    again = ActivityRegularization.from_config(config)
    assert again.get_config() == config
    assert again.compute_output_shape((None, 4)) == (None, 4)
    defaults = ActivityRegularization().get_config()
    assert defaults["l1"] == 0.0 and defaults["l2"] == 0.0
