"""Preprocessing layers that run inside a model: rescaling, normalization, resizing, cropping, augmentation.

The Random* layers change their inputs only when called with `training=True`
(as `fit` does) and are the identity at inference; RandomCrop takes the
centre crop at inference. A `seed` makes a layer's sequence of draws repeat.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import RandomFlip, Rescaling
    >>> Rescaling(0.5)(np.ones((1, 2), "float32")).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
from numkeras.layers.preprocessing.center_crop import CenterCrop
from numkeras.layers.preprocessing.normalization import Normalization
from numkeras.layers.preprocessing.random_contrast import RandomContrast
from numkeras.layers.preprocessing.random_crop import RandomCrop
from numkeras.layers.preprocessing.random_flip import RandomFlip
from numkeras.layers.preprocessing.random_rotation import RandomRotation
from numkeras.layers.preprocessing.random_translation import RandomTranslation
from numkeras.layers.preprocessing.random_zoom import RandomZoom
from numkeras.layers.preprocessing.rescaling import Rescaling
from numkeras.layers.preprocessing.resizing import Resizing

__all__ = ["CenterCrop", "Normalization", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
           "RandomTranslation", "RandomZoom", "Rescaling", "Resizing"]
