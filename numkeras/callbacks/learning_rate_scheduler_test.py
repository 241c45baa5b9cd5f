import numpy as np
import pytest

from numkeras import callbacks, layers, models, ops
from numkeras.utils import set_random_seed


def fit_with(callback_list, epochs):
    set_random_seed(0)
    model = models.Sequential([layers.Dense(10, input_shape=(20,))])
    model.compile(optimizer="sgd", loss="mse")
    x = np.arange(100, dtype="float32").reshape(5, 20) / 100
    history = model.fit(x, np.zeros((5, 10), "float32"), epochs=epochs, verbose=0, callbacks=callback_list)
    return model, history


def test_sets_the_rate_at_each_epoch_begin():
    seen = []
    scheduler = callbacks.LearningRateScheduler(lambda epoch, lr: 0.5 ** epoch)
    spy = callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(
        (epoch, spy.model.optimizer.learning_rate)))
    model, history = fit_with([scheduler, spy], epochs=4)
    assert seen == [(0, 1.0), (1, 0.5), (2, 0.25), (3, 0.125)]
    assert history.history["learning_rate"] == [1.0, 0.5, 0.25, 0.125]


def test_schedule_receives_the_current_rate():
    # Keras's own example: keep the rate for ten epochs, then decay it.
    def schedule(epoch, lr):
        return lr if epoch < 10 else lr * ops.exp(-0.1)

    model, _ = fit_with([callbacks.LearningRateScheduler(schedule)], epochs=15)
    assert round(model.optimizer.learning_rate, 5) == 0.00607


def test_one_argument_schedule():
    model, _ = fit_with([callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))], epochs=2)
    assert model.optimizer.learning_rate == pytest.approx(0.05)


def test_schedule_must_return_a_float():
    with pytest.raises(ValueError, match="The output of the `schedule` function should be a float. Got: 1"):
        fit_with([callbacks.LearningRateScheduler(lambda epoch, lr: 1)], epochs=1)


def test_verbose_message(capsys):
    fit_with([callbacks.LearningRateScheduler(lambda epoch, lr: 0.25, verbose=1)], epochs=2)
    assert capsys.readouterr().out == ("\nEpoch 1: LearningRateScheduler setting learning rate to 0.25.\n"
                                       "\nEpoch 2: LearningRateScheduler setting learning rate to 0.25.\n")
