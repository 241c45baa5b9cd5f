"""Utilities: to_categorical, set_random_seed, Progbar, get_file, ...

Names load when first touched, so importing numkeras stays cheap.

Example:
    >>> from numkeras.utils import to_categorical
    >>> to_categorical([0, 2], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""
import importlib

_NAMES = {
    "to_categorical": "numkeras.utils.numerical_utils",
    "normalize": "numkeras.utils.numerical_utils",
    "set_random_seed": "numkeras.utils.rng_utils",
    "Progbar": "numkeras.utils.progbar",
    "get_file": "numkeras.utils.file_utils",
    "print_summary": "numkeras.utils.summary_utils",
    "plot_history": "numkeras.utils.history_plot",
    "pad_sequences": "numkeras.utils.sequence_utils",
    "PyDataset": "numkeras.utils.py_dataset",
    "image_dataset_from_directory": "numkeras.utils.image_dataset",
    "load_img": "numkeras.utils.image_utils",
    "img_to_array": "numkeras.utils.image_utils",
    "array_to_img": "numkeras.utils.image_utils",
    "save_img": "numkeras.utils.image_utils",
}


def __getattr__(name):
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'numkeras.utils' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_NAMES))
