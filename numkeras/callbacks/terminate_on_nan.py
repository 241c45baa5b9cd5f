"""TerminateOnNaN: stops fit as soon as a batch's loss is NaN or infinite.

Example:
    >>> from numkeras import callbacks
    >>> class Model:
    ...     stop_training = False
    >>> callback = callbacks.TerminateOnNaN()
    >>> callback.set_model(Model())
    >>> callback.on_train_batch_end(3, {"loss": float("nan")})
    Batch 3: Invalid loss, terminating training
    >>> callback.model.stop_training
    True
"""
import numpy as np

from numkeras.callbacks.callback import Callback
from numkeras.utils.progbar import print_msg


class TerminateOnNaN(Callback):
    """Stops training when the loss of a training batch is NaN or Inf.

    Args:
        raise_error: if False, stop gracefully through
            `model.stop_training = True` (the epoch ends and every callback's
            `on_train_end` runs); if True, raise a RuntimeError at once,
            skipping that clean-up. Defaults to False.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or np.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                               "Terminating training immediately.")
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
