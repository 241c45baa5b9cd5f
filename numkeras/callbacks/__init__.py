"""Callbacks: hooks into fit, evaluate and predict.

Example:
    >>> from numkeras import callbacks
    >>> isinstance(callbacks.History(), callbacks.Callback)
    True
"""
from numkeras.callbacks.callback import Callback
from numkeras.callbacks.callback_list import CallbackList
from numkeras.callbacks.csv_logger import CSVLogger
from numkeras.callbacks.early_stopping import EarlyStopping
from numkeras.callbacks.history import History
from numkeras.callbacks.lambda_callback import LambdaCallback
from numkeras.callbacks.learning_rate_scheduler import LearningRateScheduler
from numkeras.callbacks.model_checkpoint import ModelCheckpoint
from numkeras.callbacks.progbar_logger import ProgbarLogger
from numkeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from numkeras.callbacks.terminate_on_nan import TerminateOnNaN

# The surface (tests/surface checks it against Keras 3.15's keras.callbacks).
__all__ = ["CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau", "TerminateOnNaN"]


def __dir__():
    return list(__all__)
