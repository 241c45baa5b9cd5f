"""CSVLogger: streams each epoch's logs to a CSV file.

Example:
    >>> import os, tempfile
    >>> from numkeras import callbacks
    >>> path = os.path.join(tempfile.mkdtemp(), "training.log")
    >>> logger = callbacks.CSVLogger(path)
    >>> logger.on_train_begin()
    >>> logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
    >>> logger.on_train_end()
    >>> with open(path) as f:
    ...     f.read().splitlines()
    ['epoch,loss,val_loss', '0,0.5,0.75']
"""
import collections.abc
import csv
import os

import numpy as np

from numkeras.callbacks.callback import Callback


class CSVLogger(Callback):
    """Writes one row per epoch: the epoch index (from 0), then the logs.

    The columns are the first epoch's log keys, sorted; if none of them is a
    `val_` key, `val_` twins are added so that later validation (with
    `validation_freq > 1`) has a place, and missing values are written "NA".
    Each row is flushed as soon as it is written, so a crash loses nothing
    already logged. Values that are iterables are written as "[a, b]".

    Args:
        filename: path of the CSV file, e.g. "run/log.csv" (a string or
            `os.PathLike`).
        separator: the field delimiter. Defaults to ",".
        append: if True, add rows to an existing file (its header is kept
            and not written again); if False, overwrite it. Defaults to False.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    # An existing non-empty file already has its header.
                    self.append_header = not f.readline()
            mode = "a"
        else:
            mode = "w"
        self._close()
        # newline="" lets the csv module end rows itself ("\r\n", as Keras's files).
        self.csv_file = open(self.filename, mode, newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(f"val_{key}" for key in list(self.keys))
        if self.writer is None:
            dialect = type("CSVLoggerDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _format_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self._close()
        self.writer = None

    def _close(self):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()


def _format_value(value):
    if isinstance(value, str) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return value
    if isinstance(value, collections.abc.Iterable):
        return f'"[{", ".join(map(str, value))}]"'
    return value
