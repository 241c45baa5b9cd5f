"""Preprocessing layers that run inside a model: rescaling, normalization, resizing, cropping, augmentation,
and text and categorical features (TextVectorization, StringLookup, IntegerLookup, Hashing,
HashedCrossing, CategoryEncoding, Discretization), all in NumPy and the standard library.

The Random* layers change their inputs only when called with `training=True`
(as `fit` does) and are the identity at inference; RandomCrop takes the
centre crop at inference. A `seed` makes a layer's sequence of draws repeat.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import RandomFlip, Rescaling
    >>> Rescaling(0.5)(np.ones((1, 2), "float32")).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
from numkeras.layers.preprocessing.category_encoding import CategoryEncoding
from numkeras.layers.preprocessing.center_crop import CenterCrop
from numkeras.layers.preprocessing.discretization import Discretization
from numkeras.layers.preprocessing.hashed_crossing import HashedCrossing
from numkeras.layers.preprocessing.hashing import Hashing
from numkeras.layers.preprocessing.integer_lookup import IntegerLookup
from numkeras.layers.preprocessing.normalization import Normalization
from numkeras.layers.preprocessing.random_contrast import RandomContrast
from numkeras.layers.preprocessing.random_crop import RandomCrop
from numkeras.layers.preprocessing.random_flip import RandomFlip
from numkeras.layers.preprocessing.random_rotation import RandomRotation
from numkeras.layers.preprocessing.random_translation import RandomTranslation
from numkeras.layers.preprocessing.random_zoom import RandomZoom
from numkeras.layers.preprocessing.rescaling import Rescaling
from numkeras.layers.preprocessing.resizing import Resizing
from numkeras.layers.preprocessing.string_lookup import StringLookup
from numkeras.layers.preprocessing.text_vectorization import TextVectorization

__all__ = ["CategoryEncoding", "CenterCrop", "Discretization", "HashedCrossing", "Hashing", "IntegerLookup",
           "Normalization", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation", "RandomTranslation",
           "RandomZoom", "Rescaling", "Resizing", "StringLookup", "TextVectorization"]
