import numpy as np
import pytest

from numkeras import layers, models
from numkeras.distribution import LearningRateWarmup


def _fit(callback, epochs=3, rows=12, batch_size=4):
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((rows, 2), "float32"), np.zeros((rows, 1), "float32"), batch_size=batch_size,
              epochs=epochs, verbose=0, callbacks=[callback])
    return model


def test_the_rate_ramps_linearly_then_holds():
    warmup = LearningRateWarmup(0.2, warmup_epochs=1, initial_learning_rate=0.05)
    model = _fit(warmup)  # 3 steps per epoch
    np.testing.assert_allclose(warmup.rates, [0.05, 0.1, 0.15, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], rtol=1e-6)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.2)


def test_the_default_start_is_the_target_over_the_number_of_ranks():
    warmup = LearningRateWarmup(0.1, warmup_epochs=0.5)
    _fit(warmup, epochs=1)
    assert warmup.initial_learning_rate == 0.1  # one rank here
    np.testing.assert_allclose(warmup.rates, [0.1, 0.1, 0.1], rtol=1e-6)


@pytest.mark.parametrize("kwargs", [{"target_learning_rate": 0}, {"target_learning_rate": 0.1, "warmup_epochs": -1}])
def test_bad_arguments_name_themselves(kwargs):
    name = "warmup_epochs" if "warmup_epochs" in kwargs else "target_learning_rate"
    with pytest.raises(ValueError, match=name):
        LearningRateWarmup(**kwargs)
