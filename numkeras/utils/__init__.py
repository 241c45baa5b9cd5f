"""Utilities: to_categorical, set_random_seed, Progbar, get_file, the dataset loaders, ...

Names load when first touched, so importing numkeras stays cheap.

`Dataset` is numkeras's own: Keras's loaders return a `tf.data.Dataset`, and
Keras has no dataset class of its own to put here. numkeras's loaders
(`text_dataset_from_directory`, `timeseries_dataset_from_array`, ...) return
a `Dataset`, a lazy subset of tf.data's methods over NumPy arrays; build one
from arrays with `Dataset.from_tensor_slices`.

Example:
    >>> from numkeras.utils import to_categorical
    >>> to_categorical([0, 2], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""
import importlib as _importlib

# The surface: Keras 3.15's keras.utils names that numkeras implements, then numkeras's own
# (tests/surface checks it). Each loads its module when first touched.
_NAMES = {
    "CustomObjectScope": "numkeras.saving.object_registration",
    "Dataset": "numkeras.utils.dataset",
    "PyDataset": "numkeras.utils.py_dataset",
    "Progbar": "numkeras.utils.progbar",
    "array_to_img": "numkeras.utils.image_utils",
    "clear_session": "numkeras.utils.naming",
    "custom_object_scope": "numkeras.saving.object_registration",
    "deserialize_keras_object": "numkeras.saving.serialization_lib",
    "get_custom_objects": "numkeras.saving.object_registration",
    "get_file": "numkeras.utils.file_utils",
    "get_registered_name": "numkeras.saving.object_registration",
    "get_registered_object": "numkeras.saving.object_registration",
    "image_dataset_from_directory": "numkeras.utils.image_dataset",
    "img_to_array": "numkeras.utils.image_utils",
    "is_keras_tensor": "numkeras.layers.keras_tensor",
    "load_img": "numkeras.utils.image_utils",
    "normalize": "numkeras.utils.numerical_utils",
    "pad_sequences": "numkeras.utils.sequence_utils",
    "register_keras_serializable": "numkeras.saving.object_registration",
    "save_img": "numkeras.utils.image_utils",
    "serialize_keras_object": "numkeras.saving.serialization_lib",
    "set_random_seed": "numkeras.utils.rng_utils",
    "standardize_dtype": "numkeras.backend.config",
    "split_dataset": "numkeras.utils.dataset_utils",
    "text_dataset_from_directory": "numkeras.utils.text_dataset",
    "timeseries_dataset_from_array": "numkeras.utils.timeseries_dataset",
    "to_categorical": "numkeras.utils.numerical_utils",
    # numkeras's own.
    "DataWarning": "numkeras.trainers.data_warnings",
    "plot_history": "numkeras.utils.history_plot",
    "print_summary": "numkeras.utils.summary_utils",
}
_ALIASES = {"Sequence": "PyDataset"}  # Keras's older name for PyDataset
_NUMKERAS_EXTRAS = ("DataWarning", "Dataset", "plot_history", "print_summary")
__all__ = sorted((*_NAMES, *_ALIASES))


def __getattr__(name):
    if name in _NAMES or name in _ALIASES:
        value = getattr(_importlib.import_module(_NAMES[_ALIASES.get(name, name)]), _ALIASES.get(name, name))
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'numkeras.utils' has no attribute {name!r}")


def __dir__():
    return list(__all__)
