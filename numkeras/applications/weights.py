"""Loading an application model's weights: none, Keras's published ImageNet files, or a file of the caller's.

Keras publishes each model's ImageNet weights as a Keras 2 `.h5` file, one
with the classifier and one without (`_notop`). numkeras builds each model
with Keras's layer names and weight order, so those files load by layer
order (`Model.load_weights` reads Keras 2's `.h5` layout). `'imagenet'`
fetches the file through the checksummed download cache
(`numkeras.utils.get_file`, folder `models/` under `$NUMKERAS_HOME` or
`~/.numkeras`), so it downloads once and a corrupted copy is fetched again.

Example:
    >>> from numkeras.applications.weights import WeightsFile
    >>> vgg = WeightsFile("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ...                   "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/",
    ...                   "6d6bbae143d832006294945121d1f1fc")
    >>> vgg.origin
    'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'
"""
import collections
import os

from numkeras.utils.file_utils import get_file

CACHE_SUBDIR = "models"


class WeightsFile(collections.namedtuple("WeightsFile", ["file_name", "base_url", "file_hash"])):
    """A published weights file: its name, the URL folder it is in, and its md5 or sha256 hash."""

    __slots__ = ()

    @property
    def origin(self):
        return self.base_url + self.file_name


def load_weights(model, weights, include_top, top, notop):
    """Loads `weights` into `model` as the model functions' `weights` argument asks.

    Args:
        model: the freshly built application model.
        weights: None (keep the random initialization), 'imagenet' (fetch
            `top` or `notop` through the cache), or a path to a weights file
            (a Keras 2 `.h5`, a `.weights.h5` or a `.keras` file).
        include_top: whether the model has its classifier (picks `top` or
            `notop` for 'imagenet').
        top: the `WeightsFile` with the classifier, or None where Keras
            publishes none.
        notop: the `WeightsFile` without the classifier, or None.

    Returns:
        `model`, with its weights loaded.

    Raises:
        ValueError: Keras publishes no ImageNet weights for this variant, or
            the file's weights do not fit the model.
        numkeras.utils.file_utils.DownloadError: the file could not be fetched.
    """
    if weights is None:
        return model
    if isinstance(weights, str) and weights == "imagenet":
        published = top if include_top else notop
        if published is None:
            raise ValueError(
                f"{model.name}: there are no published ImageNet weights for this model with "
                f"include_top={include_top}. Pass weights=None, or a path to a weights file.")
        path = get_file(published.file_name, published.origin, cache_subdir=CACHE_SUBDIR,
                        file_hash=published.file_hash)
        model.load_weights(path)
        return model
    model.load_weights(os.fspath(weights))
    return model
