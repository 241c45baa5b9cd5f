"""Functional models: a graph of layers from symbolic inputs to outputs.

`Model(inputs, outputs)` walks back from the outputs through the Nodes the
layer calls recorded, orders them so each runs after its inputs exist, and
replays them on real arrays when called.

Example:
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> inputs = layers.Input(shape=(4,))
    >>> hidden = layers.Dense(8, activation="relu")(inputs)
    >>> model = models.Model(inputs, layers.Dense(2)(hidden))
    >>> model(np.ones((3, 4), "float32")).shape
    (3, 2)
"""
from numkeras.layers.core.input_layer import InputLayer
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.models.model import Model
from numkeras.utils.tree import flatten, map_structure, pack_sequence_as


class Functional(Model):
    """A model defined by calling layers on `Input` tensors.

    Args:
        inputs: a KerasTensor from `layers.Input`, or a list/dict of them.
        outputs: a KerasTensor, or a list/dict of them, computed from `inputs`.
        name: the model name.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True):
        Layer.__init__(self, name=name, trainable=trainable)
        for t in flatten(inputs) + flatten(outputs):
            if not isinstance(t, KerasTensor):
                raise TypeError(f"Model(inputs, outputs) expects symbolic tensors from layers.Input(...) and layer "
                                f"calls. Received: {t!r} (of type {type(t).__name__}).")
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._nodes = _nodes_between(inputs, outputs)
        self._input_layers = [t._keras_history.layer for t in flatten(inputs)]
        self._graph_layers = list(self._input_layers)
        for node in self._nodes:
            if node.layer not in self._graph_layers:
                self._graph_layers.append(node.layer)
                self._sublayers.append(node.layer)
                outs = flatten(node.outputs)
                node.layer.output_shape = outs[0].shape if len(outs) == 1 else [t.shape for t in outs]
        first = flatten(inputs)
        self._batch_input_shape = first[0].shape if len(first) == 1 else None
        self.built = True

    def _weight_layers(self):
        """The layers in Keras's order of a functional graph (deepest first), which is the order of
        Keras's `model.weights` and of the weight file."""
        order = self.__dict__.get("_keras_layer_order")
        if order is None:
            from numkeras.saving.layer_order import model_layers
            order = self.__dict__["_keras_layer_order"] = model_layers(self)
        return order

    @property
    def layers(self):
        """Every layer in Keras's order of the graph: deepest first (the InputLayers), ties by first visit.

        Keras lists a branching graph's layers this way (a residual block's long branch before its
        shortcut), and Keras 2 `.h5` files list their layers in this order, matched by position.
        """
        return list(self._weight_layers())

    @property
    def inputs(self):
        return flatten(self._inputs_struct)

    @property
    def outputs(self):
        return flatten(self._outputs_struct)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        """The shape of the input (a list of shapes for several), batch axis included, as Keras gives it."""
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        """The shape of the output (a list of shapes for several), batch axis included, as Keras gives it."""
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @output_shape.setter
    def output_shape(self, value):
        pass  # a model nested in another: its output shape follows its own outputs

    @property
    def input_names(self):
        return [layer.name for layer in self._input_layers]

    @property
    def output_names(self):
        return [t._keras_history.layer.name for t in self.outputs]

    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs, training=None):
        values = {}
        for tensor, value in zip(self.inputs, self._flatten_inputs(inputs)):
            values[id(tensor)] = value
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = map_structure(lambda t: values[id(t)] if isinstance(t, KerasTensor) else t, node.inputs)
            if node.kwargs:  # other tensor arguments (`value=`, `mask=`) are looked up like the inputs
                kwargs = map_structure(lambda t: values[id(t)] if isinstance(t, KerasTensor) else t, node.kwargs)
                outputs = node.layer(args, *kwargs.pop("args", ()), training=training, **kwargs)
            else:
                outputs = node.layer(args, training=training)
            for tensor, value in zip(flatten(node.outputs), flatten(outputs)):
                values[id(tensor)] = value
        outputs = pack_sequence_as(self._outputs_struct, [values[id(t)] for t in self.outputs])
        # a list of one output gives that output, as Keras 3's Functional returns it (and predict with it)
        return outputs[0] if isinstance(outputs, (list, tuple)) and len(outputs) == 1 else outputs

    def _flatten_inputs(self, inputs):
        """Data for each model input, in `self.inputs` order; dicts are matched by input name."""
        struct = self._inputs_struct
        if isinstance(inputs, dict):
            names = list(struct) if isinstance(struct, dict) else self.input_names
            missing = [n for n in names if n not in inputs]
            unknown = sorted(str(k) for k in inputs if k not in names)
            if missing or unknown:
                detail = "; ".join(part for part in (f"missing: {missing}" if missing else "",
                                                     f"not an input: {unknown}" if unknown else "") if part)
                raise ValueError(f"Model {self.name!r}: the input dict has keys {sorted(map(str, inputs))}, but the "
                                 f"model's inputs are named {names} ({detail}). Pass a dict with one array per "
                                 "input name.")
            flat = flatten({n: inputs[n] for n in struct}) if isinstance(struct, dict) else [inputs[n] for n in names]
        else:
            flat = flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(f"Model {self.name!r} expects {len(self.inputs)} input(s) ({self.input_names}), but "
                             f"received {len(flat)}. Pass a list (or dict by input name) with one array per input.")
        for tensor, name, value in zip(self.inputs, self.input_names, flat):
            shape = getattr(value, "shape", None)
            if shape is not None and len(shape) == len(tensor.shape) and any(
                    d is not None and d != r for d, r in zip(tensor.shape[1:], shape[1:])):
                raise ValueError(f"Model {self.name!r}: input {name!r} expects shape {tensor.shape}, but received "
                                 f"an array of shape {(None,) + tuple(shape[1:])}. Pass the arrays in the order "
                                 f"{self.input_names}, or as a dict keyed by those names.")
        return flat

    def compute_output_shape(self, input_shape):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def get_config(self):
        """Keras 3's config: every layer with the calls (`inbound_nodes`) that wire it, plus the
        `input_layers` and `output_layers` as [layer name, node index, tensor index]."""
        from numkeras.saving.functional_config import functional_get_config
        return functional_get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the model (new layers, fresh weights) from `get_config()`'s or Keras's output."""
        from numkeras.saving.functional_config import functional_from_config
        return functional_from_config(cls, config, custom_objects=custom_objects)


def _nodes_between(inputs, outputs):
    """The nodes computing `outputs` from `inputs`, each after the nodes it reads (iterative DFS)."""
    input_ids = {id(t) for t in flatten(inputs)}
    order, seen = [], set()
    for output in flatten(outputs):
        root = output._keras_history
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [(root, iter(_parents(root, input_ids)))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, iter(_parents(parent, input_ids))))
                    break
            else:
                stack.pop()
                order.append(node)
    for node in order:
        if isinstance(node.layer, InputLayer) and not any(id(t) in input_ids for t in flatten(node.outputs)):
            raise ValueError(
                f"Graph disconnected: the outputs depend on input {node.layer.name!r} "
                f"(shape {node.layer.batch_shape}), which is not among the model inputs. Add it to `inputs`.")
    return order


def _parents(node, input_ids):
    # A model input stops the walk: the graph above it is not part of this model.
    return [t._keras_history for t in node.input_tensors()
            if id(t) not in input_ids and t._keras_history is not None]
