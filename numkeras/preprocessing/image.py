"""keras.preprocessing.image: image files and arrays (the functions of `numkeras.utils`), `smart_resize`,
and Keras 2's `ImageDataGenerator` with its iterators, kept for the 1st edition of Deep Learning with Python.

Example:
    >>> import numpy as np
    >>> from numkeras.preprocessing import image
    >>> image.img_to_array(image.array_to_img(np.full((2, 2, 3), 200.0), scale=False))[0, 0].tolist()
    [200.0, 200.0, 200.0]
"""
from numkeras.preprocessing.image_data_generator import ImageDataGenerator
from numkeras.preprocessing.image_iterators import DirectoryIterator, Iterator, NumpyArrayIterator
from numkeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img, smart_resize

# Keras 3's keras.preprocessing.image has the five functions; the rest is Keras 2's (keras.src.legacy in Keras 3).
_NUMKERAS_EXTRAS = ("DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator")
__all__ = ["DirectoryIterator", "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "array_to_img",
           "img_to_array", "load_img", "save_img", "smart_resize"]
