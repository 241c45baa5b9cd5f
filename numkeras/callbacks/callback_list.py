"""CallbackList: calls every hook of a list of callbacks at once.

The trainer talks to the callbacks only through it. It adds the `History`
and `ProgbarLogger` that fit needs, hands `params` and the model to every
callback, and gives them logs as Python floats sorted by name (which is why
the progress bar shows the metrics in alphabetical order).

Example:
    >>> from numkeras.callbacks import CallbackList
    >>> callbacks = CallbackList(add_history=True, epochs=1, steps=1, verbose=0)
    >>> callbacks.on_train_begin()
    >>> callbacks.on_epoch_begin(0)
    >>> callbacks.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.75})
    >>> callbacks.on_train_end()
    >>> callbacks.callbacks[0].history
    {'accuracy': [0.75], 'loss': [0.5]}
"""
import numpy as np

from numkeras.callbacks.callback import Callback
from numkeras.callbacks.history import History
from numkeras.callbacks.progbar_logger import ProgbarLogger


def _flatten(callbacks):
    flat = []
    for callback in callbacks:
        if isinstance(callback, (list, tuple)):
            flat.extend(_flatten(callback))
        else:
            flat.append(callback)
    return flat


def pythonify_logs(logs):
    """Returns `logs` sorted by key, nested dicts flattened, scalars as floats.

    Values that are not scalars (such as predict's `outputs`) are kept as
    they are.
    """
    result = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        if isinstance(value, (int, float, np.number)) or getattr(value, "ndim", None) == 0:
            value = float(np.asarray(value))
        result[key] = value
    return result


# Each per-batch hook and the Callback methods whose override means a callback wants it: the train
# hooks call on_batch_begin/end by default, as in Keras.
_BATCH_HOOKS = {"on_train_batch_begin": ("on_train_batch_begin", "on_batch_begin"),
                "on_train_batch_end": ("on_train_batch_end", "on_batch_end"),
                "on_test_batch_begin": ("on_test_batch_begin",), "on_test_batch_end": ("on_test_batch_end",),
                "on_predict_batch_begin": ("on_predict_batch_begin",),
                "on_predict_batch_end": ("on_predict_batch_end",)}


class CallbackList(Callback):
    """Container that dispatches each hook to a list of `Callback`s.

    Args:
        callbacks: list of `Callback` instances (nested lists are flattened).
            Defaults to None (no callbacks).
        add_history: whether to add a `History` if the list has none.
            Defaults to False.
        add_progbar: whether to add a `ProgbarLogger` if the list has none.
            Defaults to False.
        model: the model the callbacks act on. The `History` becomes
            `model.history`.
        **params: training parameters (`verbose`, `epochs`, `steps`) passed
            to every callback through `set_params`.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False,
                 model=None, **params):
        super().__init__()
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        if callbacks and not isinstance(callbacks, (list, tuple)):
            raise TypeError(
                "callbacks must be a list of numkeras.callbacks.Callback instances, e.g. "
                f"callbacks=[EarlyStopping()]. Received: callbacks={callbacks!r} of type {type(callbacks).__name__}.")
        self.callbacks = _flatten(callbacks) if callbacks else []
        self._listeners, self._listened = {}, -1  # per batch hook: the callbacks that override it
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    "CallbackList: every callback must be an instance of "
                    f"numkeras.callbacks.Callback. Received: {callback!r} of type "
                    f"{type(callback).__name__}. Subclass Callback and override the "
                    "hooks you need.")
        self._add_default_callbacks(add_history, add_progbar)
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history, add_progbar):
        self._history = next(
            (cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next(
            (cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook, *args, logs=None):
        logs = pythonify_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def _call_batch_hook(self, hook, batch, logs):
        """A per-batch hook, given only to the callbacks that override it (its logs converted only then)."""
        listeners = self._listeners.get(hook) if len(self.callbacks) == self._listened else None
        if listeners is None:
            if len(self.callbacks) != self._listened:
                self._listeners, self._listened = {}, len(self.callbacks)
            names = _BATCH_HOOKS[hook]
            listeners = self._listeners[hook] = [
                cb for cb in self.callbacks
                if any(getattr(getattr(cb, name), "__func__", None) is not getattr(Callback, name) for name in names)]
        if listeners:
            logs = pythonify_logs(logs)
            for callback in listeners:
                getattr(callback, hook)(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch_hook("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch_hook("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)
