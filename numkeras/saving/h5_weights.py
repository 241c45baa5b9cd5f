"""A model's variables in Keras 3's HDF5 layout (`model.weights.h5`, and `.weights.h5` files).

Each layer and the optimizer get a group named by the path Keras walks to
reach them, holding their own variables as datasets "0", "1", ...:

    vars                      (the model's own variables, usually none)
    layers/dense/vars/0, 1    (first Dense: kernel, bias)
    layers/dense_1/vars/...   (second Dense; names come from the class, not the layer name)
    optimizer/vars/0, 1, ...  (iteration, learning rate, slots)

Paths follow Keras's rule: a model's `layers` first, then every other
attribute in sorted order (private ones last), each layer or optimizer
stored once, at the first path that reaches it; a list of layers gives
`attr/<snake_case class name>`, `attr/<name>_1`, ... Loading reads and
checks every array first and assigns only if all fit, so a failed load
changes nothing. Links, external or virtual datasets, and datasets that
declare far more data than they store are refused.

Example:
    >>> import io, h5py
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    >>> buffer = io.BytesIO()
    >>> with h5py.File(buffer, "w") as f:
    ...     save_state(model, f)
    ...     sorted(f["layers/dense/vars"])
    ['0', '1']
"""
import math
import warnings

import numpy as np

from numkeras.saving.layer_order import model_layers
from numkeras.saving.optimizer_order import saved_variables
from numkeras.utils.naming import snake_case

_MODEL_INTERNALS = {"_input_layer", "_input_layers", "_graph_layers", "_nodes", "_inputs_struct",
                    "_outputs_struct", "_symbolic_output", "_keras_layer_order"}
_BOMB_FLOOR_BYTES = 1 << 32  # a dataset declaring more than 4 GiB ...
_MAX_EXPANSION = 1000  # ... and over 1000x what it stores is refused
_skipset = None


def save_state(model, h5file):
    """Writes the variables of `model` and of its optimizer into the open, writable `h5file`."""
    for path, obj in walk(model):
        group = h5file.create_group(_vars_path(path))
        group.attrs["name"] = str(getattr(obj, "name", ""))
        for i, variable in enumerate(_own_variables(obj, model)):
            group.create_dataset(str(i), data=np.asarray(variable.data))


def load_state(model, h5file, skip_mismatch=False, objects_to_skip=None, strict=False):
    """Reads the variables of `model` (and its optimizer) from the open `h5file`.

    Every array is read and checked before any is assigned: on a mismatch
    this raises a ValueError (or, with `skip_mismatch`, warns and skips the
    objects that do not fit) and nothing is changed by the failed objects.
    Layers in `objects_to_skip` (and what they own) are left as they are.
    An optimizer whose saved state does not fit is skipped with a warning,
    as Keras does, unless `strict` (then it is an error like any other).
    """
    plan, failures = [], []
    for path, obj in walk(model, skip=objects_to_skip or ()):
        store = read_store(h5file, path)
        try:
            plan.extend(_plan(obj, store, model, strict))
        except ValueError as error:
            failures.append((obj, error))
    if failures:
        obj, error = failures[0]
        message = (f"A total of {len(failures)} objects could not be loaded. Example error message for object "
                   f"{obj!r}:\n\n{error}\n\nList of objects that could not be loaded:\n{[o for o, _ in failures]}")
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(message, stacklevel=3)
    for variable, value in plan:
        variable.assign(value)


def _plan(obj, store, model, strict=False):
    """(variable, array) pairs to assign for `obj`, after checking counts and shapes."""
    from numkeras.optimizers.optimizer import Optimizer
    if isinstance(obj, Optimizer):
        return _plan_optimizer(obj, store, model, strict)
    variables = _own_variables(obj, model)
    if len(store) != len(variables):
        if not variables and not obj.built:
            raise ValueError(f"Layer '{obj.name}' was never built and thus it doesn't have any variables. However "
                             f"the weights file lists {len(store)} variables for this layer. Build the model (call "
                             "it on data, or give it an input shape) before loading weights.")
        raise ValueError(f"Layer '{obj.name}' expected {len(variables)} variables, but received {len(store)} "
                         f"variables during loading. Expected: {[v.name for v in variables]}")
    return [(v, _fit(v, store, str(i), obj)) for i, v in enumerate(variables)]


def _plan_optimizer(optimizer, store, model, strict):
    if not store:
        return []  # the file has no optimizer state (e.g. saved before compile)
    if not optimizer.built and len(store) != len(optimizer.variables):
        optimizer.build(model.trainable_weights)  # slots for the state to load, in Keras's order
    variables = saved_variables(optimizer, model)
    if len(store) != len(variables):
        message = (f"Skipping variable loading for optimizer '{optimizer.name}', because it has {len(variables)} "
                   f"variables whereas the saved optimizer has {len(store)} variables. ")
        if len(variables) == 0:
            message += "This is likely because the optimizer has not been called/built yet."
        if strict:
            raise ValueError(message)
        warnings.warn(message, stacklevel=4)
        return []
    return [(v, _fit(v, store, str(i), optimizer)) for i, v in enumerate(variables)]


def _fit(variable, store, key, owner):
    if key not in store:
        raise ValueError(f"The weights of {getattr(owner, 'name', owner)!r} in the file have no entry {key!r} "
                         f"(found {sorted(store)}).")
    dataset = store[key]
    if tuple(dataset.shape) != tuple(variable.shape):  # checked before reading: the file may declare any shape
        raise ValueError(f"The variable {getattr(variable, 'path', variable.name)!r} of "
                         f"{getattr(owner, 'name', owner)!r} has shape {tuple(variable.shape)}, but the saved value "
                         f"has shape {tuple(dataset.shape)}.")
    return np.asarray(dataset[()]).astype(variable.data.dtype, copy=False)


def _own_variables(obj, model):
    """The variables `obj` saves under its own path: a layer's own trainable then non-trainable ones."""
    from numkeras.optimizers.optimizer import Optimizer
    if isinstance(obj, Optimizer):
        return saved_variables(obj, model)
    return obj._own_weights()


# -- Keras's walk over layers and optimizers ------------------------------------
def walk(root, skip=()):
    """Yields `(path, obj)` for every layer and optimizer reachable from `root`, each once, in Keras's order.

    Objects in `skip` are treated as already visited, with all they own.
    """
    visited = {id(obj) for obj in skip}
    yield from _visit(root, "", visited)


def _saveable(obj):
    from numkeras.layers.layer import Layer
    from numkeras.optimizers.optimizer import Optimizer
    return isinstance(obj, (Layer, Optimizer))


def _visit(obj, path, visited):
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield path, obj
    for attr, child in _children(obj):
        child_path = f"{path}/{attr}" if path else attr
        if _saveable(child):
            yield from _visit(child, child_path, visited)
        elif isinstance(child, (list, tuple, dict)):
            yield from _visit_container(child, child_path, visited, set())


def _visit_container(container, path, visited, seen):
    if id(container) in seen:
        return
    seen.add(id(container))
    used = {}
    for item in container.values() if isinstance(container, dict) else container:
        if _saveable(item):
            yield from _visit(item, f"{path}/{_unique(snake_case(type(item).__name__), used)}", visited)
        elif isinstance(item, (list, tuple, dict)):
            yield from _visit_container(item, f"{path}/{_unique('container', used)}", visited, seen)


def _children(obj):
    from numkeras.layers.layer import Layer
    if not isinstance(obj, Layer):
        return []  # an optimizer saves only its own variables
    children = []
    if hasattr(obj, "_inputs_struct") or hasattr(obj, "_input_layer"):  # functional or Sequential
        children.append(("layers", model_layers(obj)))
    skip = _skip_names()
    for name in sorted(dir(obj), key=lambda n: f"~{n}" if n.startswith("_") else n):
        if name.startswith("__") or name in skip:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                children.append((name, getattr(obj, name)))
        except Exception:  # a property that cannot be computed holds nothing to save
            continue
    return children


def _skip_names():
    """Attributes every Layer has (Keras skips those of a bare Layer), plus numkeras's model internals."""
    global _skipset
    if _skipset is None:
        from numkeras.layers.layer import Layer
        _skipset = frozenset(dir(Layer(name="saving_probe"))) | _MODEL_INTERNALS
    return _skipset


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


# -- reading a group safely ------------------------------------------------------
def _vars_path(path):
    return f"{path}/vars" if path else "vars"


def read_store(h5file, path):
    """The datasets stored for `path` ({"0": dataset, ...}), checked but not read; empty if there is no such group."""
    import h5py
    group = h5file
    for part in _vars_path(path).split("/"):
        if part not in group:
            return {}
        check_link(group, part)
        group = group[part]
        if not isinstance(group, h5py.Group):
            raise ValueError(f"Invalid weights file: {_vars_path(path)!r} is not a group.")
    store = {}
    for key in group:
        store[key] = checked_dataset(group, key, f"{_vars_path(path)}/{key}")
    return store


def checked_dataset(group, key, where):
    """`group[key]` if it is a dataset of numbers stored inside the file (not yet read); else a ValueError."""
    import h5py
    check_link(group, key)
    dataset = group[key]
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"Invalid weights file: {where} is not a dataset.")
    if dataset.external or dataset.is_virtual:
        raise ValueError(f"Not allowed: the weights file stores {where} outside itself "
                         "(an external or virtual dataset).")
    if dataset.shape is None:
        raise ValueError(f"Invalid weights file: {where} is an empty dataspace, not an array.")
    declared = math.prod(dataset.shape) * dataset.dtype.itemsize
    if declared > _BOMB_FLOOR_BYTES and declared > _MAX_EXPANSION * dataset.id.get_storage_size():
        raise ValueError(f"Not allowed: dataset {where} declares {declared} bytes but stores almost nothing.")
    if dataset.dtype.kind not in "biuf":
        raise ValueError(f"Invalid weights file: {where} holds {dataset.dtype}, not numbers.")
    return dataset


def check_link(group, name):
    import h5py
    link = group.get(name, getlink=True)
    if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
        raise ValueError(f"Not allowed: the weights file holds a {type(link).__name__} at {name!r}.")
