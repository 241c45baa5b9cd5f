"""Saving and loading: `.keras` model files and `.weights.h5` weight files in Keras 3's formats.

Example:
    >>> import os, tempfile
    >>> from numkeras import layers, models, saving
    >>> model = models.Sequential([layers.Dense(1, input_shape=(2,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> saving.save_model(model, path)
    >>> saving.load_model(path).count_params()
    3
"""
from numkeras.saving.file_format_error import FileFormatError
from numkeras.saving.object_registration import (CustomObjectScope, custom_object_scope, get_custom_objects,
                                                 get_registered_name, get_registered_object,
                                                 register_keras_serializable)
from numkeras.saving.saving_lib import load_model, load_weights, save_model, save_weights
from numkeras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

# The surface (tests/surface checks it against Keras 3.15's keras.saving).
_NUMKERAS_EXTRAS = ("FileFormatError",)  # what load_model raises on a damaged or hostile file
__all__ = ["CustomObjectScope", "FileFormatError", "custom_object_scope", "deserialize_keras_object",
           "get_custom_objects", "get_registered_name", "get_registered_object", "load_model", "load_weights",
           "register_keras_serializable", "save_model", "save_weights", "serialize_keras_object"]


def __dir__():
    return list(__all__)
