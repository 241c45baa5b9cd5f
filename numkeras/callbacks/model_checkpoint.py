"""ModelCheckpoint: saves the model or its weights while fit runs.

Example:
    >>> from numkeras import callbacks
    >>> checkpoint = callbacks.ModelCheckpoint(
    ...     "ckpt/{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)
    >>> checkpoint._get_file_path(epoch=2, batch=None, logs={"val_loss": 0.1234})
    'ckpt/03-0.12.keras'
"""
import os
import warnings

import numpy as np

from numkeras.callbacks.monitor_callback import MonitorCallback
from numkeras.utils.progbar import print_msg


class ModelCheckpoint(MonitorCallback):
    """Saves the model (`model.save`) or its weights (`model.save_weights`).

    Args:
        filepath: path of the file to write, a string or `os.PathLike`. It may
            hold format fields filled from `epoch` (counted from 1), `batch`
            (with an integer `save_freq`) and the keys of the logs, such as
            `"{epoch:02d}-{val_loss:.2f}.keras"`. It must end in ".keras"
            (whole model) or, with `save_weights_only=True`, in ".weights.h5".
        monitor: the quantity `save_best_only` compares. Defaults to "val_loss".
        verbose: 0 (silent) or 1 (print a message when it acts). Defaults to 0.
        save_best_only: if True, save only when `monitor` improves on the best
            value so far. Defaults to False (save every time).
        save_weights_only: if True, save only the weights. Defaults to False.
        mode: "auto", "min" or "max": which way `monitor` improves.
            Defaults to "auto".
        save_freq: "epoch" to save at every epoch end, or an integer to save
            every that many training batches. Defaults to "epoch".
        initial_value_threshold: a value `monitor` must beat before the first
            save with `save_best_only`. Defaults to None.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool)):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are 'epoch' or integer values")
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided "
                                 "must end in `.weights.h5` (Keras weights format). Received: "
                                 f"filepath={self.filepath}")
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError("The filepath provided must end in `.keras` (Keras model format). Received: "
                             f"filepath={self.filepath}")

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        # A batch index that does not grow means a new epoch began.
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            self._batches_seen_since_last_saving += batch + 1
        else:
            self._batches_seen_since_last_saving += batch - self._last_batch_seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            return True
        if np.ndim(current) > 0:
            warnings.warn(f"Can save best model only when `monitor` is a scalar value. Received: {current}. "
                          "Falling back to `save_best_only=False`.", stacklevel=3)
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, "
                          f"saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch, batch, logs):
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        try:
            if self.save_weights_only:
                self.model.save_weights(filepath, overwrite=True)
            else:
                self.model.save(filepath, overwrite=True)
        except OSError as error:
            if isinstance(error, IsADirectoryError) or "is a directory" in str(error).lower():
                raise OSError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                              f"existing directory: {filepath}") from error
            raise
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch, batch, logs):
        """Returns `filepath` with its fields filled (epoch and batch from 1)."""
        logs = logs or {}
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}') from None
