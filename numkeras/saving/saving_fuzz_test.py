"""load_model on truncated, byte-flipped and foreign files: only ever FileFormatError (or the intact model)."""
import io
import json
import time
import zipfile

import numpy as np
import pytest

from numkeras import layers, models, utils
from numkeras.saving import FileFormatError, load_model

X = np.linspace(-1, 1, 20, dtype="float32").reshape(5, 4)
CASES = 400
SECONDS_PER_CASE = 2.0


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    utils.set_random_seed(0)
    model = models.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, np.ones((5, 3), "float32"), epochs=1, verbose=0)
    path = tmp_path_factory.mktemp("fuzz") / "model.keras"
    model.save(path)
    return path.read_bytes(), model.predict(X, verbose=0)


def check(data, expected, path):
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        model = load_model(path)
    except FileFormatError as error:
        assert str(error)
        outcome = "error"
    else:  # a change the archive does not depend on (a timestamp, a comment): the model is intact
        np.testing.assert_array_equal(model.predict(X, verbose=0), expected)
        outcome = "loaded"
    assert time.perf_counter() - start < SECONDS_PER_CASE
    return outcome


def test_truncated_and_byte_flipped_files_raise_file_format_error(saved, tmp_path):
    data, expected = saved
    rs = np.random.RandomState(1234)
    outcomes = []
    for case in range(CASES):
        if case % 3 == 0:
            corrupted = data[:rs.randint(0, len(data))]
        else:
            corrupted = bytearray(data)
            for position in rs.randint(0, len(data), size=rs.randint(1, 4)):
                corrupted[position] ^= 1 << rs.randint(0, 8)
            corrupted = bytes(corrupted)
        outcomes.append(check(corrupted, expected, tmp_path / "case.keras"))
    assert outcomes.count("error") > CASES * 0.7  # almost every change is caught (by the zip's CRCs)


@pytest.mark.parametrize("member", ["config.json", "model.weights.h5"])
def test_corrupted_members_inside_a_valid_archive_raise_file_format_error(saved, tmp_path, member):
    # Past the zip's CRCs (as a crafted file would be), the JSON and HDF5 readers meet the damage.
    data, _ = saved
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rs = np.random.RandomState(99)
    errors = 0
    for case in range(CASES // 2):
        damaged = bytearray(members[member])
        if case % 3 == 0:
            damaged = damaged[:rs.randint(0, len(damaged))]
        else:
            for position in rs.randint(0, len(damaged), size=rs.randint(1, 4)):
                damaged[position] ^= 1 << rs.randint(0, 8)
        path = tmp_path / "case.keras"
        path.write_bytes(_archive({**members, member: bytes(damaged)}))
        start = time.perf_counter()
        try:
            load_model(path)  # a flipped weight value cannot be detected: the model loads, with that value
        except FileFormatError:
            errors += 1
        assert time.perf_counter() - start < SECONDS_PER_CASE
    assert errors > CASES // 2 * 0.3


def _archive(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, value in members.items():
            archive.writestr(name, value)
    return buffer.getvalue()


@pytest.mark.parametrize("make", [
    lambda data: b"",
    lambda data: b"not a zip file at all",
    lambda data: np.random.RandomState(0).bytes(4096),
    lambda data: _archive({"readme.txt": "hello"}),
    lambda data: _archive({"config.json": "{}", "model.weights.h5": b""}),
    lambda data: _archive({"config.json": "[1, 2]", "model.weights.h5": b"x"}),
    lambda data: _archive({"config.json": json.dumps({"class_name": "Adam", "module": "keras.optimizers",
                                                      "config": {}}), "model.weights.h5": b"x"}),
    lambda data: _archive({"config.json": json.dumps({"class_name": "system", "module": "os",
                                                      "config": {"command": "echo hi"}}),
                           "model.weights.h5": b"x"}),
    lambda data: _archive({"config.json": zipfile.ZipFile(io.BytesIO(data)).read("config.json"),
                           "model.weights.h5": b"\x89HDF\r\n\x1a\n garbage"}),
    lambda data: _archive({"config.json": zipfile.ZipFile(io.BytesIO(data)).read("config.json")[:-10],
                           "model.weights.h5": zipfile.ZipFile(io.BytesIO(data)).read("model.weights.h5")}),
], ids=["empty", "text", "random", "no-config", "empty-config", "list-config", "not-a-model", "foreign-class",
        "bad-hdf5", "cut-json"])
def test_foreign_files_raise_file_format_error(saved, tmp_path, make):
    data, _ = saved
    path = tmp_path / "foreign.keras"
    path.write_bytes(make(data))
    with pytest.raises(FileFormatError):
        load_model(path)


def test_weights_that_do_not_fit_the_config_raise_file_format_error(saved, tmp_path):
    data, _ = saved
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        config = json.loads(archive.read("config.json"))
        weights = archive.read("model.weights.h5")
    config["config"]["layers"][1]["config"]["units"] = 9  # the saved kernel is (4, 8)
    path = tmp_path / "mismatch.keras"
    path.write_bytes(_archive({"config.json": json.dumps(config), "model.weights.h5": weights}))
    with pytest.raises(FileFormatError, match=r"(?s)weights.*could not be loaded.*shape \(4, 9\)"):
        load_model(path)
