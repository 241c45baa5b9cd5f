"""History: the callback that records each epoch's logs; `fit` returns it.

Example:
    >>> from numkeras.callbacks import History
    >>> history = History()
    >>> history.on_train_begin()
    >>> history.on_epoch_end(0, {"loss": 0.5})
    >>> history.history
    {'loss': [0.5]}
"""
from numkeras.callbacks.callback import Callback
from numkeras.utils.keras2_idioms import note as _keras2_note

# Keras 2 (up to 2.2, the 1st edition of Deep Learning with Python) logged accuracy as `acc`, and
# the shorthand metrics under their functions' names (`metrics=['mae']` logged
# `mean_absolute_error`); Keras 3 logs each under the name compile() was given. A Keras 2 key
# -> the Keras 3 keys it may stand for.
_KERAS2_KEYS = {
    "acc": ("accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"),
    "mean_absolute_error": ("mae",),
    "mean_squared_error": ("mse",),
    "mean_absolute_percentage_error": ("mape",),
    "mean_squared_logarithmic_error": ("msle",),
}


class _HistoryDict(dict):
    """The per-epoch logs; Keras 2's keys (`['acc']`, `['val_mean_absolute_error']`) read what Keras 3 logged.

    Only a lookup that would fail is answered this way (keys(), `in` and iteration show Keras 3's
    names), and only when exactly one logged key fits; it is noted once per process.
    """

    def __missing__(self, key):
        prefix = "val_" if isinstance(key, str) and key.startswith("val_") else ""
        names = _KERAS2_KEYS.get(key[len(prefix):], ()) if isinstance(key, str) else ()
        found = [prefix + name for name in names if prefix + name in self]
        if len(found) == 1:
            _keras2_note(
                f"history-{key[len(prefix):]}", f"history.history[{key!r}] is Keras 2's key; Keras 3 logs that metric under "
                                  f"the name compile() was given: history.history[{found[0]!r}].")
            return self[found[0]]
        raise KeyError(key)


class History(Callback):
    """Records the logs of every epoch.

    Added to every `fit`, which returns it; it is also `model.history`.

    Attributes:
        history: dict mapping each log key (`loss`, metric names and their
            `val_` twins) to the list of its per-epoch values.
        epoch: list of the epoch indices recorded.
    """

    def __init__(self):
        super().__init__()
        self.history = _HistoryDict()
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        # Keep model.history pointing at the latest state.
        if self.model is not None:
            self.model.history = self
