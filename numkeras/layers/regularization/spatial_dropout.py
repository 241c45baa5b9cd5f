"""SpatialDropout1D/2D/3D: dropout that drops whole feature maps (channels), not single values.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> out = layers.SpatialDropout1D(0.5, seed=0)(np.ones((1, 3, 4), "float32"), training=True).numpy()
    >>> bool((out == out[:, :1]).all())  # each channel is kept or dropped at every step
    True
"""
from numkeras.layers.regularization.dropout import Dropout

_DATA_FORMATS = ("channels_last", "channels_first")


class BaseSpatialDropout(Dropout):
    """Dropout with one keep/drop draw per sample and channel, shared over the spatial axes.

    Adjacent positions of a feature map are strongly correlated, so plain
    dropout barely regularizes them; dropping whole maps does (Tompson et
    al., 2014). Kept maps are scaled by `1 / (1 - rate)`. Active only with
    `training=True`; the identity otherwise.
    """

    _rank = None  # the input rank: 3, 4 or 5

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        data_format = data_format or "channels_last"
        if data_format not in _DATA_FORMATS:
            raise ValueError(f"{type(self).__name__}: data_format must be one of {_DATA_FORMATS}. "
                             f"Received: data_format={data_format!r}.")
        self.data_format = data_format
        spatial = (1,) * (self._rank - 2)
        # None: the input's size on that axis (batch and channels); 1: shared over the spatial axes.
        self.noise_shape = (None, None) + spatial if data_format == "channels_first" else (None,) + spatial + (None,)

    def call(self, inputs, training=None):
        if inputs.ndim != self._rank:
            raise ValueError(f"Input 0 of layer {self.name!r} ({type(self).__name__}) is incompatible with the "
                             f"layer: expected ndim={self._rank}, found ndim={inputs.ndim}. Full shape received: "
                             f"{tuple(inputs.shape)}.")
        return super().call(inputs, training=training)

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of `(batch, steps, channels)` inputs while training.

    Args:
        rate: float in [0, 1), the fraction of channels to drop.
        seed: optional integer seed for this layer's own generator.
        name: the layer name.
        dtype: the layer dtype.
    """

    _rank = 3

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)


class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole feature maps of `(batch, rows, cols, channels)` inputs while training.

    Args:
        rate: float in [0, 1), the fraction of feature maps to drop.
        data_format: "channels_last" (default) or "channels_first" for
            `(batch, channels, rows, cols)` inputs.
        seed: optional integer seed for this layer's own generator.
        name: the layer name.
        dtype: the layer dtype.
    """

    _rank = 4

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout3D(SpatialDropout2D):
    """Drops whole feature volumes of `(batch, dim1, dim2, dim3, channels)` inputs while training.

    Args:
        rate: float in [0, 1), the fraction of feature volumes to drop.
        data_format: "channels_last" (default) or "channels_first" for
            `(batch, channels, dim1, dim2, dim3)` inputs.
        seed: optional integer seed for this layer's own generator.
        name: the layer name.
        dtype: the layer dtype.
    """

    _rank = 5
