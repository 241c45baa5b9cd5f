"""Keras's order of a functional graph: the nodes between inputs and outputs, and the layers by depth.

Keras lists a functional model's layers (in `model.layers`, in its config,
and so in the weight file's `layers/dense`, `layers/dense_1`, ... paths)
deepest first, where depth counts the layers between a layer and the
outputs; layers of equal depth keep the order a depth-first walk from the
outputs first reaches them. Following the same rule here makes a file
written by numkeras name each layer's weights where Keras looks for them,
and the other way round. The walk is iterative, so deep graphs cannot
overflow the stack.

Example:
    >>> from numkeras import layers
    >>> a, b = layers.Input(shape=(2,), name="a"), layers.Input(shape=(3,), name="b")
    >>> h = layers.Dense(3, name="h")(b)
    >>> nodes, ordered = graph_nodes([a, b], [layers.Dense(1, name="out")(h), a])
    >>> [layer.name for layer in ordered]
    ['b', 'h', 'out', 'a']
"""
from numkeras.utils.tree import flatten


def node_inputs(node):
    """The KerasTensors a node reads: its first argument, then those among its other arguments."""
    return node.input_tensors()


def is_input_node(node):
    return not node_inputs(node)


def graph_nodes(inputs, outputs):
    """Returns `(nodes, layers)`: the nodes computing `outputs` from `inputs` (each after the
    nodes it reads) and the layers in Keras's order (deepest first, ties by first visit)."""
    input_ids = {id(t) for t in flatten(inputs)}
    finished, first_visit, post_order = set(), {}, []
    layers_by_id = {}
    for output in flatten(outputs):
        _walk(output, input_ids, finished, first_visit, post_order, layers_by_id)
    in_graph = {id(node) for node in post_order}
    node_depth, layer_depth = {}, {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for t in node_inputs(node):
            parent = t._keras_history
            if parent is not None and id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in flatten(inputs):  # inputs the outputs do not use still belong to the model
        node = t._keras_history
        if node is not None and is_input_node(node) and id(node.layer) not in layer_depth:
            layer_depth[id(node.layer)], first_visit[id(node.layer)] = 0, -1
            layers_by_id[id(node.layer)] = node.layer
            post_order.insert(0, node)
    ordered = sorted(layer_depth, key=lambda key: (-layer_depth[key], first_visit[key]))
    return post_order, [layers_by_id[key] for key in ordered]


def _walk(tensor, input_ids, finished, first_visit, post_order, layers_by_id):
    """Keras's depth-first walk from one output, without recursion."""
    stack = [(tensor, None)]
    while stack:
        tensor, parents = stack[-1]
        node = tensor._keras_history
        if parents is None:  # first time here
            if node is None or id(node) in finished:
                stack.pop()
                continue
            if id(tensor) in input_ids and not is_input_node(node):
                finished.add(id(node))  # a model input computed by an outer graph: stop here
                stack.pop()
                continue
            first_visit.setdefault(id(node.layer), len(first_visit))
            layers_by_id[id(node.layer)] = node.layer
            parents = iter(node_inputs(node))
            stack[-1] = (tensor, parents)
        child = next(parents, None)
        if child is not None:
            stack.append((child, None))
            continue
        stack.pop()
        if id(node) not in finished:
            finished.add(id(node))
            post_order.append(node)


def model_layers(model):
    """The layers of `model` in Keras's order (functional models include their InputLayers)."""
    if hasattr(model, "_inputs_struct") and hasattr(model, "_outputs_struct"):
        return graph_nodes(model.inputs, model.outputs)[1]
    return list(model.layers)

