"""A functional model's config (Keras 3's form) and rebuilding the model from it.

The config lists every layer in Keras's order, each with its
`inbound_nodes`: one `{"args": [...], "kwargs": {...}}` per call inside
this model, where each input tensor is a `__keras_tensor__` entry whose
`keras_history` [layer name, node index, tensor index] says which call of
which layer produced it. Node indices count only this model's calls of a
layer (a layer shared with other models has calls elsewhere too). In
`input_layers` and `output_layers` (only there) Keras numbers the calls of
a functional model used as a layer from 1; that is kept both ways.

Example:
    >>> from numkeras import layers, models
    >>> x = layers.Input(shape=(3,), name="x")
    >>> model = models.Model(x, layers.Dense(2, name="d")(x))
    >>> config = functional_get_config(model)
    >>> config["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"]
    ['x', 0, 0]
    >>> config["input_layers"], config["output_layers"]
    (['x', 0, 0], ['d', 0, 0])
"""
import collections

from numkeras.layers.keras_tensor import KerasTensor
from numkeras.saving.layer_order import graph_nodes, is_input_node
from numkeras.saving.serialization_lib import (deserialize_keras_object, serialize_keras_object,
                                               serialize_keras_tensor)
from numkeras.utils.tree import flatten, map_structure


def _node_offset(layer):
    from numkeras.models.functional import Functional
    return 1 if isinstance(layer, Functional) else 0  # Keras's input/output_layers count such calls from 1


def functional_get_config(model):
    """Keras's config of a functional `model`: name, trainable, layers, input_layers, output_layers."""
    nodes, layers = graph_nodes(model.inputs, model.outputs)
    names = [layer.name for layer in layers]
    for name in names:  # the config wires layers by name
        if names.count(name) > 1:
            raise ValueError(f'The name "{name}" is used {names.count(name)} times in the model {model.name!r}. '
                             "All layer names should be unique: pass distinct name=... arguments.")
    own = {id(node) for node in nodes}
    index = {}  # id(node) -> its index among this model's calls of its layer
    for layer in layers:
        count = 0
        for node in layer._inbound_nodes:
            if id(node) in own:
                index[id(node)] = count
                count += 1

    def tensor_config(tensor, offset=False):
        node = tensor._keras_history
        return serialize_keras_tensor(tensor, index[id(node)] + (_node_offset(node.layer) if offset else 0))

    def serialize_arg(value):
        return tensor_config(value) if isinstance(value, KerasTensor) else serialize_keras_object(value)

    layer_configs = []
    for layer in layers:
        config = serialize_keras_object(layer)
        config["config"].pop("batch_input_shape", None)  # the model's InputLayers carry the input shapes
        config["name"] = layer.name
        config["inbound_nodes"] = []
        for node in layer._inbound_nodes:
            if id(node) in own and not is_input_node(node):
                extra = dict(node.kwargs)
                args = [node.inputs] + list(extra.pop("args", ()))
                config["inbound_nodes"].append({"args": map_structure(serialize_arg, args),
                                                "kwargs": map_structure(serialize_arg, extra)})
        layer_configs.append(config)

    def history(tensor):
        return tensor_config(tensor, offset=True)["config"]["keras_history"]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": map_structure(history, _as_lists(model._inputs_struct)),
            "output_layers": map_structure(history, _as_lists(model._outputs_struct))}


def _as_lists(structure):
    return list(structure) if isinstance(structure, tuple) else structure


class _NotReady(Exception):
    """A node reads a call of layer `name` that has not been rebuilt yet; it is retried once that layer runs."""

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds a functional model of class `cls` from `functional_get_config`'s (or Keras's) output."""
    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"A functional model config needs the keys 'layers', 'input_layers' and "
                             f"'output_layers'. Missing: {key!r}. Received keys: {sorted(config)}.")
    created, calls, pending = {}, {}, []
    for layer_data in config["layers"]:
        layer = deserialize_keras_object(layer_data, custom_objects=custom_objects)
        name = layer_data.get("name", getattr(layer, "name", None))
        created[name] = layer
        # An InputLayer's only output exists from construction.
        calls[name] = [flatten(layer._inbound_nodes[0].outputs)] if not layer_data.get("inbound_nodes") and \
            _is_input_layer(layer) else []
        pending.append((name, collections.deque(layer_data.get("inbound_nodes") or [])))

    def tensor(history, offset=False):
        if not (isinstance(history, (list, tuple)) and len(history) == 3 and isinstance(history[0], str)):
            raise ValueError(f"Invalid keras_history {history!r}: expected [layer_name, node_index, tensor_index].")
        name, node_index, tensor_index = history
        if name not in created:
            raise ValueError(f"Invalid functional model config: a node reads layer {name!r}, which is not among "
                             f"the model's layers.")
        position = node_index - (_node_offset(created[name]) if offset else 0)
        if position < 0:
            raise ValueError(f"Invalid keras_history {list(history)!r}: no such call of layer {name!r}.")
        if position >= len(calls[name]):
            raise _NotReady(name)
        return calls[name][position][tensor_index]

    def revive(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            return tensor(value["config"]["keras_history"])
        if isinstance(value, dict) and not ("class_name" in value and "config" in value):
            return {key: revive(v) for key, v in value.items()}
        if isinstance(value, list):
            return [revive(v) for v in value]
        return deserialize_keras_object(value, custom_objects=custom_objects)

    # Each layer runs its calls in order until one reads a call not made yet; it then waits for the layer it
    # reads and is retried when that layer has run. Linear in the nodes, whatever order the layers are listed in.
    queue, waiting = collections.deque(pending), collections.defaultdict(list)
    while queue:
        name, nodes = queue.popleft()
        while nodes:
            try:
                args, kwargs = _node_arguments(nodes[0], revive)
            except _NotReady as blocked:
                waiting[blocked.name].append((name, nodes))
                break
            outputs = created[name](*args, **kwargs)
            calls[name].append(flatten(outputs))
            nodes.popleft()
            queue.extend(waiting.pop(name, ()))
    stuck = [name for name, nodes in pending if nodes]
    if stuck:
        raise ValueError("Invalid functional model configuration: the graph either has loops or nodes that read "
                         f"layers which never produce them. Layers left unresolved: {stuck[:10]}.")

    def tensors(structure):
        if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
            return tensor(structure, offset=True)
        if isinstance(structure, dict):
            return {key: tensors(value) for key, value in structure.items()}
        return [tensors(value) for value in structure]

    return cls(inputs=tensors(config["input_layers"]), outputs=tensors(config["output_layers"]),
               name=config.get("name"), trainable=config.get("trainable", True))


def _is_input_layer(layer):
    from numkeras.layers.core.input_layer import InputLayer
    return isinstance(layer, InputLayer)


def _node_arguments(node_data, revive):
    if not isinstance(node_data, dict) or "args" not in node_data:
        raise ValueError(f"Unsupported node format in a functional model config: {node_data!r}. numkeras reads "
                         "Keras 3 configs, whose nodes are {'args': [...], 'kwargs': {...}}.")
    args = revive(node_data["args"])
    kwargs = {key: value for key, value in revive(node_data.get("kwargs") or {}).items() if value is not None}
    return args, kwargs
