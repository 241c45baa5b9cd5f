import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Adadelta
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_adadelta(init, grads, lr, rho=0.95, epsilon=1e-7):
    """Keras's Adadelta in float64 (Zeiler 2012, scaled by the learning rate)."""
    w = [x.astype("float64") for x in init]
    eg = [np.zeros_like(x) for x in w]
    ed = [np.zeros_like(x) for x in w]
    for step in grads:
        for i, g in enumerate(step):
            g = g.astype("float64")
            eg[i] = rho * eg[i] + (1 - rho) * g**2
            update = -np.sqrt(ed[i] + epsilon) / np.sqrt(eg[i] + epsilon) * g
            ed[i] = rho * ed[i] + (1 - rho) * update**2
            w[i] = w[i] + lr * update
    return w


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    Adadelta(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.9993, 1.9993, 2.9993, 3.9993], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = np.tile([[0.9978], [0.9947], [0.9915], [0.9882], [0.9849]], (1, 10))
    for got, want in zip(keras_trajectory(Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6)), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {"rho": 0.8, "epsilon": 1e-6}, {"rho": 0.5, "epsilon": 1e-3}])
def test_matches_float64_reference(kwargs):
    opt = Adadelta(1.0, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_adadelta(init, grads, 1.0, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_slots():
    v = numkeras.Variable([1.0, 2.0], name="k")
    opt = Adadelta()
    opt.build([v])
    assert [s.name for s in opt.variables[2:]] == ["k_accumulated_grad", "k_accumulated_delta_var"]
