"""keras.preprocessing: the dataset loaders, and the `image`, `sequence` and `text` helpers.

`image_dataset_from_directory`, `text_dataset_from_directory` and
`timeseries_dataset_from_array` are the functions of `numkeras.utils`, as in
Keras. `text` (Keras 2's `Tokenizer`, which Keras 3 dropped) and
`image.ImageDataGenerator` (Keras 2's augmentation iterators) are
numkeras's own, kept for the first edition of Deep Learning with Python.

Example:
    >>> from numkeras.preprocessing.sequence import pad_sequences
    >>> pad_sequences([[1, 2], [3]]).tolist()
    [[1, 2], [0, 3]]
"""
import importlib as _importlib

_SUBMODULES = ("image", "sequence", "text")
_NAMES = {
    "image_dataset_from_directory": "numkeras.utils.image_dataset",
    "text_dataset_from_directory": "numkeras.utils.text_dataset",
    "timeseries_dataset_from_array": "numkeras.utils.timeseries_dataset",
}
_NUMKERAS_EXTRAS = ("text",)
__all__ = sorted((*_SUBMODULES, *_NAMES))


def __getattr__(name):
    if name in _SUBMODULES:
        return _importlib.import_module(f"numkeras.preprocessing.{name}")
    if name in _NAMES:
        value = getattr(_importlib.import_module(_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'numkeras.preprocessing' has no attribute {name!r}")


def __dir__():
    return list(__all__)
