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

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints Keras's summary table: each layer's name, output shape and parameter count."""
        from numkeras.utils.summary_utils import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[l.name for l in self.layers]}.")
