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
        self.history = {}
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
