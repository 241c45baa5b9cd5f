"""LearningRateWarmup: raise the learning rate gradually over the first epochs of a data-parallel run.

N ranks with `batch_size` B take steps of a global batch B, and users who grow B with the number
of ranks usually scale the learning rate with it (Goyal et al., 2017, "Accurate, large minibatch
SGD"). Starting at the full, scaled rate often diverges; this callback ramps it linearly, batch by
batch, from `initial_learning_rate` to `target_learning_rate` over `warmup_epochs` epochs, then
leaves it at the target. The idea is Horovod's LearningRateWarmupCallback; the code is ours.

Example:
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> warmup = LearningRateWarmup(target_learning_rate=0.1, warmup_epochs=2, initial_learning_rate=0.01)
    >>> _ = model.fit(np.zeros((8, 2)), np.zeros((8, 1)), batch_size=4, epochs=3, verbose=0, callbacks=[warmup])
    >>> [round(r, 4) for r in warmup.rates]   # per step: 2 steps per epoch, 4 warm-up steps
    [0.01, 0.0325, 0.055, 0.0775, 0.1, 0.1]
"""
from numkeras.callbacks.callback import Callback


class LearningRateWarmup(Callback):
    """Ramps the optimizer's learning rate linearly from `initial_learning_rate` to `target_learning_rate`.

    Args:
        target_learning_rate: the rate reached after the warm-up, e.g. the single-process rate
            times the number of ranks.
        warmup_epochs: epochs the ramp lasts (may be fractional). Defaults to 5.
        initial_learning_rate: the first step's rate. Defaults to `target_learning_rate` divided by
            the number of ranks (`distribution.get_device_count()`), i.e. the unscaled rate.
        steps_per_epoch: steps in an epoch; defaults to what fit reports.
        verbose: 1 prints the rate when the warm-up ends (rank 0). Defaults to 0.
    """

    def __init__(self, target_learning_rate, warmup_epochs=5, initial_learning_rate=None, steps_per_epoch=None,
                 verbose=0):
        super().__init__()
        for name, value in (("target_learning_rate", target_learning_rate), ("warmup_epochs", warmup_epochs)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"LearningRateWarmup: {name} must be a positive number. Received: {name}={value!r}.")
        self.target_learning_rate = float(target_learning_rate)
        self.warmup_epochs = warmup_epochs
        self.initial_learning_rate = initial_learning_rate
        self.steps_per_epoch = steps_per_epoch
        self.verbose = verbose
        self.rates = []  # the rate of every step taken during fit
        self._epoch = 0

    def on_train_begin(self, logs=None):
        if self.initial_learning_rate is None:
            from numkeras.distribution.distribution_lib import get_device_count
            self.initial_learning_rate = self.target_learning_rate / get_device_count()
        steps = self.steps_per_epoch or (self.params or {}).get("steps")
        if not steps:
            raise ValueError("LearningRateWarmup: the steps per epoch are unknown (a generator without length). "
                             "Pass steps_per_epoch=... to the callback.")
        self._total_steps = max(1, round(self.warmup_epochs * steps))
        self._steps = int(steps)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        step = self._epoch * self._steps + batch
        if step > self._total_steps:
            return
        fraction = step / self._total_steps
        rate = self.initial_learning_rate + fraction * (self.target_learning_rate - self.initial_learning_rate)
        self.model.optimizer.learning_rate = rate
        if step == self._total_steps and self.verbose:
            from numkeras.distribution.communicator import world
            if world().rank == 0:
                print(f"\nEpoch {self._epoch + 1}: LearningRateWarmup reached learning rate {rate:.6g}.")

    def on_train_batch_end(self, batch, logs=None):
        self.rates.append(float(self.model.optimizer.learning_rate))
