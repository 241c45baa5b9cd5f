"""LearningRateScheduler: sets the learning rate from a function of the epoch.

Example:
    >>> from numkeras import callbacks
    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> scheduler = callbacks.LearningRateScheduler(schedule, verbose=0)
    >>> scheduler.schedule(12, 0.5)
    0.45
"""
import numpy as np

from numkeras.callbacks.callback import Callback
from numkeras.engine.tensor import unwrap
from numkeras.utils.progbar import print_msg


class LearningRateScheduler(Callback):
    """Sets `model.optimizer.learning_rate` at the start of every epoch.

    The new rate is `schedule(epoch, lr)`, with the epoch index (from 0) and
    the current rate as a float; a `schedule(epoch)` of one argument also
    works. At each epoch end the rate joins the logs as `learning_rate`.

    Args:
        schedule: a function `(epoch, lr) -> new_lr` returning a float.
        verbose: 0 (silent) or 1 (print the rate it sets). Defaults to 0.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # an older schedule(epoch) of one argument
            learning_rate = self.schedule(epoch)
        learning_rate = unwrap(learning_rate)
        # A 0-d float array (from numkeras.ops, say) is as good as a float.
        if isinstance(learning_rate, np.ndarray) and learning_rate.ndim == 0 and learning_rate.dtype.kind == "f":
            learning_rate = learning_rate[()]
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
