import numpy as np
import pytest

from numkeras.callbacks import Callback, CallbackList, History, ProgbarLogger
from numkeras.callbacks.callback_list import pythonify_logs

HOOKS = sorted(name for name in dir(Callback) if name.startswith("on_"))


class FakeModel:
    stop_training = False


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_"):
            calls = object.__getattribute__(self, "calls")
            return lambda *args: calls.append((name, *args))
        return object.__getattribute__(self, name)


def test_every_hook_is_dispatched_in_order():
    first, second = Recorder(), Recorder()
    callbacks = CallbackList([first, second])
    for hook in HOOKS:
        takes_index = "batch" in hook or "epoch" in hook
        args = (7,) if takes_index else ()
        getattr(callbacks, hook)(*args, logs={"loss": 1.0})
    expected = [(hook, 7, {"loss": 1.0}) if ("batch" in hook or "epoch" in hook)
                else (hook, {"loss": 1.0}) for hook in HOOKS]
    assert first.calls == expected
    assert second.calls == expected


def test_logs_are_sorted_and_made_python_floats():
    recorder = Recorder()
    callbacks = CallbackList([recorder])
    outputs = np.zeros((2, 3), dtype="float32")
    callbacks.on_epoch_end(0, {"loss": np.float32(0.5), "accuracy": np.array(0.75),
                               "val": {"val_loss": 1}})
    callbacks.on_predict_batch_end(0, {"outputs": outputs})
    _, _, logs = recorder.calls[0]
    assert list(logs) == ["accuracy", "loss", "val_loss"]
    assert all(type(v) is float for v in logs.values())
    assert recorder.calls[1][2]["outputs"] is outputs
    assert pythonify_logs(None) == {}


def test_adds_history_and_progbar_once():
    callbacks = CallbackList(add_history=True, add_progbar=True)
    assert [type(c) for c in callbacks.callbacks] == [History, ProgbarLogger]
    history, logger = History(), ProgbarLogger()
    callbacks = CallbackList([[logger], history], add_history=True, add_progbar=True)
    assert callbacks.callbacks == [logger, history]
    assert CallbackList().callbacks == []


def test_model_and_params_reach_every_callback():
    model, recorder = FakeModel(), Callback()
    callbacks = CallbackList([recorder], add_history=True, model=model,
                             verbose=1, epochs=2, steps=5)
    assert model.history is callbacks.callbacks[1]
    for callback in callbacks.callbacks:
        assert callback.model is model
        assert callback.params == {"verbose": 1, "epochs": 2, "steps": 5}


def test_callbacks_can_stop_training():
    class Stopper(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    model = FakeModel()
    callbacks = CallbackList([Stopper()], model=model)
    epochs_run = 0
    for epoch in range(10):
        callbacks.on_epoch_end(epoch, {})
        epochs_run += 1
        if model.stop_training:
            break
    assert epochs_run == 2


def test_rejects_what_is_not_a_callback():
    with pytest.raises(TypeError, match="must be an instance of numkeras.callbacks.Callback"):
        CallbackList([lambda logs: None])


def test_batch_hooks_reach_only_the_callbacks_that_override_them():
    seen = []

    class EpochsOnly(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(("epoch", epoch))

    class OldStyle(Callback):  # on_batch_end is what the train batch hook calls by default
        def on_batch_end(self, batch, logs=None):
            seen.append(("batch", batch, logs))

    quiet = CallbackList([EpochsOnly()])
    quiet.on_train_batch_end(0, {"loss": np.float32(0.5)})
    quiet.on_epoch_end(0, {})
    assert seen == [("epoch", 0)] and quiet._listeners["on_train_batch_end"] == []

    both = CallbackList([EpochsOnly(), OldStyle()])
    both.on_train_batch_end(3, {"loss": np.float32(0.5)})
    both.on_test_batch_end(4, {"loss": 1.0})  # OldStyle does not listen to test batches
    assert seen[1:] == [("batch", 3, {"loss": 0.5})]
    late = OldStyle()
    both.callbacks.append(late)  # a callback added later is seen too
    both.on_train_batch_end(5, {})
    assert seen[2:] == [("batch", 5, {}), ("batch", 5, {})]
