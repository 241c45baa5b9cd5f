import numpy as np
import pytest

from numkeras import callbacks, layers, models
from numkeras.utils import set_random_seed


def fit_that_breaks(callback, break_at=(1, 2), epochs=4):
    """Fills the first kernel with NaN before batch `break_at[1]` of epoch `break_at[0]`."""
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 3)).astype("float32"), rng.normal(size=(40, 1)).astype("float32")
    model = models.Sequential([layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    batches = []
    epoch_now = []

    def poison(batch, logs):
        if (epoch_now[-1], batch) == break_at:
            model.layers[0].kernel.assign(np.full((3, 1), np.nan, "float32"))

    spy = callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: epoch_now.append(epoch), on_train_batch_begin=poison,
        on_train_batch_end=lambda batch, logs: batches.append((epoch_now[-1], batch)))
    history = model.fit(x, y, batch_size=10, epochs=epochs, verbose=0, callbacks=[spy, callback])
    return history, batches


def test_stops_training_after_the_nan_batch(capsys):
    history, batches = fit_that_breaks(callbacks.TerminateOnNaN())
    assert batches[-1] == (1, 2)  # no batch after it
    assert len(history.epoch) == 2 and np.isnan(history.history["loss"][-1])
    assert capsys.readouterr().out == "Batch 2: Invalid loss, terminating training\n"


def test_raise_error():
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0. Loss value: nan."):
        fit_that_breaks(callbacks.TerminateOnNaN(raise_error=True), break_at=(0, 0))


def test_inf_loss_and_finite_loss():
    class Model:
        stop_training = False

    callback = callbacks.TerminateOnNaN()
    callback.set_model(Model())
    callback.on_train_batch_end(0, {"loss": 1.5})
    callback.on_train_batch_end(1, {})
    assert not callback.model.stop_training
    with pytest.raises(RuntimeError, match="Loss value: inf"):
        callbacks.TerminateOnNaN(raise_error=True).on_train_batch_end(5, {"loss": float("inf")})
