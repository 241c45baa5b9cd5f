"""LambdaCallback: a callback built from plain functions, for one-off hooks.

Example:
    >>> from numkeras import callbacks
    >>> seen = []
    >>> callback = callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["loss"])))
    >>> callback.on_epoch_end(0, {"loss": 0.5})
    >>> seen
    [(0, 0.5)]
"""
from numkeras.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Calls the functions it is given at the matching hooks.

    The functions receive the hook's arguments positionally:
    `on_epoch_begin`/`on_epoch_end` get `(epoch, logs)`,
    `on_train_begin`/`on_train_end` get `(logs)`, and the batch hooks get
    `(batch, logs)`.

    Args:
        on_epoch_begin: called at the start of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_train_begin: called when training starts.
        on_train_end: called when training ends.
        on_train_batch_begin: called before every training batch.
        on_train_batch_end: called after every training batch.
        **kwargs: any other hook of `Callback` as `hook_name=function`, e.g.
            `on_test_end=...` or `on_predict_batch_end=...`.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin, "on_train_batch_end": on_train_batch_end}
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
