import numpy as np
import pytest

import numkeras
from numkeras.optimizers import Adagrad
from numkeras.optimizers.optimizer_test import keras_trajectory, run_steps


def reference_adagrad(init, grads, lr, initial_accumulator_value=0.1, epsilon=1e-7):
    """Keras's Adagrad in float64 (epsilon inside the square root)."""
    w = [x.astype("float64") for x in init]
    acc = [np.full_like(x, initial_accumulator_value) for x in w]
    for step in grads:
        for i, g in enumerate(step):
            g = g.astype("float64")
            acc[i] = acc[i] + g * g
            w[i] = w[i] - lr * g / np.sqrt(acc[i] + epsilon)
    return w


def test_single_step_golden():
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    Adagrad(learning_rate=0.5).apply_gradients([(np.array([1.0, 6.0, 7.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.5233, 1.5007, 2.5005, 3.5061], rtol=1e-4, atol=1e-4)


def test_keras_golden_trajectory():
    golden = [[0.9963] * 10,
              [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
              [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
              [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
              [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825]]
    opt = Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6)
    for got, want in zip(keras_trajectory(opt), golden):
        np.testing.assert_allclose(got, want, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("kwargs", [{}, {"initial_accumulator_value": 0.0},
                                    {"initial_accumulator_value": 0.7, "epsilon": 1e-3}])
def test_matches_float64_reference(kwargs):
    opt = Adagrad(0.1, **kwargs)
    init, grads, final = run_steps(opt, steps=6)
    for got, want in zip(final, reference_adagrad(init, grads, 0.1, **kwargs)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_accumulators_start_at_initial_value():
    v = numkeras.Variable(np.zeros((2, 3)), name="k")
    opt = Adagrad(initial_accumulator_value=0.25)
    opt.build([v])
    assert [s.name for s in opt.variables] == ["iteration", "learning_rate", "k_accumulator"]
    np.testing.assert_array_equal(opt.variables[2].numpy(), np.full((2, 3), 0.25, "float32"))
