"""Sequential: a plain stack of layers, each feeding the next.

Example:
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
    ...                            layers.Dense(10, activation="softmax")])
    >>> model.count_params()
    407050
"""
import numpy as np

from numkeras.layers.input_layer import InputLayer, KerasTensor
from numkeras.layers.layer import Layer
from numkeras.models.model import Model


class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: optional list of layers (an `Input(...)` or `InputLayer` may come first).
        trainable: whether the weights are trained. Defaults to True.
        name: the model name. Defaults to "sequential" (made unique).
    """

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._input_layer = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_build()

    @property
    def layers(self):
        return list(self._sublayers)

    def add(self, layer, rebuild=True):
        """Appends a layer (or an `Input(...)` tensor as the first entry)."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history.layer
        if isinstance(layer, InputLayer):
            if self._sublayers or self._input_layer is not None:
                raise ValueError(f"Sequential model {self.name!r}: an Input/InputLayer may only come first.")
            self._input_layer = layer
            self._batch_input_shape = layer.batch_shape
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add() expects a Layer instance. Received: {layer!r} "
                            f"(of type {type(layer).__name__}). Did you forget to call the class, e.g. Dense(10)?")
        if not self._sublayers and self._input_layer is None and layer._batch_input_shape is not None:
            self._batch_input_shape = layer._batch_input_shape
        self._sublayers.append(layer)
        self.built = False
        if rebuild:
            self._maybe_build()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._sublayers:
            raise TypeError(f"Sequential model {self.name!r} has no layers to pop.")
        layer = self._sublayers.pop()
        self.built = False
        if rebuild:
            self._maybe_build()
        return layer

    def _maybe_build(self):
        if getattr(self, "_batch_input_shape", None) is not None and self._sublayers:
            self.build(self._batch_input_shape)

    def build(self, input_shape=None):
        """Builds every layer in turn from `input_shape` (batch axis first, may be None).

        The layers are called on a symbolic Input, so `model.input`,
        `layer.output` and friends work as in Keras.
        """
        shape = tuple(input_shape if input_shape is not None else self._batch_input_shape)
        self._batch_input_shape = shape
        if self._input_layer is None or self._input_layer.batch_shape != shape:
            self._input_layer = InputLayer(batch_shape=shape)
        x = self._input_layer.output
        for layer in self._sublayers:
            x = layer(x)
            if not isinstance(x, KerasTensor):
                raise ValueError(f"Sequential model {self.name!r}: layer {layer.name!r} returned "
                                 f"{type(x).__name__}; every layer of a Sequential model must return one tensor.")
            layer.output_shape = x.shape
        self._symbolic_output = x
        self.built = True

    @property
    def input(self):
        self._require_graph("input")
        return self._input_layer.output

    @property
    def output(self):
        self._require_graph("output")
        return self._symbolic_output

    @property
    def inputs(self):
        return [self.input]

    @property
    def outputs(self):
        return [self.output]

    def _require_graph(self, what):
        if not self.built:
            raise AttributeError(f"Sequential model {self.name!r} has no {what} yet: it has not been built. "
                                 "Give the first layer an input shape (or start with layers.Input(shape=...)), "
                                 "or call the model on data first.")

    def call(self, inputs, training=None):
        x = inputs
        for layer in self._sublayers:
            x = layer(x, training=training)
        return x

    def __call__(self, inputs, *args, training=None, **kwargs):
        if not self.built:
            shape = inputs.shape if hasattr(inputs, "shape") else np.shape(inputs)
            self.build((None,) + tuple(shape[1:]))
        return super().__call__(inputs, *args, training=training, **kwargs)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._sublayers:
            shape = tuple(layer.compute_output_shape(shape))
        return shape

    @property
    def input_shape(self):
        return getattr(self, "_batch_input_shape", None)

    @property
    def output_shape(self):
        return self._sublayers[-1].output_shape if self._sublayers and self.built else None

    @output_shape.setter
    def output_shape(self, value):
        pass  # a model's output shape follows its last layer

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "layers": [{"class_name": type(l).__name__, "config": l.get_config()} for l in self._sublayers]}
