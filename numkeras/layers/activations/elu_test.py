import numpy as np
import pytest

from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.layers.activations import ELU

X = np.random.default_rng(2).uniform(-5, 5, (4, 6))


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_values_and_gradients(alpha):
    layer = ELU() if alpha == 1.0 else ELU(alpha=alpha)
    np.testing.assert_allclose(layer(X.astype("float32")).numpy(), np.where(X >= 0, X, alpha * np.expm1(X)),
                               rtol=1e-6, atol=1e-7)
    check_gradients(ELU(alpha=alpha, dtype="float64"), X)
    check_float32(layer, X.astype("float32"))


def test_large_inputs_stay_finite_and_config_round_trips():
    assert np.isfinite(ELU()(np.array([-1e4, 1e4], "float32")).numpy()).all()
    layer = ELU(alpha=0.7, name="e")
    config = layer.get_config()
    assert config["alpha"] == 0.7 and ELU.from_config(config).alpha == 0.7
    assert layer.compute_output_shape((None, 2)) == (None, 2)
