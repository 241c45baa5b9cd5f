"""clone_model: a new model with the same architecture and freshly initialized weights.

Each layer is recreated with `clone_function` (by default
`type(layer).from_config(layer.get_config())`); a functional model's graph
is replayed on new inputs, so shared layers stay shared. Copy the weights
over with `clone.set_weights(model.get_weights())`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    >>> clone = clone_model(model)
    >>> clone.set_weights(model.get_weights())
    >>> x = np.ones((1, 3), "float32")
    >>> bool((clone.predict(x, verbose=0) == model.predict(x, verbose=0)).all())
    True
"""
from numkeras.saving.layer_order import graph_nodes, is_input_node
from numkeras.utils.tree import flatten, map_structure, pack_sequence_as


def _clone_layer(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """Returns a copy of `model` with new layers (new weights, not copied).

    Args:
        model: a Sequential, functional or subclassed model.
        input_tensors: optional symbolic tensors (e.g. from `layers.Input`)
            for the clone's inputs. Defaults to new Inputs like the original's.
        clone_function: `fn(layer) -> new layer`, called once per layer.
            Defaults to rebuilding the layer from its config.
        call_function: `fn(layer, *args, **kwargs)` used instead of calling
            each new layer (functional models only).
        recursive: if True, nested Sequential/functional models are cloned
            with the same `clone_function` instead of being passed to it.

    Returns:
        The new model, uncompiled.
    """
    from numkeras.models.functional import Functional
    from numkeras.models.sequential import Sequential
    if kwargs:
        raise ValueError(f"clone_model() got unexpected keyword argument(s): {sorted(kwargs)}.")
    clone_function = clone_function or _clone_layer
    if recursive:
        inner = clone_function

        def clone_function(layer):
            if isinstance(layer, (Sequential, Functional)):
                return clone_model(layer, clone_function=inner, call_function=call_function, recursive=True)
            return inner(layer)
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_function, call_function)
    if input_tensors is not None or clone_function is not _clone_layer:
        raise ValueError(f"Arguments clone_function and input_tensors are only supported for Sequential and "
                         f"functional models. Received a subclassed model {model.name!r} of type "
                         f"{type(model).__name__}: it is cloned from its config.")
    return type(model).from_config(model.get_config())


def _clone_sequential(model, input_tensors, clone_function):
    from numkeras.layers.core.input_layer import InputLayer
    from numkeras.models.sequential import Sequential
    new_layers = [clone_function(layer) for layer in model.layers]
    if input_tensors is not None:
        tensors = flatten(input_tensors)
        if len(tensors) != 1:
            raise ValueError(f"A Sequential model takes one input, so input_tensors must be one tensor. Received "
                             f"{len(tensors)} tensors.")
        new_layers.insert(0, tensors[0])
    elif model._input_layer is not None:
        ref = model._input_layer
        new_layers.insert(0, InputLayer(batch_shape=ref.batch_shape, dtype=ref.dtype, name=ref.name))
    return Sequential(new_layers, name=model.name, trainable=model.trainable)


def _clone_functional(model, input_tensors, clone_function, call_function):
    from numkeras.layers.core.input_layer import Input
    from numkeras.models.functional import Functional
    if input_tensors is None:
        new_inputs = [Input(batch_shape=t.shape, dtype=t.dtype, name=t.name) for t in model.inputs]
    else:
        new_inputs = flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(f"Model {model.name!r} has {len(model.inputs)} input(s), but input_tensors holds "
                             f"{len(new_inputs)}. Pass one tensor per input.")
    mapped = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    clones = {}
    for node in graph_nodes(model.inputs, model.outputs)[0]:
        if is_input_node(node):
            continue
        layer = node.layer
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        new_layer = clones[id(layer)]
        args = map_structure(lambda t: mapped.get(id(t), t), node.inputs)
        extra = dict(node.kwargs)
        positional = extra.pop("args", ())
        outputs = call_function(new_layer, args, *positional, **extra) if call_function else \
            new_layer(args, *positional, **extra)
        for old, new in zip(flatten(node.outputs), flatten(outputs)):
            mapped[id(old)] = new
    inputs = pack_sequence_as(model._inputs_struct, new_inputs)
    outputs = map_structure(lambda t: mapped[id(t)], model._outputs_struct)
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
