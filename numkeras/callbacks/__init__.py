"""Callbacks: hooks into fit, evaluate and predict.

Example:
    >>> from numkeras import callbacks
    >>> isinstance(callbacks.History(), callbacks.Callback)
    True
"""
from numkeras.callbacks.callback import Callback
from numkeras.callbacks.callback_list import CallbackList
from numkeras.callbacks.history import History
from numkeras.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
