"""Model: a Layer that can be trained (compile/fit/evaluate/predict) and summarized.

Subclass it and write `call`; layers assigned as attributes are tracked.

Example:
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> class TwoLayers(models.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = layers.Dense(8, activation="relu")
    ...         self.out = layers.Dense(2)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    >>> TwoLayers()(np.ones((3, 4), "float32")).shape
    (3, 2)
"""
from numkeras.layers.layer import Layer
from numkeras.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """Base class for models."""

    _masks_from_inner_layers = True  # the outputs carry the masks the model's own layers attached

    def __new__(cls, *args, **kwargs):
        # Model(inputs, outputs) builds a functional model, as in Keras.
        if cls is Model and (args or "inputs" in kwargs):
            from numkeras.models.functional import Functional
            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if args:
            raise TypeError(f"{type(self).__name__}() takes keyword arguments only (name=..., trainable=...). "
                            "For a functional model pass inputs and outputs: Model(inputs, outputs).")
        super().__init__(**kwargs)

    @property
    def layers(self):
        return list(self._sublayers)

    def build(self, input_shape):
        """Builds the model by running it once on a zero batch of `input_shape`."""
        import numpy as np
        self._batch_input_shape = tuple(input_shape)
        self.built = True  # before the probe call, which would otherwise build again
        self(np.zeros(tuple(1 if d is None else d for d in input_shape), dtype=self.dtype))
        self._clear_losses()  # the probe's add_loss terms are not the losses of any real call

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a model from `get_config()`; a functional config makes a functional model, as in Keras."""
        if cls is Model and "input_layers" in config and "output_layers" in config:
            from numkeras.models.functional import Functional
            return Functional.from_config(config, custom_objects=custom_objects)
        return cls(**config)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints Keras's summary table: each layer's name, output shape and parameter count."""
        from numkeras.utils.summary_utils import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (architecture, weights, compile config, optimizer state) as a `.keras` file.

        The file follows Keras 3's layout, so Keras 3 can load it too. The
        write is atomic: an interrupted save leaves the previous file intact.

        Args:
            filepath: a path ending in `.keras` (or a writable binary file object); a path ending
                in `.h5` or `.hdf5` writes Keras 2's legacy HDF5 model file instead.
            overwrite: if False and the file exists, ask before replacing it. Defaults to True.
        """
        if not _writes_files():
            return None
        from numkeras.saving.saving_lib import save_model
        return save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and the optimizer's state) to a file ending in `.weights.h5`."""
        if not _writes_files():
            return None
        from numkeras.saving.saving_lib import save_weights
        return save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights from `save_weights` (`.weights.h5`), `save` (`.keras`) or Keras 2 (`.h5`) into this model."""
        from numkeras.saving.saving_lib import load_weights
        return load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[l.name for l in self.layers]}.")


def _writes_files():
    """False on the ranks other than 0 of a data-parallel job (numkeras.distribution): rank 0 alone saves."""
    from numkeras.trainers.trainer import _distribution
    dist = _distribution()
    return dist is None or dist.writes_files()
