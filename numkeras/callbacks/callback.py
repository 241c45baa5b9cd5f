"""Callback: the base class for hooks into fit, evaluate and predict.

Subclass it and override the methods for the stages you care about. The
trainer calls every hook through a `CallbackList`.

Example:
    >>> from numkeras.callbacks import Callback
    >>> class StopAfterFirstEpoch(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.model.stop_training = True
    >>> StopAfterFirstEpoch().params is None
    True
"""
from numkeras.utils.argument_checks import wrap_constructor



class Callback:
    """Base class for callbacks.

    Attributes:
        params: dict of training parameters (`verbose`, `epochs`, `steps`).
        model: the model being trained, evaluated or used to predict.

    The `logs` dict passed to the hooks holds Python floats: the running
    epoch means of the loss and metrics at batch ends, and the epoch's
    results (with `val_` twins after validation) at epoch ends.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        """Stores the training parameters dict."""
        self.params = params

    def set_model(self, model):
        """Stores the model the callback acts on."""
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """Alias kept for backward compatibility: `on_train_batch_begin` calls it."""

    def on_batch_end(self, batch, logs=None):
        """Alias kept for backward compatibility: `on_train_batch_end` calls it."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (fit only).

        Args:
            epoch: index of the epoch, from 0.
            logs: currently empty.
        """

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch (fit only).

        Args:
            epoch: index of the epoch, from 0.
            logs: the epoch's metric results, e.g. `{'accuracy': 0.7,
                'loss': 0.2}`, plus `val_`-prefixed results after validation.
        """

    def on_train_batch_begin(self, batch, logs=None):
        """Called before a training batch.

        Args:
            batch: index of the batch within the epoch.
            logs: currently empty.
        """
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after a training batch.

        Args:
            batch: index of the batch within the epoch.
            logs: the metric results aggregated up to this batch.
        """
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before a batch of `evaluate` or of validation in `fit`."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after a batch of `evaluate` or of validation in `fit`.

        Args:
            batch: index of the batch.
            logs: the metric results aggregated up to this batch.
        """

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a batch of `predict`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a batch of `predict`; `logs` holds `outputs`."""

    def on_train_begin(self, logs=None):
        """Called at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called at the end of `fit`; `logs` holds the last epoch's results."""

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` or of validation."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` or of validation, with its results."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""


wrap_constructor(Callback)  # the base class's own arguments (name, dtype, ...) too
