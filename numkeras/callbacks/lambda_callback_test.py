import numpy as np
import pytest

from numkeras import callbacks, layers, models


def test_hooks_fire_in_fit_evaluate_and_predict():
    events = []

    def record(name):
        return lambda *args: events.append((name,) + tuple(
            sorted(a) if isinstance(a, dict) else a for a in args))

    callback = callbacks.LambdaCallback(
        on_train_begin=record("train_begin"), on_train_end=record("train_end"),
        on_epoch_begin=record("epoch_begin"), on_epoch_end=record("epoch_end"),
        on_train_batch_begin=record("batch_begin"), on_train_batch_end=record("batch_end"),
        on_test_end=record("test_end"), on_predict_begin=record("predict_begin"))
    model = models.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[callback])
    assert events == [
        ("train_begin", []), ("epoch_begin", 0, []),
        ("batch_begin", 0, []), ("batch_end", 0, ["loss"]),
        ("batch_begin", 1, []), ("batch_end", 1, ["loss"]),
        ("epoch_end", 0, ["loss"]), ("train_end", ["loss"])]
    events.clear()
    model.evaluate(x, y, verbose=0, callbacks=[callback])
    model.predict(x, verbose=0, callbacks=[callback])
    assert events == [("test_end", ["loss"]), ("predict_begin", [])]


def test_unset_hooks_do_nothing():
    callback = callbacks.LambdaCallback()
    assert callback.on_epoch_end(0, {"loss": 1.0}) is None
    assert callback.on_train_batch_end(0, {"loss": 1.0}) is None


def test_it_can_stop_training():
    model = models.Sequential([layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")

    def stop(epoch, logs):
        model.stop_training = epoch == 1

    history = model.fit(np.ones((4, 2)), np.zeros((4, 1)), epochs=5, verbose=0,
                        callbacks=[callbacks.LambdaCallback(on_epoch_end=stop)])
    assert history.epoch == [0, 1]


def test_is_a_callback():
    assert isinstance(callbacks.LambdaCallback(), callbacks.Callback)
    with pytest.raises(TypeError):
        callbacks.LambdaCallback(lambda epoch, logs: None, 1, 2, 3, 4, 5, 6)
