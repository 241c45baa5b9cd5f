"""Saving and loading models (`.keras`) and weights (`.weights.h5`) in Keras 3's own formats.

A `.keras` file is a zip archive holding, uncompressed:

- `metadata.json`: the Keras version whose layout it follows and the date;
- `config.json`: the model serialized as Keras serializes it (architecture,
  build and compile configs; see `serialization_lib`);
- `model.weights.h5`: every layer's variables and the optimizer's state in
  Keras's HDF5 layout (see `h5_weights`).

So a model saved by Keras 3 loads here, and one saved here loads in Keras
3, for the layers both libraries have. Every write goes to a temporary file
in the target's directory that then replaces the target in one rename, so
an interrupted save leaves the previous file intact. Loading reads the file
completely and checks it (the zip's CRCs, the JSON, every array's shape)
before returning a model; any problem with the file raises
`FileFormatError`. A file cannot make loading use much more memory than it
stores: members inflating past 64 MiB and 50x their stored size, variables
beyond twice the stored weights, and text arrays declaring more than they
hold are refused before anything is allocated. Nothing is extracted to disk.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> restored = load_model(path)
    >>> x = np.ones((1, 3), "float32")
    >>> bool((restored.predict(x, verbose=0) == model.predict(x, verbose=0)).all())
    True
"""
import contextlib
import datetime
import io
import json
import os
import warnings
import zipfile

from numkeras.saving.atomic_write import atomic_write
from numkeras.saving.file_format_error import FileFormatError
from numkeras.saving.serialization_lib import (check_arrays, deserialize_keras_object, leaves,
                                               serialize_keras_object)

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
KERAS_VERSION = "3.15.1"  # the Keras release whose file layout this follows (checked against it)
_MEMBER_FLOOR_BYTES = 64 << 20  # a member may always inflate to 64 MiB ...
_ZIP_MAX_EXPANSION = 50  # ... and beyond that to 50x the bytes the archive really holds for it
_READ_CHUNK_BYTES = 1 << 20  # zipfile's read() inflates up to 2 GiB in one step: read in chunks instead
_WEIGHT_SLACK_BYTES = 1 << 20  # variables a rebuilt model may hold beyond 2x the bytes model.weights.h5 stores
_MAX_METRIC_SIZE = 1 << 20  # thresholds, classes, labels of a metric named in a file's compile_config


# -- whole models ----------------------------------------------------------------
def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves `model` (architecture, weights, compile config, optimizer state) as a `.keras` file.

    Args:
        model: the model to save.
        filepath: a path ending in `.keras`, or a writable binary file object. A path
            ending in `.h5` or `.hdf5` writes Keras 2's legacy HDF5 model file
            (see `legacy_h5`), noted once per process as Keras 2's way.
        overwrite: if False and the file exists, ask before replacing it.
            Defaults to True.
        zipped: only True (or None) is supported: a `.keras` zip archive.
    """
    include_optimizer = kwargs.pop("include_optimizer", True)  # a .keras file always holds the optimizer
    save_format = kwargs.pop("save_format", None)
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    if zipped is False:
        raise ValueError("numkeras saves models as `.keras` zip archives only. Received: zipped=False. "
                         "Leave zipped=None.")
    if not model.built:
        warnings.warn("You are saving a model that has not yet been built. It might not contain any weights yet. "
                      "Consider building the model first by calling it on some data.", stacklevel=3)
    if isinstance(filepath, io.IOBase):
        _write_archive(filepath, _archive_members(model))
        return
    path = os.fspath(filepath)
    if save_format and not path.endswith((".keras", ".h5", ".hdf5")):
        raise ValueError("The `save_format` argument is deprecated in Keras 3. Please remove this argument and pass "
                         f"a file path with a `.keras` extension. Received: save_format={save_format}")
    if path.endswith((".h5", ".hdf5")):
        from numkeras.saving.legacy_h5 import save_model_to_hdf5
        from numkeras.utils.keras2_idioms import note
        note("save-h5", f"model.save({os.path.basename(path)!r}) writes Keras 2's legacy HDF5 model format; Keras 3 "
             "writes model.save('name.keras') (the .h5 file still loads in numkeras and Keras 3).", stacklevel=4)
        save_model_to_hdf5(model, path, overwrite=overwrite, include_optimizer=include_optimizer)
        return
    if not path.endswith(".keras"):
        raise ValueError("Invalid filepath extension for saving. Please add a `.keras` extension for the native "
                         f"Keras format. Received: filepath={path}.")
    if os.path.exists(path) and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    members = _archive_members(model)  # everything is computed before the file is touched
    with atomic_write(path) as tmp:
        with open(tmp, "wb") as f:
            _write_archive(f, members)


def _archive_members(model):
    h5py = _h5py()
    from numkeras import __version__
    from numkeras.saving.h5_weights import save_state
    config = json.dumps(serialize_keras_object(model), default=_not_json(model))
    metadata = json.dumps({"keras_version": KERAS_VERSION, "numkeras_version": __version__,
                           "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        save_state(model, h5)
    return [(METADATA_FILENAME, metadata.encode()), (CONFIG_FILENAME, config.encode()),
            (WEIGHTS_FILENAME, buffer.getvalue())]


def _not_json(model):
    def fail(value):
        raise TypeError(f"Cannot save model {model.name!r}: its config holds {value!r} (of type "
                        f"{type(value).__name__}), which is not JSON-serializable. Make get_config() return plain "
                        "values (numbers, strings, lists, dicts) or serialized objects.")
    return fail


def _write_archive(fileobj, members):
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, data)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save()` (by numkeras or by Keras 3).

    Args:
        filepath: path to a `.keras` file or a legacy `.h5`/`.hdf5` model file
            (numkeras, Keras 3, tf.keras or Keras 2), or a readable binary file object.
        custom_objects: optional dict mapping names to your own classes and
            functions used by the model (registered ones are found anyway).
        compile: whether to compile the loaded model as it was saved
            (restoring the optimizer's state too). Defaults to True.
        safe_mode: if True (the default), refuse to load code stored in the
            file (a Lambda layer's function). Only pass False for files you trust.

    Returns:
        The model, with its weights (and, if compiled, its optimizer state).

    Raises:
        FileFormatError: the file is truncated, corrupted, not a `.keras`
            archive, or describes a model numkeras cannot rebuild.
        ValueError: the path does not exist or does not end in `.keras`.
    """
    from numkeras.saving import legacy_h5
    if isinstance(filepath, io.IOBase):
        if legacy_h5.is_hdf5(filepath):
            return legacy_h5.load_model_from_hdf5(filepath, custom_objects, compile, safe_mode)
        return _load_archive(filepath, "the file object", custom_objects, compile, safe_mode)
    path = os.fspath(filepath)
    if not os.path.exists(path):
        raise ValueError(f"File not found: filepath={path}. Please ensure the file is an accessible `.keras` "
                         "zip file.")
    if path.endswith(".weights.h5"):
        raise ValueError(f"{path} holds only weights (saved by model.save_weights), not a model. Build the model in "
                         "code, then call model.load_weights(path).")
    if path.endswith((".h5", ".hdf5")):
        return legacy_h5.load_model_from_hdf5(path, custom_objects, compile, safe_mode)
    if not path.endswith(".keras"):
        raise ValueError(f"File format not supported: filepath={path}. numkeras loads `.keras` files (saved by "
                         "model.save('name.keras') in numkeras or Keras 3) and Keras 2's `.h5` model files; load "
                         "a `.weights.h5` file into a built model with model.load_weights().")
    with open(path, "rb") as f:
        return _load_archive(f, repr(path), custom_objects, compile, safe_mode)


def _load_archive(fileobj, where, custom_objects, compile, safe_mode):
    h5py = _h5py()
    from numkeras.layers.layer import Layer
    from numkeras.saving.h5_weights import load_state
    from numkeras.saving.weight_budget import weight_budget
    with _format_error(f"{where} is not a readable `.keras` archive"):
        size = _archive_size(fileobj)
        with zipfile.ZipFile(fileobj, "r") as archive:
            names = archive.namelist()
            for required in (CONFIG_FILENAME, WEIGHTS_FILENAME):
                if required not in names:
                    raise FileFormatError(f"{where} is not a `.keras` model file: it has no {required!r}. "
                                          f"Its members are: {names[:10]}.")
            texts = {name: _read_member(archive, name, size) for name in (METADATA_FILENAME, CONFIG_FILENAME)
                     if name in names}
            weights = _read_member(archive, WEIGHTS_FILENAME, size)
    parsed = {}
    for name, text in texts.items():
        with _format_error(f"{where}: {name} is not valid JSON"):  # too deep a nesting is a RecursionError
            parsed[name] = json.loads(text)
    config = parsed[CONFIG_FILENAME]
    if not isinstance(config, dict) or "class_name" not in config:
        raise FileFormatError(f"{where}: config.json does not describe a model (expected a dict with "
                              "'class_name' and 'config').")
    if not compile:
        config["compile_config"] = None
    with _format_error(f"{where}: config.json holds an array numkeras will not read"):
        check_arrays(config)  # layers read arrays too (a Lambda's arguments): check them all here
    _check_metric_sizes(config, where)
    # Building allocates each layer's variables: no more than the weights the file stores (with slack).
    budget = weight_budget(2 * len(weights) + _WEIGHT_SLACK_BYTES, f"model.weights.h5 stores {len(weights)} bytes")
    with _format_error(f"{where}: the model could not be rebuilt from config.json", hint=_CUSTOM_HINT), budget:
        model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
        if not isinstance(model, Layer):
            raise FileFormatError(f"{where}: config.json describes a {type(model).__name__}, not a model.")
    with _format_error(f"{where}: the weights in model.weights.h5 could not be loaded"):
        with h5py.File(io.BytesIO(weights), "r") as h5:
            load_state(model, h5)
    return model


def _check_metric_sizes(config, where):
    """Refuses metrics in a compile_config asking for more than _MAX_METRIC_SIZE thresholds, classes, ...

    Metrics allocate their state when constructed (AUC(num_thresholds=10**9)
    would take tens of GB), and that state is not in the file, so no stored
    size bounds it.
    """
    for value in leaves(config, containers=True):
        compile_config = value.get("compile_config") if isinstance(value, dict) else None
        if not isinstance(compile_config, dict):
            continue
        metrics = [compile_config.get("metrics"), compile_config.get("weighted_metrics")]
        sizes = [v for v in leaves(metrics) if isinstance(v, int) and v > _MAX_METRIC_SIZE]
        if sizes:
            raise FileFormatError(f"{where}: the compile_config in config.json gives a metric a size of {sizes[0]} "
                                  f"(more than {_MAX_METRIC_SIZE}), which would allocate far more than the file "
                                  "holds. Load the model with compile=False and compile it yourself.")


def _archive_size(fileobj):
    """The bytes from `fileobj`'s position to its end: all a member can really store, whatever its header says."""
    start = fileobj.tell()
    end = fileobj.seek(0, os.SEEK_END)
    fileobj.seek(start)
    return end - start


def _read_member(archive, name, archive_size):
    """The member's bytes, read only if they inflate to a sane size; the zip module checks the CRC."""
    info = archive.getinfo(name)
    limit = _MEMBER_FLOOR_BYTES + _ZIP_MAX_EXPANSION * min(info.compress_size, archive_size)
    if info.file_size > limit:
        raise FileFormatError(f"Not allowed: archive member {name!r} declares {info.file_size} bytes but the "
                              f"archive stores at most {min(info.compress_size, archive_size)} for it; refusing a "
                              "potential decompression bomb.")
    data = io.BytesIO()
    with archive.open(name) as member:
        while chunk := member.read(_READ_CHUNK_BYTES):  # never past info.file_size: zipfile stops there
            data.write(chunk)
    return data.getvalue()


_CUSTOM_HINT = (" (If it names your own class or function, pass it in load_model(..., custom_objects={name: obj}) "
                "or decorate it with @numkeras.saving.register_keras_serializable().)")


@contextlib.contextmanager
def _format_error(what, hint=""):
    """Turns any failure inside into one FileFormatError that says what failed and why."""
    try:
        yield
    except FileFormatError:
        raise
    except Exception as error:
        raise FileFormatError(f"{what}: {type(error).__name__}: {error}{hint}") from error


# -- weights only ----------------------------------------------------------------
def save_weights(model, filepath, overwrite=True, max_shard_size=None):
    """Saves the variables of `model` (and its optimizer) to a `.weights.h5` file."""
    h5py = _h5py()
    from numkeras.saving.h5_weights import save_state
    path = os.fspath(filepath)
    if max_shard_size is not None:
        raise ValueError(f"numkeras does not shard weight files. Received: max_shard_size={max_shard_size}. "
                         "Leave it None.")
    if not path.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    if os.path.exists(path) and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    if not model.built:
        raise ValueError("You are saving a model that has not yet been built. Try building the model first by "
                         "calling it on some data or by using `build()`.")
    with atomic_write(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            save_state(model, h5)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads variables saved by `save_weights` (`.weights.h5`), `save` (`.keras`) or Keras 2 (`.h5`) into `model`.

    A legacy `.h5` file (Keras 2's save_weights, or any whole-model `.h5`)
    is matched to the model's layers by order, as Keras does.

    Args:
        model: a built model with the saved model's architecture.
        filepath: a `.weights.h5`, `.keras` or legacy `.h5` path.
        skip_mismatch: if True, objects whose variables do not fit are
            skipped with a warning instead of raising. Defaults to False.

    Raises:
        ValueError: the file's variables do not fit the model.
        FileFormatError: the file is not a readable weights file.
    """
    h5py = _h5py()
    from numkeras.saving.h5_weights import load_state
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    path = os.fspath(filepath)
    if path.endswith(".keras") and objects_to_skip is not None:
        raise ValueError(f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {path}")
    if by_name is not None and path.endswith((".keras", ".weights.h5")):
        raise ValueError(f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {path}")
    legacy = path.endswith((".h5", ".hdf5")) and not path.endswith(".weights.h5")
    if not legacy and not path.endswith((".keras", ".weights.h5")):
        raise ValueError(f"File format not supported: filepath={path}. numkeras loads weights from `.weights.h5` "
                         "files (model.save_weights), `.keras` files (model.save) and Keras 2's `.h5` files.")
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: {path!r}.")
    if not model.built:
        raise ValueError("You are loading weights into a model that has not yet been built. Try building the model "
                         "first by calling it on some data or by using `build()`.")
    if legacy:
        _load_legacy_weights(model, path, skip_mismatch, by_name, objects_to_skip)
        return
    source = path
    if path.endswith(".keras"):
        with _format_error(f"{path!r} is not a readable `.keras` archive"):
            with zipfile.ZipFile(path, "r") as archive:
                source = io.BytesIO(_read_member(archive, WEIGHTS_FILENAME, os.path.getsize(path)))
    with _format_error(f"{path!r} is not a readable HDF5 weights file"):
        h5 = h5py.File(source, "r")
    with h5:
        load_state(model, h5, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip)


def _load_legacy_weights(model, path, skip_mismatch, by_name, objects_to_skip):
    """Keras 2's `.h5` weights: a save_weights file (layers at the root) or a whole-model file's model_weights."""
    h5py = _h5py()
    from numkeras.saving.legacy_h5 import load_weights_from_group
    if by_name or objects_to_skip is not None:
        raise ValueError(f"numkeras loads a legacy `.h5` file's weights by layer order only. Received: "
                         f"by_name={by_name}, objects_to_skip={objects_to_skip}. Leave them unset.")
    with _format_error(f"{path!r} is not a readable HDF5 weights file"):
        h5 = h5py.File(path, "r")
    with h5:
        group = h5["model_weights"] if "model_weights" in h5 and "layer_names" not in h5.attrs else h5
        if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
            raise FileFormatError(f"{path!r} is an HDF5 file but holds no Keras weights (no 'layer_names').")
        with _format_error(f"{path!r}: its weights could not be loaded"):
            load_weights_from_group(group, model, skip_mismatch=skip_mismatch)


def _h5py():
    try:
        import h5py
    except ImportError as error:  # a dependency of numkeras, but an environment can still lack it
        raise ImportError("h5py must be installed in order to save or load models and weights (it installs with "
                          "numkeras: pip install h5py).") from error
    return h5py


def ask_to_proceed_with_overwrite(filepath):
    """Asks on the terminal whether to overwrite `filepath`; returns True for 'y', False for 'n'."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True
