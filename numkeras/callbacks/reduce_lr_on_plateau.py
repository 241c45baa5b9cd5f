"""ReduceLROnPlateau: lowers the learning rate when a quantity stops improving.

Example:
    >>> from numkeras import callbacks
    >>> reduce_lr = callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2,
    ...                                         patience=5, min_lr=0.001)
    >>> reduce_lr.factor, reduce_lr.patience
    (0.2, 5)
"""
import warnings

import numpy as np

from numkeras.callbacks.monitor_callback import MonitorCallback
from numkeras.utils.progbar import print_msg


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` after `patience` flat epochs.

    At each epoch end it records the optimizer's current rate in the logs as
    `learning_rate` (so History and CSVLogger see it). After `patience` epochs
    in a row whose `monitor` value does not beat the best by `min_delta`, it
    sets `optimizer.learning_rate = max(lr * factor, min_lr)`, then rests
    `cooldown` epochs before counting again.

    Args:
        monitor: the quantity to watch. Defaults to "val_loss".
        factor: the multiplier, below 1. Defaults to 0.1.
        patience: epochs without improvement before reducing. Defaults to 10.
        verbose: 0 (silent) or 1 (print a message on each reduction).
            Defaults to 0.
        mode: "auto", "min" or "max": which way `monitor` improves.
            Defaults to "auto".
        min_delta: smallest change that counts as an improvement.
            Defaults to 1e-4.
        cooldown: epochs to wait after a reduction before counting again.
            Defaults to 0.
        min_lr: lower bound of the learning rate. Defaults to 0.0.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_lr(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce_lr(self, epoch):
        optimizer = self.model.optimizer
        old_lr = float(optimizer.learning_rate)
        # The rate lives in float32: compare at that precision, or a rate
        # already at min_lr would look slightly above it forever.
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
        return True

    def in_cooldown(self):
        """Whether it is resting after a reduction."""
        return self.cooldown_counter > 0
