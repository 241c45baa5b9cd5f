"""`keras.utils.np_utils`: where Keras 2 kept `to_categorical` and `normalize`.

The 1st edition of *Deep Learning with Python* writes `from keras.utils.np_utils import
to_categorical`; Keras 3 has no such module and writes `from keras.utils import to_categorical`.
Both functions here are numkeras.utils's own, noted once per process with the Keras 3 spelling.

Example:
    >>> import warnings
    >>> from numkeras.utils.np_utils import to_categorical
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     to_categorical([0, 2], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""
from numkeras.utils import keras2_idioms, numerical_utils


def to_categorical(*args, **kwargs):
    """Keras 2's `keras.utils.np_utils.to_categorical`: `numkeras.utils.to_categorical`."""
    keras2_idioms.note("np_utils.to_categorical", "keras.utils.np_utils is Keras 2's module; Keras 3 writes "
                                                  "`from keras.utils import to_categorical`.")
    return numerical_utils.to_categorical(*args, **kwargs)


def normalize(*args, **kwargs):
    """Keras 2's `keras.utils.np_utils.normalize`: `numkeras.utils.normalize`."""
    keras2_idioms.note("np_utils.normalize", "keras.utils.np_utils is Keras 2's module; Keras 3 writes "
                                             "`from keras.utils import normalize`.")
    return numerical_utils.normalize(*args, **kwargs)
