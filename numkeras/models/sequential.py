"""Sequential: a plain stack of layers, each feeding the next.

Example:
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
    ...                            layers.Dense(10, activation="softmax")])
    >>> model.count_params()
    407050
"""
import numpy as np

from numkeras.layers.core.input_layer import InputLayer, KerasTensor
from numkeras.layers.layer import Layer
from numkeras.models.model import Model
from numkeras.trainers.keras2_methods import Keras2SequentialMethods
from numkeras.utils.tree import is_shape


class Sequential(Keras2SequentialMethods, Model):
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
        previous_shape = getattr(self, "_batch_input_shape", None)
        if not self._sublayers and self._input_layer is None and layer._batch_input_shape is not None:
            self._batch_input_shape = layer._batch_input_shape
        self._sublayers.append(layer)
        self.built = False
        if rebuild:
            try:
                self._maybe_build()
            except Exception:  # a layer that cannot follow the others is not added: the model stays usable
                self._sublayers.pop()
                self._batch_input_shape = previous_shape
                self._maybe_build()
                raise

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
        shape = self._one_input(input_shape if input_shape is not None else self._batch_input_shape, "build")
        configured = self._input_layer.batch_shape if self.built and self._input_layer is not None else None
        if configured is not None and tuple(configured[1:]) != tuple(shape[1:]):
            raise ValueError(f"Sequential model {self.name!r} has already been configured to use input shape "
                             f"{tuple(configured)}. You cannot build it with input_shape {tuple(shape)}. Build a "
                             "new model for inputs of another shape (its layers' weights are sized for the first).")
        self._batch_input_shape = shape
        if self._input_layer is None or self._input_layer.batch_shape != shape:
            # A first layer that reads text (TextVectorization, StringLookup) gets a string input.
            text = bool(self._sublayers) and getattr(self._sublayers[0], "_string_input", False)
            self._input_layer = InputLayer(batch_shape=shape, dtype="string" if text else None)
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
        inputs = self._one_input(inputs, "call")
        if not self.built:
            shape = inputs.shape if hasattr(inputs, "shape") else np.shape(inputs)
            self.build((None,) + tuple(shape[1:]))
        return super().__call__(inputs, *args, training=training, **kwargs)

    def compute_output_shape(self, input_shape):
        shape = self._one_input(input_shape, "compute_output_shape")
        for layer in self._sublayers:
            shape = tuple(layer.compute_output_shape(shape))
        return shape

    def _one_input(self, value, method):
        """The single input (array or shape) in `value`; a list or dict of several is a clear error."""
        def is_leaf(v):  # arrays for a call; shapes (tuples of ints) for build and compute_output_shape
            return hasattr(v, "shape") or (method != "call" and isinstance(v, (list, tuple)) and is_shape(v))
        several = isinstance(value, dict) or (isinstance(value, (list, tuple)) and bool(value) and all(
            is_leaf(v) for v in value))
        if not several:
            return tuple(value) if method != "call" else value
        leaves = list(value.values()) if isinstance(value, dict) else list(value)
        expected = self._input_layer.name if self._input_layer is not None else None
        if isinstance(value, dict) and len(leaves) == 1 and expected is not None and expected not in value:
            raise ValueError(
                f"Sequential model {self.name!r}: {method}() received a dict keyed {sorted(map(str, value))}, but "
                f"the model's input is named {[expected]}. Pass the array itself, or a dict keyed {expected!r}.")
        if len(leaves) != 1:
            raise ValueError(
                f"Sequential model {self.name!r} takes one input, but {method}() received a {type(value).__name__} "
                f"of {len(leaves)}. Pass a single array; for several inputs, build a functional model, "
                "Model(inputs=[...], outputs=...).")
        return self._one_input(leaves[0], method)

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
        """Keras 3's config: the layers (an InputLayer first once the input shape is known), serialized."""
        from numkeras.saving.serialization_lib import serialize_keras_object
        layers = ([self._input_layer] if self._input_layer is not None else []) + list(self._sublayers)
        configs = [serialize_keras_object(layer) for layer in layers]
        if self._input_layer is not None:
            for config in configs:  # the InputLayer carries the input shape, as in Keras
                config["config"].pop("batch_input_shape", None)
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype, "layers": configs}
        if self.built and self._batch_input_shape is not None:
            config["build_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the model (new layers, fresh weights) from `get_config()`'s or Keras's output."""
        from numkeras.saving.serialization_lib import deserialize_keras_object
        if not isinstance(config, dict) or "layers" not in config:
            raise ValueError("A Sequential model configuration must be a dictionary containing the 'name' and "
                             f"'layers' keys. Received: config={config!r}")
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(deserialize_keras_object(layer_config, custom_objects=custom_objects), rebuild=False)
        shape = config.get("build_input_shape")
        if shape and model._batch_input_shape is None:
            model._batch_input_shape = tuple(shape)
        model._maybe_build()
        return model
