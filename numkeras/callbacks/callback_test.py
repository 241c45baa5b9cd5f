import inspect

from numkeras.callbacks import Callback

HOOKS = [
    "on_batch_begin", "on_batch_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
    "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end",
    "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
    "on_predict_begin", "on_predict_end",
]


def test_every_hook_exists_and_does_nothing():
    callback = Callback()
    for hook in HOOKS:
        params = list(inspect.signature(getattr(callback, hook)).parameters)
        assert params[-1] == "logs"
        args = [0] * (len(params) - 1)
        assert getattr(callback, hook)(*args, logs={"loss": 1.0}) is None


def test_params_and_model():
    callback = Callback()
    assert callback.params is None and callback.model is None
    model = object()
    callback.set_model(model)
    callback.set_params({"epochs": 3, "steps": 10, "verbose": 1})
    assert callback.model is model
    assert callback.params == {"epochs": 3, "steps": 10, "verbose": 1}


def test_train_batch_hooks_call_the_batch_aliases():
    calls = []

    class Recorder(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch, logs))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs))

    recorder = Recorder()
    recorder.on_train_batch_begin(3)
    recorder.on_train_batch_end(3, {"loss": 0.5})
    recorder.on_test_batch_end(3, {"loss": 0.5})  # not an alias target
    assert calls == [("begin", 3, None), ("end", 3, {"loss": 0.5})]
