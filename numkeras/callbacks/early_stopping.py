"""EarlyStopping: stops fit when a monitored quantity stops improving.

Example:
    >>> import numpy as np
    >>> from numkeras import callbacks, layers, models
    >>> model = models.Sequential([layers.Dense(1, input_shape=(4,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> stopper = callbacks.EarlyStopping(monitor="loss", patience=2)
    >>> history = model.fit(np.ones((8, 4)), np.zeros((8, 1)), epochs=50,
    ...                     callbacks=[stopper], verbose=0)
    >>> len(history.epoch) <= 50
    True
"""
import warnings

from numkeras.callbacks.monitor_callback import MonitorCallback
from numkeras.utils.progbar import print_msg


class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    At the end of every epoch it compares `logs[monitor]` with the best value
    so far; after `patience` epochs without an improvement of at least
    `min_delta` it sets `model.stop_training = True`.

    Args:
        monitor: the quantity to watch, a key of the epoch logs.
            Defaults to "val_loss".
        min_delta: smallest absolute change that counts as an improvement.
            Defaults to 0.
        patience: epochs without improvement after which training stops.
            Defaults to 0.
        verbose: 0 (silent) or 1 (print a message when it acts).
            Defaults to 0.
        mode: "auto", "min" or "max": whether the quantity should go down or
            up ("auto" infers it from the metric). Defaults to "auto".
        baseline: a value the quantity must beat. Until it does, the wait
            counter is not reset, so training stops after `patience` epochs.
            Defaults to None.
        restore_best_weights: whether to put back, when training ends, the
            weights of the epoch with the best value (even if it did not beat
            `baseline`). Defaults to False (keep the last weights).
        start_from_epoch: epochs of warm-up during which nothing is
            monitored. Defaults to 0.

    Attributes:
        stopped_epoch: the epoch at which it stopped training (0 if it did not).
        best_epoch: the epoch with the best value.
        best: the best value seen.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.best_epoch = 0
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        # The same instance may serve several fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Nothing better seen yet: the current weights are the best.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # Patience starts over only once the baseline is beaten too.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """Returns `logs[monitor]`, warning (and returning None) when it is missing."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                          f"Available metrics are: {','.join(logs)}", stacklevel=2)
        return value
