"""load_model on hand-crafted malicious `.keras` files: FileFormatError, in bounded time and memory, nothing run.

Every file here is built by the test (zip, JSON and HDF5 written by hand) to
attack one part of the loader: shapes that would allocate terabytes, configs
nested past any stack and graphs listed backwards, zip members named to
escape the directory or inflating to gigabytes, configs naming modules to
import or code to run, and weight files holding Python objects where
numbers belong. Each load must raise `FileFormatError` (or, where the attack
is only noise around a valid model, load that model) within `SECONDS` and
`PEAK_BYTES`; payloads that would create a marker file prove nothing ran.
"""
import base64
import contextlib
import io
import json
import marshal
import os
import resource
import stat
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
import zlib

import h5py
import numpy as np
import pytest

from numkeras import layers, models
from numkeras.saving import FileFormatError, load_model

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# CPU seconds (time.process_time), not wall time: a shared, loaded machine stretches the wall clock, while a
# quadratic loader would still take minutes of CPU here.
SECONDS = 5.0
PEAK_BYTES = 200 * 2**20
X = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)


# -- measuring -------------------------------------------------------------------
def _peak_rss_bytes():
    """The process's resident high-water mark: only a fresh process's tells what one block allocated."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


@contextlib.contextmanager
def _address_space_cap(extra=4 * 2**30):
    """A safety net so that a regression fails with MemoryError instead of exhausting the shared machine."""
    try:
        with open("/proc/self/status") as f:
            vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    except (OSError, StopIteration):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = vm + extra if hard == resource.RLIM_INFINITY else min(vm + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def bounded():
    """Asserts the block takes under SECONDS and allocates under PEAK_BYTES at its peak (traced: tracemalloc
    counts NumPy's buffers as well as Python's objects)."""
    tracemalloc.start()
    start = time.process_time()
    try:
        with _address_space_cap():
            yield
    finally:
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"allocated {peak / 2**20:.0f} MiB"


_CHILD = textwrap.dedent("""\
    import json, os, sys, time
    from numkeras import layers, models
    from numkeras.saving import load_model
    from numkeras.saving.malicious_files_test import X, _address_space_cap, _peak_rss_bytes
    path, scratch = sys.argv[1:]
    # Whatever loading a model uses for the first time (lazy imports, caches) is paid here, outside the measure.
    x = layers.Input((4,))
    models.Model(x, layers.Activation("linear")(x)).save(os.path.join(scratch, "warm_functional.keras"))
    models.Sequential([layers.Input((4,)), layers.Activation("linear")]).save(os.path.join(scratch, "warm.keras"))
    for warm in ("warm_functional.keras", "warm.keras"):
        load_model(os.path.join(scratch, warm)).predict(X, verbose=0)
    before = _peak_rss_bytes()
    start = time.process_time()
    with _address_space_cap():
        model = load_model(path)
    seconds = time.process_time() - start
    print(json.dumps({"seconds": seconds, "grew": _peak_rss_bytes() - before, "layers": len(model.layers),
                      "prediction": model.predict(X, verbose=0).tolist()}))
""")


def bounded_in_a_child(path, tmp_path):
    """Loads `path` in a fresh interpreter and asserts it takes under SECONDS and grows that process's resident
    memory by under PEAK_BYTES at its peak, for blocks too slow to trace (tracemalloc slows loading ~5x).

    Returns the child's `seconds`, the model's number of `layers` and its `prediction` for X.
    """
    scratch = tmp_path / "child"
    scratch.mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(scratch)], cwd=REPO_ROOT,
                          env={**os.environ, "PYTHONPATH": REPO_ROOT}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["seconds"] < SECONDS, f"took {result['seconds']:.1f} s"
    assert result["grew"] < PEAK_BYTES, f"resident memory grew by {result['grew'] / 2**20:.0f} MiB"
    return result


def refused(data, tmp_path, match=None, **kwargs):
    """Writes `data` as a .keras file and checks that loading it raises FileFormatError matching `match`."""
    path = tmp_path / "crafted.keras"
    path.write_bytes(data)
    with bounded(), pytest.raises(FileFormatError, match=match) as info:
        load_model(path, **kwargs)
    assert "MemoryError" not in str(info.value)  # refused on purpose, not by running out
    return str(info.value)


# -- crafting --------------------------------------------------------------------
def archive(members, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, value in members.items():
            zf.writestr(name, value)
    return buffer.getvalue()


def raw_zip(entries):
    """A zip written field by field: entries are (name, data, method, crc, file_size, compress_size, mode), so
    headers can say whatever the attacker wants."""
    body, directory = b"", b""
    for name, data, method, crc, file_size, compress_size, mode in entries:
        name = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, compress_size, file_size,
                             len(name), 0)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, method, 0, 0x21, crc,
                                 compress_size, file_size, len(name), 0, 0, 0, 0, mode << 16, len(body)) + name
        body += header + name + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return body + directory + end


def stored(name, data, mode=0o100644):
    return (name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data), len(data), mode)


def configure(members, edit):
    """A copy of `members` with config.json changed by `edit(config)` (which may return a replacement)."""
    config = json.loads(members["config.json"])
    config = edit(config) or config
    return {**members, "config.json": json.dumps(config)}


def weights_file(fill):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        fill(f)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def members():
    model = models.Sequential([layers.Input((4,)), layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    buffer = io.BytesIO()
    model.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def dense(config):
    return config["config"]["layers"][1]["config"]


def set_input_dims(config, dims):
    batch_shape = [None] + list(dims)
    config["config"]["layers"][0]["config"]["batch_shape"] = batch_shape
    config["config"]["layers"][1]["build_config"]["input_shape"] = batch_shape
    config["config"]["build_input_shape"] = batch_shape
    config["build_config"]["input_shape"] = batch_shape


def test_the_untouched_file_loads(members, tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(archive(members))
    with bounded():
        model = load_model(path)
    assert model.predict(X, verbose=0).shape == (2, 3)


# -- (1) oversized shape declarations ----------------------------------------------
@pytest.mark.parametrize("units", [10**12, 2**26, 2**22])  # 16 TB, 1 GiB (would fit in RAM), 64 MiB kernels
def test_huge_layer_in_the_config_is_refused_before_allocating(members, tmp_path, units):
    def edit(config):
        dense(config)["units"] = units
    message = refused(archive(configure(members, edit)), tmp_path, match="stores")
    assert "dense" in message and str(4 * units) in message


@pytest.mark.parametrize("dims", [(10**9,), (10**6, 10**6), (10**12, 10**12, 10**12)])
def test_huge_input_shape_is_refused_before_allocating(members, tmp_path, dims):
    refused(archive(configure(members, lambda config: set_input_dims(config, dims))), tmp_path, match="stores")


@pytest.mark.parametrize("dims", [(-5,), (0,), ("4",), (4.5,), (True,), (10**100,), ([4],), ({"a": 1},)])
def test_malformed_input_dims_are_refused(members, tmp_path, dims):
    refused(archive(configure(members, lambda config: set_input_dims(config, dims))), tmp_path)


@pytest.mark.parametrize("units", [-3, 0, "3", 3.5, None, [3], 10**400])
def test_malformed_units_are_refused(members, tmp_path, units):
    def edit(config):
        dense(config)["units"] = units
    refused(archive(configure(members, edit)), tmp_path)


def _replace_kernel(make):
    def fill(f):
        vars_ = f.create_group("layers/dense/vars")
        make(vars_, "0")
        vars_.create_dataset("1", data=np.zeros(3, "float32"))
        f.create_group("layers/input_layer/vars")
        f.create_group("vars")
    return weights_file(fill)


@pytest.mark.parametrize("shape", [(10**12,), (2**28,), (4, 2**26), (2**40, 2**20)])
def test_hdf5_dataset_declaring_an_enormous_shape_is_never_read(members, tmp_path, shape):
    # Chunked datasets declare their shape without storing anything: reading one would allocate it all.
    weights = _replace_kernel(lambda g, key: g.create_dataset(key, shape=shape, dtype="float32",
                                                              chunks=(1,) * len(shape)))
    assert len(weights) < 1 << 16
    refused(archive({**members, "model.weights.h5": weights}), tmp_path, match="weights")


def test_config_and_hdf5_agreeing_on_an_enormous_shape_are_refused(members, tmp_path):
    # The file's two halves agree, but model.weights.h5 stores none of the 1 GiB the shape declares.
    weights = _replace_kernel(lambda g, key: g.create_dataset(key, shape=(4, 2**26), dtype="float32",
                                                              chunks=(1, 1024)))

    def edit(config):
        dense(config)["units"] = 2**26
    refused(archive({**configure(members, edit), "model.weights.h5": weights}), tmp_path, match="stores")


def test_resizable_hdf5_dataset_with_unlimited_maxshape_is_refused(members, tmp_path):
    weights = _replace_kernel(lambda g, key: g.create_dataset(key, shape=(2**30, 3), maxshape=(None, None),
                                                              dtype="float32", chunks=(1, 3)))
    refused(archive({**members, "model.weights.h5": weights}), tmp_path, match="weights")


# -- (2) deep nesting and long chains ------------------------------------------------
@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a": ', "}"), ('{"class_name": "Dense", "config": ', "}")])
def test_json_nested_100000_levels_is_refused(members, tmp_path, opening, closing):
    depth = 100_000
    deep = opening * depth + "1" + closing * depth
    refused(archive({**members, "config.json": deep}), tmp_path, match="config.json is not valid JSON")
    refused(archive({**members, "metadata.json": deep}), tmp_path, match="metadata.json is not valid JSON")


@pytest.mark.parametrize("depth", [200, 900, 5000])
@pytest.mark.parametrize("key, opening, closing", [
    ("kernel_regularizer", '{"module": "keras.regularizers", "class_name": "L1", "config": {"l1": ', "}}"),
    ("bias_initializer", '{"module": "keras.initializers", "class_name": "Constant", "config": {"value": ', "}}"),
    ("activity_regularizer", '{"x": [', "]}"),
    ("units", "[", "]"),
], ids=["regularizers", "initializers", "plain", "lists"])
def test_deeply_nested_objects_inside_a_layer_config_are_refused(members, tmp_path, depth, key, opening, closing):
    # Valid JSON that json.loads reads (up to its own limit) describing objects nested `depth` deep.
    data = configure(members, lambda config: dense(config).__setitem__(key, "DEEP"))
    data["config.json"] = data["config.json"].replace('"DEEP"', opening * depth + "0.5" + closing * depth)
    refused(archive(data), tmp_path)


def _functional_chain(n):
    x = layers.Input((4,), name="x")
    y = x
    for i in range(n):
        y = layers.Activation("linear", name=f"a{i}")(y)
    model = models.Model(x, y)
    buffer = io.BytesIO()
    model.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_a_chain_of_3000_layers_loads_in_linear_time(tmp_path):
    chain = _functional_chain(3000)
    # Listed backwards the file is still valid (each node names what it reads), but rebuilding it pass by pass
    # would take 3000 passes: the time must not depend on the order.
    backwards = configure(chain, lambda config: config["config"].update(layers=config["config"]["layers"][::-1]))
    seconds = {}
    for order, members in (("forward", chain), ("backwards", backwards)):
        path = tmp_path / f"{order}.keras"
        path.write_bytes(archive(members))
        loaded = bounded_in_a_child(path, tmp_path)
        seconds[order] = loaded["seconds"]
        np.testing.assert_array_equal(loaded["prediction"], X)
    assert seconds["backwards"] < 2 * seconds["forward"] + 0.5, seconds


def test_one_layer_with_3000_inbound_nodes_loads(tmp_path):
    x = layers.Input((4,), name="x")
    shared = layers.Activation("linear", name="shared")
    y = x
    for _ in range(3000):
        y = shared(y)
    buffer = io.BytesIO()
    models.Model(x, y).save(buffer)
    path = tmp_path / "shared.keras"
    path.write_bytes(buffer.getvalue())
    np.testing.assert_array_equal(bounded_in_a_child(path, tmp_path)["prediction"], X)


def test_a_sequential_model_of_3000_layers_loads(tmp_path):
    model = models.Sequential([layers.Input((4,))] + [layers.Activation("linear") for _ in range(3000)])
    path = tmp_path / "long.keras"
    model.save(path)
    assert bounded_in_a_child(path, tmp_path)["layers"] == 3000


def test_a_graph_with_a_cycle_is_refused(tmp_path):
    chain = _functional_chain(3)

    def edit(config):  # a0 reads a2's output, which depends on a0
        config["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["a2", 0, 0]
    refused(archive(configure(chain, edit)), tmp_path, match="loops")


@pytest.mark.parametrize("history", [["x", 10**18, 0], ["x", 0, 10**18], ["x", -1, 0], ["x", "0", 0],
                                     ["nowhere", 0, 0], ["x", 0], [["x"], 0, 0], None, "x"])
def test_bad_keras_history_is_refused(tmp_path, history):
    chain = _functional_chain(2)

    def edit(config):
        config["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = history
    refused(archive(configure(chain, edit)), tmp_path)


def test_many_bogus_inbound_nodes_are_refused_quickly(tmp_path):
    chain = _functional_chain(2)

    def edit(config):  # 20,000 calls of a1, each reading a call of a0 that never happens
        node = config["config"]["layers"][2]["inbound_nodes"][0]
        bogus = json.loads(json.dumps(node))
        bogus["args"][0]["config"]["keras_history"] = ["a0", 5, 0]
        config["config"]["layers"][2]["inbound_nodes"] = [node] + [bogus] * 20_000
    refused(archive(configure(chain, edit)), tmp_path)


# -- (3) path traversal inside the zip ---------------------------------------------
def _files(root):
    return {os.path.join(d, f) for d, _, files in os.walk(root) for f in files}


def test_traversal_and_absolute_member_names_are_never_extracted(members, tmp_path, monkeypatch):
    target = tmp_path / "inner" / "deeper"
    target.mkdir(parents=True)
    monkeypatch.chdir(target)

    def no_extraction(*args, **kwargs):
        raise AssertionError("load_model must not extract archive members")
    monkeypatch.setattr(zipfile.ZipFile, "extract", no_extraction)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_extraction)
    shared = f"/tmp/evil_{tmp_path.name}.txt"  # where "../"s climbing out of the test's directory would land
    evil = {"../../evil_parent.txt": b"x", "../" * 30 + shared.lstrip("/"): b"x", shared: b"x",
            str(tmp_path / "evil_absolute.txt"): b"x", "..\\..\\evil_backslash.txt": b"x",
            "assets/../../evil_assets.txt": b"x", "./../evil_dot.txt": b"x", "C:/evil_drive.txt": b"x"}
    path = target / "model.keras"
    path.write_bytes(raw_zip([stored(name, value) for name, value in {**evil, **members}.items()]))
    before = _files(tmp_path)
    with bounded():
        model = load_model(path)  # the extra members are ignored; the model itself is intact
    assert model.predict(X, verbose=0).shape == (2, 3)
    assert _files(tmp_path) == before
    assert not os.path.exists(shared)


@pytest.mark.parametrize("prefix", ["../", "/", "../../../../", "sub/../../"])
def test_required_members_only_under_escaping_names_are_refused(members, tmp_path, prefix):
    data = raw_zip([stored(prefix + name, value) for name, value in members.items()])
    refused(data, tmp_path, match="has no")


def test_symlink_members_are_read_as_bytes_not_followed(members, tmp_path):
    # A member marked as a symlink to /etc/passwd: its content is the link text, which is not HDF5.
    entries = [stored(name, value) for name, value in members.items() if name != "model.weights.h5"]
    entries.append(stored("model.weights.h5", b"/etc/passwd", mode=stat.S_IFLNK | 0o777))
    refused(raw_zip(entries), tmp_path, match="weights")


# -- (4) zip bombs ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def bomb():
    """(deflate stream, crc) of 2 GiB of spaces (valid JSON whitespace) in about 2 MB, built in well under a second."""
    chunk = b" " * (1 << 24)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)  # every block is byte-identical
    crc = 0
    for _ in range(128):
        crc = zlib.crc32(chunk, crc)
    return block * 128 + compressor.flush(), crc, 128 << 24


@pytest.mark.parametrize("member", ["config.json", "model.weights.h5", "metadata.json"])
@pytest.mark.parametrize("header", ["honest", "lying"])
def test_a_member_inflating_to_2_gib_is_refused_before_it_is_read(members, tmp_path, bomb, member, header):
    stream, crc, size = bomb
    # "lying": the header claims the member stores as much as it inflates to, so no ratio looks suspicious.
    compress_size = len(stream) if header == "honest" else size
    entries = [stored(name, value) for name, value in members.items() if name != member]
    entries.append((member, stream, zipfile.ZIP_DEFLATED, crc, size, compress_size, 0o100644))
    refused(raw_zip(entries), tmp_path, match="decompression bomb")


def test_a_member_declaring_less_than_it_inflates_to_is_cut_off(members, tmp_path, bomb):
    stream, crc, _ = bomb
    entries = [stored(name, value) for name, value in members.items() if name != "config.json"]
    entries.append(("config.json", stream, zipfile.ZIP_DEFLATED, crc, 1000, len(stream), 0o100644))
    refused(raw_zip(entries), tmp_path)


def test_a_modest_deflated_archive_still_loads(members, tmp_path):
    path = tmp_path / "deflated.keras"
    path.write_bytes(archive(members, compression=zipfile.ZIP_DEFLATED))
    with bounded():
        assert load_model(path).predict(X, verbose=0).shape == (2, 3)


# -- (5) configs naming modules, classes and code -------------------------------------
@pytest.fixture
def payload(tmp_path, monkeypatch):
    """A module on sys.path that creates a marker file when imported or called; yields the marker's path."""
    marker = tmp_path / "payload_ran"
    package = tmp_path / "site"
    package.mkdir()
    (package / "nk_evil_payload.py").write_text(
        "import pathlib\n"
        f"MARKER = pathlib.Path({str(marker)!r})\n"
        "MARKER.write_text('imported')\n"
        "def run(*args, **kwargs):\n"
        "    MARKER.write_text('called')\n"
        "class Payload:\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        run()\n"
        "    @classmethod\n"
        "    def from_config(cls, config):\n"
        "        return cls()\n")
    monkeypatch.syspath_prepend(str(package))
    sys.modules.pop("nk_evil_payload", None)
    yield marker
    assert not marker.exists(), "a payload named in the file ran"
    assert "nk_evil_payload" not in sys.modules, "a module named in the file was imported"


def _lambda_code(marker):
    def evil(x):
        open(marker, "w").write("called")  # noqa: SIM115
        return x
    return base64.b64encode(marshal.dumps(evil.__code__)).decode()


def _malicious_configs(marker):
    """name -> edit(config) for config.json files that each try to import or run something."""
    evil_function = {"module": "nk_evil_payload", "class_name": "function", "config": "run",
                     "registered_name": "run"}
    evil_class = {"module": "nk_evil_payload", "class_name": "Payload", "config": {}, "registered_name": None}
    shell = f"touch {marker}"
    code = _lambda_code(str(marker))

    def replace_model(value):
        return lambda config: value

    def set_dense(key, value):
        def edit(config):
            dense(config)[key] = value
        return edit

    def add_layer(layer):
        def edit(config):
            config["config"]["layers"].append(layer)
        return edit

    def compile_with(key, value):
        def edit(config):
            config["compile_config"] = {"optimizer": "adam", "loss": "mse", key: value}
        return edit

    def lambda_layer(**config):
        relu = {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "relu"}
        return {"module": "keras.layers", "class_name": "Lambda",
                "config": {"name": "evil", "function": relu, "arguments": {}, **config}}

    def numpy_array(value, dtype):
        return {"class_name": "__numpy__", "config": {"value": value, "dtype": dtype}}

    return {
        "module-class": replace_model(evil_class),
        "os.system": replace_model({"module": "os", "class_name": "system", "config": {"command": shell}}),
        "builtins.eval": replace_model({"module": "builtins", "class_name": "eval",
                                        "config": {"source": f"open({str(marker)!r}, 'w')"}}),
        "subprocess.Popen": replace_model({"module": "subprocess", "class_name": "Popen",
                                           "config": {"args": ["touch", str(marker)]}}),
        "registered-name": replace_model({"module": "keras", "class_name": "Sequential", "config": {},
                                          "registered_name": "nk_evil_payload>Payload"}),
        "keras-prefixed-module": replace_model({"module": "keras.nk_evil_payload", "class_name": "Payload",
                                                "config": {}}),
        "dunder-class": replace_model({"module": "keras.layers", "class_name": "__class__", "config": {}}),
        "private-class": replace_model({"module": "keras.layers", "class_name": "_Layer", "config": {}}),
        "activation-function": set_dense("activation", evil_function),
        "activation-os-system": set_dense("activation", {"module": "os", "class_name": "function",
                                                         "config": "system", "registered_name": "system"}),
        "activation-builtin-eval": set_dense("activation", {"module": "builtins", "class_name": "function",
                                                            "config": "eval", "registered_name": "eval"}),
        "initializer-class": set_dense("kernel_initializer", evil_class),
        "regularizer-class": set_dense("kernel_regularizer", evil_class),
        "reduce-key": set_dense("__reduce__", [{"module": "os", "class_name": "system"}, [shell]]),
        "jsonpickle-reduce": set_dense("kernel_initializer", {"py/reduce": [{"py/function": "os.system"},
                                                                            {"py/tuple": [shell]}]}),
        "object-array": compile_with("loss_weights", numpy_array([shell], "object")),
        "huge-string-array": compile_with("loss_weights", numpy_array(["x", "y"], "U100000000")),
        "huge-bytes-array": compile_with("loss_weights", numpy_array(["x", "y"], "S400000000")),
        "subarray-dtype": compile_with("loss_weights", numpy_array(0, "(100000,100000)f4")),
        "lambda-as-loss": compile_with("loss", {"class_name": "__lambda__", "config": {"code": code}}),
        "lambda-as-activation": set_dense("activation", {"class_name": "__lambda__", "config": {"code": code}}),
        "lambda-bytecode": add_layer(lambda_layer(function={"class_name": "__lambda__", "config": {
            "code": code, "defaults": None, "closure": None}})),
        "lambda-source": add_layer(lambda_layer(function={"class_name": "__lambda__", "config": {
            "source": f"lambda x: open({str(marker)!r}, 'w') and x"}})),
        "lambda-module-function": add_layer(lambda_layer(function=evil_function)),
        "lambda-os-system": add_layer(lambda_layer(function={"class_name": "function", "module": "os",
                                                             "config": "system"})),
        "lambda-output-shape-code": add_layer(lambda_layer(output_shape={"class_name": "__lambda__", "config": {
            "code": code}})),
        "lambda-mask-code": add_layer(lambda_layer(mask={"class_name": "__lambda__", "config": {"code": code}})),
        "lambda-arguments-array": add_layer(lambda_layer(arguments={"a": numpy_array(["x", "y"], "U100000000")})),
        "compile-loss": compile_with("loss", evil_function),
        "compile-metric": compile_with("metrics", [evil_function]),
        "compile-optimizer": lambda config: config.update(compile_config={"optimizer": evil_class, "loss": "mse"}),
    }


@pytest.mark.parametrize("case", sorted(_malicious_configs("marker")))
def test_configs_naming_modules_classes_or_code_are_refused(members, tmp_path, payload, case):
    edit = _malicious_configs(payload)[case]
    before = set(sys.modules)
    refused(archive(configure(members, edit)), tmp_path)
    new = {name.partition(".")[0] for name in set(sys.modules) - before}
    assert new <= {"numkeras"} | set(sys.stdlib_module_names), new


def test_the_harmless_lambda_layer_the_cases_build_on_loads(members, tmp_path):
    # So the Lambda cases above are refused for their payload, not for a malformed layer.
    edit = _malicious_configs("marker")["lambda-os-system"]
    data = configure(members, edit)
    data["config.json"] = data["config.json"].replace('"module": "os", "config": "system"',
                                                      '"module": "keras.ops", "config": "abs"')
    path = tmp_path / "lambda.keras"
    path.write_bytes(archive(data))
    with bounded():
        model = load_model(path)
    assert float(model.layers[-1].function(-2.0)) == 2.0


def test_safe_mode_false_is_still_needed_to_run_lambda_code(members, tmp_path, payload):
    # The refusal above is safe_mode's doing: the same file names the flag that would let it run.
    edit = _malicious_configs(payload)["lambda-bytecode"]
    message = refused(archive(configure(members, edit)), tmp_path)
    assert "safe_mode=False" in message


@pytest.mark.parametrize("metric", [
    {"module": "keras.metrics", "class_name": "AUC", "config": {"num_thresholds": 10**9}},
    {"module": "keras.metrics", "class_name": "AUC", "config": {"num_thresholds": 10**8}},
    {"module": "keras.metrics", "class_name": "PrecisionAtRecall", "config": {"recall": 0.5,
                                                                                "num_thresholds": 10**8}},
], ids=["auc-1e9", "auc-1e8", "precision-at-recall-1e8"])
def test_metrics_sized_far_beyond_the_file_are_refused(members, tmp_path, metric):
    # A metric's state is built when it is constructed and is not stored in the file: its size comes from
    # the config alone. Without compiling, the same file loads.
    def edit(config):
        config["compile_config"]["metrics"] = [metric]
    data = archive(configure(members, edit))
    refused(data, tmp_path, match="compile=False")
    with bounded():
        assert load_model(tmp_path / "crafted.keras", compile=False).predict(X, verbose=0).shape == (2, 3)


# -- (6) HDF5 values that are not numbers -------------------------------------------
def _region_reference(g, key):
    source = g.file.create_dataset("source", data=np.zeros((4, 3), "float32"))
    g.create_dataset(key, data=np.array([[source.regionref[0:1, 0:1]] * 3] * 4, dtype=h5py.regionref_dtype))


@pytest.mark.parametrize("make", {
    "vlen-string": lambda g, key: g.create_dataset(key, data=np.array([["a" * 10] * 3] * 4, dtype=object),
                                                   dtype=h5py.string_dtype()),
    "fixed-bytes": lambda g, key: g.create_dataset(key, data=np.full((4, 3), b"nope", dtype="S4")),
    "object-reference": lambda g, key: g.create_dataset(key, data=np.array([[g.file.ref] * 3] * 4,
                                                                           dtype=h5py.ref_dtype)),
    "region-reference": _region_reference,
    "vlen-floats": lambda g, key: g.create_dataset(key, shape=(4, 3), dtype=h5py.vlen_dtype("float32")),
    "compound": lambda g, key: g.create_dataset(key, shape=(4, 3), dtype=[("a", "f4"), ("b", "f4")]),
    "opaque": lambda g, key: g.create_dataset(key, data=np.zeros((4, 3), "V4")),
    "array-type": lambda g, key: g.create_dataset(key, shape=(4,), dtype=np.dtype(("f4", (3,)))),
    "group-not-dataset": lambda g, key: g.create_group(key),
    "soft-link": lambda g, key: g.__setitem__(key, h5py.SoftLink("/layers/dense/vars/1")),
    "external-link": lambda g, key: g.__setitem__(key, h5py.ExternalLink("/etc/passwd", "/")),
    "external-storage": lambda g, key: g.create_dataset(key, shape=(4, 3), dtype="float32",
                                                        external=[("/etc/passwd", 0, 48)]),
    "scalar": lambda g, key: g.create_dataset(key, data=np.float32(1)),
}.items(), ids=lambda item: item[0])
def test_hdf5_values_that_are_not_plain_numbers_are_refused(members, tmp_path, make):
    name, make = make
    refused(archive({**members, "model.weights.h5": _replace_kernel(make)}), tmp_path, match="weights")
