"""Keras 2's whole-model HDF5 files (`model.save('model.h5')`), written and read as Keras writes them.

Layout of the file (what Keras 2, tf.keras and Keras 3's legacy writer produce):

    attrs: model_config      JSON {"class_name": ..., "config": ...}
           training_config   JSON compile arguments + "optimizer_config" (only if compiled)
           keras_version, backend
    model_weights/           attrs: layer_names, keras_version, backend
        <layer name>/        attrs: weight_names ["dense/kernel:0", ...]; one dataset per name
        top_level_model_weights/
    optimizer_weights/       attrs: weight_names; the optimizer's variables (optional)

Weights are matched by order, as Keras does: the model's layers that have
weights, in `model.layers` order, against the saved layers whose
`weight_names` are not empty; each layer's trainable then non-trainable
variables. Attribute lists longer than HDF5's 64 KiB header limit are
split into `name0`, `name1`, ...

Configs written by Keras 2 (no `module`, `batch_input_shape`, list-form
`inbound_nodes`) are converted by `legacy_config`. Loading checks every
array before assigning any (a failure changes nothing) and turns any
problem with the file into a `FileFormatError`. Writes are atomic.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.h5")
    >>> save_model_to_hdf5(model, path)
    >>> restored = load_model_from_hdf5(path)
    >>> x = np.ones((1, 3), "float32")
    >>> bool(np.allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0)))
    True
"""
import io
import json
import os
import warnings

import numpy as np

from numkeras.saving.atomic_write import atomic_write
from numkeras.saving.file_format_error import FileFormatError

HDF5_OBJECT_HEADER_LIMIT = 64512  # bytes an HDF5 attribute may take
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
BACKEND = "numpy"


# -- writing ---------------------------------------------------------------------
def save_model_to_hdf5(model, filepath, overwrite=True, include_optimizer=True):
    """Writes `model` (config, weights, compile arguments, optimizer state) as a legacy `.h5` file.

    Args:
        model: the model to save.
        filepath: the path to write (`.h5` or `.hdf5`), or a writable binary file object.
        overwrite: if False and the file exists, ask before replacing it. Defaults to True.
        include_optimizer: whether to save the compile arguments and the
            optimizer's state. Defaults to True.
    """
    import h5py
    from numkeras.saving.saving_lib import KERAS_VERSION, ask_to_proceed_with_overwrite
    attrs = {"keras_version": KERAS_VERSION, "backend": BACKEND,
             "model_config": json.dumps(_model_config(model), default=_not_json(model))}
    training_config = _training_config(model) if include_optimizer else None
    if training_config is not None:
        attrs["training_config"] = json.dumps(training_config, default=_not_json(model))
    layer_weights = [(layer.name, _named(layer)) for layer in model.layers]
    names = [name for name, _ in layer_weights]
    for name in names:  # each layer's weights are a group named after it
        if names.count(name) > 1:
            raise ValueError(f"Cannot save model {model.name!r} as .h5: the layer name {name!r} is used "
                             f"{names.count(name)} times. Give the layers distinct name=... arguments.")
    optimizer = _optimizer_weights(model) if include_optimizer else []

    def write(h5):
        for key, value in attrs.items():
            h5.attrs[key] = value.encode("utf8") if key.endswith("config") else value
        group = h5.create_group("model_weights")
        save_attributes(group, "layer_names", [name.encode("utf8") for name, _ in layer_weights])
        group.attrs["backend"] = BACKEND.encode("utf8")
        group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        for name, weights in sorted(layer_weights, key=lambda item: item[0]):
            _write_subset(group.create_group(name), weights)
        _write_subset(group.create_group("top_level_model_weights"), [])
        if optimizer:
            _write_subset(h5.create_group("optimizer_weights"), optimizer)

    if isinstance(filepath, io.IOBase):
        with h5py.File(filepath, "w") as h5:
            write(h5)
        return
    path = os.fspath(filepath)
    if os.path.exists(path) and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    with atomic_write(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            write(h5)


def _model_config(model):
    from numkeras.saving.serialization_lib import serialize_keras_object
    serialized = serialize_keras_object(model)
    return {"class_name": serialized["class_name"], "config": serialized["config"]}


def _training_config(model):
    from numkeras.saving.compile_config import get_compile_config
    config = get_compile_config(model) if getattr(model, "compiled", False) else None
    if not config:
        return None
    config = dict(config)
    optimizer = config.pop("optimizer", None)
    if isinstance(optimizer, dict):
        config["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
    elif isinstance(optimizer, str):
        from numkeras.saving.serialization_lib import serialize_keras_object
        config["optimizer_config"] = {"class_name": type(model.optimizer).__name__,
                                      "config": serialize_keras_object(model.optimizer.get_config())}
    return config


def _not_json(model):
    def fail(value):
        raise TypeError(f"Cannot save model {model.name!r} as .h5: its config holds {value!r} (of type "
                        f"{type(value).__name__}), which is not JSON-serializable. Make get_config() return plain "
                        "values (numbers, strings, lists, dicts) or serialized objects.")
    return fail


def legacy_weights(layer):
    """A layer's variables in the order `.h5` files store them: trainable, then non-trainable."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _paths(layer, prefix, found):
    """id(variable) -> `prefix/sublayer/.../variable`, the deepest layer owning it (a nested model's too)."""
    for sub in getattr(layer, "layers", None) or []:
        _paths(sub, f"{prefix}/{sub.name}", found)
    for variable in legacy_weights(layer):
        found.setdefault(id(variable), f"{prefix}/{variable.name}")
    return found


def _named(layer):
    """(unique name, array) for each of the layer's variables, named by its path (`dense/kernel`) as Keras does."""
    names, out = set(), []
    paths = _paths(layer, layer.name, {})
    for variable in legacy_weights(layer):
        base = paths[id(variable)]
        name, count = base, 0
        while name in names:
            count += 1
            name = f"{base}_{count}"
        names.add(name)
        out.append((name, np.asarray(variable.data)))
    return out


def _optimizer_weights(model):
    from numkeras.saving.optimizer_order import saved_variables
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(model, "compiled", False) or not optimizer.built:
        return []
    prefix = getattr(optimizer, "name", "optimizer")
    out, names = [], set()
    for i, variable in enumerate(saved_variables(optimizer, model)):
        name = f"{prefix}/{variable.name}"
        if name in names:
            name = f"{prefix}/{i}_{variable.name}"
        names.add(name)
        out.append((name, np.asarray(variable.data)))
    return out


def _write_subset(group, weights):
    save_attributes(group, "weight_names", [name.encode("utf8") for name, _ in weights])
    for name, value in weights:
        group.create_dataset(name, data=value)


def save_attributes(group, name, data):
    """Stores the list of byte strings `data` as attribute `name`, split into `name0`, `name1`, ... if too large."""
    too_long = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if too_long:
        raise ValueError(f"Cannot save {name}: these entries are longer than HDF5's {HDF5_OBJECT_HEADER_LIMIT}-byte "
                         f"attribute limit: {[x[:50] for x in too_long]}")
    array = np.array(data, dtype=bytes) if data else np.array([], dtype="S1")
    chunks = 1
    while array.nbytes / chunks > HDF5_OBJECT_HEADER_LIMIT:
        chunks += 1
    if chunks == 1:
        group.attrs[name] = array
        return
    for i, part in enumerate(np.array_split(array, chunks)):
        group.attrs[f"{name}{i}"] = part


# -- reading ---------------------------------------------------------------------
def load_attributes(group, name):
    """The list of strings stored by `save_attributes` (whole or in chunks); [] if there is none."""
    if name in group.attrs:
        chunks = [group.attrs[name]]
    else:
        chunks, i = [], 0
        while f"{name}{i}" in group.attrs:
            chunks.append(group.attrs[f"{name}{i}"])
            i += 1
    out = []
    for chunk in chunks:
        for item in np.atleast_1d(np.asarray(chunk)):
            out.append(item.decode("utf8") if isinstance(item, bytes) else str(item))
    return out


def is_hdf5(fileobj):
    """Whether the binary file object starts with HDF5's signature (its position is kept)."""
    start = fileobj.tell()
    head = fileobj.read(len(HDF5_SIGNATURE))
    fileobj.seek(start)
    return head == HDF5_SIGNATURE


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model from a legacy `.h5` file written by numkeras, Keras 3, tf.keras or Keras 2.

    Args:
        filepath: the path of the file, or a readable binary file object.
        custom_objects: optional dict mapping names to your own classes and functions.
        compile: whether to compile the model as it was saved (when the
            file holds a training config). Defaults to True.
        safe_mode: if True (the default), refuse to run code stored in the file.

    Returns:
        The model with its weights (compiled, with its optimizer state, if the file says how).

    Raises:
        FileFormatError: the file is not a readable HDF5 model file, holds
            only weights, or describes a model numkeras cannot rebuild.
    """
    import h5py
    from numkeras.saving.saving_lib import _format_error
    where = "the file object" if isinstance(filepath, io.IOBase) else repr(os.fspath(filepath))
    source = filepath if isinstance(filepath, io.IOBase) else os.fspath(filepath)
    with _format_error(f"{where} is not a readable HDF5 file"):
        h5 = h5py.File(source, "r")
    with h5:
        return _load(h5, where, _stored_bytes(source), custom_objects, compile, safe_mode)


def _stored_bytes(source):
    if isinstance(source, io.IOBase):
        start = source.tell()
        end = source.seek(0, os.SEEK_END)
        source.seek(start)
        return end
    return os.path.getsize(source)


def _load(h5, where, size, custom_objects, compile, safe_mode):
    from numkeras.layers.layer import Layer
    from numkeras.saving.legacy_config import keras3_model_config
    from numkeras.saving.saving_lib import _CUSTOM_HINT, _format_error
    from numkeras.saving.serialization_lib import check_arrays, deserialize_keras_object
    from numkeras.saving.weight_budget import weight_budget
    if "model_config" not in h5.attrs:
        if "layer_names" in h5.attrs:
            raise FileFormatError(f"{where} holds only weights (saved by model.save_weights), not a model. Build the "
                                  "model in code, then call model.load_weights(path).")
        raise FileFormatError(f"{where} is an HDF5 file but not a Keras model file: it has no 'model_config' "
                              f"attribute (attributes: {sorted(h5.attrs)[:10]}, members: {sorted(h5)[:10]}).")
    with _format_error(f"{where}: the model_config attribute is not valid JSON"):
        config = json.loads(_text(h5.attrs["model_config"]))
    with _format_error(f"{where}: the model could not be rebuilt from model_config"):
        config = keras3_model_config(config)
        check_arrays(config)
    budget = weight_budget(2 * size + (1 << 20), f"the file stores {size} bytes")
    with _format_error(f"{where}: the model could not be rebuilt from model_config", hint=_CUSTOM_HINT), budget:
        model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
        if not isinstance(model, Layer):
            raise FileFormatError(f"{where}: model_config describes a {type(model).__name__}, not a model.")
    if "model_weights" not in h5:
        raise FileFormatError(f"{where} has a model_config but no 'model_weights' group.")
    with _format_error(f"{where}: the weights in model_weights could not be loaded"):
        load_weights_from_group(h5["model_weights"], model)
    if compile and "training_config" in h5.attrs:
        with _format_error(f"{where}: the model could not be compiled from training_config", hint=_CUSTOM_HINT):
            _compile(model, json.loads(_text(h5.attrs["training_config"])), custom_objects)
        if "optimizer_weights" in h5:
            _load_optimizer(model, h5["optimizer_weights"], where)
    return model


def _text(value):
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    return value.decode("utf8") if isinstance(value, bytes) else str(value)


def _compile(model, training_config, custom_objects):
    from numkeras.saving.legacy_config import keras3_compile_objects, keras3_optimizer_config
    from numkeras.saving.object_registration import CustomObjectScope
    from numkeras.saving.serialization_lib import deserialize_keras_object
    if not isinstance(training_config, dict) or "optimizer_config" not in training_config:
        raise ValueError("training_config must be a dict with an 'optimizer_config'.")
    with CustomObjectScope(custom_objects or {}):
        optimizer = deserialize_keras_object(keras3_optimizer_config(training_config["optimizer_config"]))
        loss = deserialize_keras_object(keras3_compile_objects(training_config.get("loss"), "losses"))
        metrics = deserialize_keras_object(keras3_compile_objects(training_config.get("metrics"), "metrics"))
        weighted = deserialize_keras_object(keras3_compile_objects(training_config.get("weighted_metrics"),
                                                                   "metrics"))
    if isinstance(metrics, list) and len(metrics) == 1 and isinstance(metrics[0], list) and \
            len(getattr(model, "outputs", None) or [None]) == 1:
        metrics = metrics[0]  # tf.keras wrote one list per output
    arguments = {"optimizer": optimizer, "loss": loss, "metrics": metrics,
                 "loss_weights": training_config.get("loss_weights")}
    if weighted:
        arguments["weighted_metrics"] = weighted
    model.compile(**arguments)


def _load_optimizer(model, group, where):
    from numkeras.saving.h5_weights import checked_dataset
    from numkeras.saving.optimizer_order import saved_variables
    optimizer = model.optimizer
    try:
        names = load_attributes(group, "weight_names")
        values = [np.asarray(_dataset(group, name, checked_dataset)[()]) for name in names]
        if not optimizer.built:
            optimizer.build(model.trainable_weights)
        variables = saved_variables(optimizer, model)
        if len(values) != len(variables) or any(tuple(v.shape) != tuple(a.shape) for v, a in zip(variables, values)):
            raise ValueError(f"the file stores {len(values)} optimizer variables "
                             f"({[tuple(a.shape) for a in values][:6]}...), the {type(optimizer).__name__} has "
                             f"{len(variables)} ({[tuple(v.shape) for v in variables][:6]}...)")
    except Exception as error:  # as Keras: the model loads, with a fresh optimizer
        warnings.warn(f"{where}: the saved optimizer state could not be restored ({error}); the model starts with "
                      "a freshly initialized optimizer.", stacklevel=4)
        return
    for variable, value in zip(variables, values):
        variable.assign(value.astype(variable.data.dtype, copy=False))


def _dataset(group, name, checked_dataset):
    """The dataset at `name` (which may hold '/'), walking each part so that no link is followed."""
    import h5py
    from numkeras.saving.h5_weights import check_link
    parts = [p for p in name.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"Invalid weight name {name!r}.")
    for part in parts[:-1]:
        if part not in group:
            raise ValueError(f"The file lists weight {name!r}, which it does not hold.")
        check_link(group, part)
        group = group[part]
        if not isinstance(group, h5py.Group):
            raise ValueError(f"Invalid weights file: {part!r} in {name!r} is not a group.")
    if parts[-1] not in group:
        raise ValueError(f"The file lists weight {name!r}, which it does not hold.")
    return checked_dataset(group, parts[-1], name)


def load_weights_from_group(group, model, skip_mismatch=False):
    """Assigns the weights in `group` (a `model_weights` group, or a weights-only file's root) to `model`.

    Matching is by order (see the module docstring). Every array is read
    and checked first; nothing is assigned unless all fit (with
    `skip_mismatch`, layers that do not fit are skipped with a warning).
    """
    import h5py
    from numkeras.saving.h5_weights import check_link, checked_dataset
    layers = [layer for layer in model.layers if legacy_weights(layer)]
    saved = []
    for name in load_attributes(group, "layer_names"):
        if name not in group:
            raise ValueError(f"The file lists layer {name!r} in layer_names but has no group for it.")
        check_link(group, name)
        layer_group = group[name]
        if not isinstance(layer_group, h5py.Group):
            raise ValueError(f"Invalid weights file: {name!r} is not a group.")
        weight_names = load_attributes(layer_group, "weight_names")
        if weight_names:
            saved.append((name, [_dataset(layer_group, w, checked_dataset) for w in weight_names]))
    if len(saved) != len(layers):
        raise ValueError(f"Layer count mismatch when loading weights from file. The model has {len(layers)} layers "
                         f"with weights ({[layer.name for layer in layers][:10]}), the file stores weights for "
                         f"{len(saved)} layers ({[name for name, _ in saved][:10]}).")
    plan = []
    for k, (layer, (name, datasets)) in enumerate(zip(layers, saved)):
        variables = legacy_weights(layer)
        problem = None
        if len(datasets) != len(variables):
            problem = (f"Weight count mismatch for layer #{k} (named {layer.name!r} in the model, {name!r} in the "
                       f"file): the layer has {len(variables)} weights, the file stores {len(datasets)}.")
        else:
            for variable, dataset in zip(variables, datasets):
                if tuple(dataset.shape) != tuple(variable.shape):
                    problem = (f"Shape mismatch in layer #{k} (named {layer.name!r}) for weight {variable.name!r}: "
                               f"the layer expects {tuple(variable.shape)}, the file stores {tuple(dataset.shape)}.")
                    break
        if problem is not None:
            if not skip_mismatch:
                raise ValueError(problem)
            warnings.warn(f"Skipping: {problem}", stacklevel=3)
            continue
        plan.extend((v, np.asarray(d[()]).astype(v.data.dtype, copy=False)) for v, d in zip(variables, datasets))
    for variable, value in plan:
        variable.assign(value)
