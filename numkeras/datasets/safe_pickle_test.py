import io
import os
import pickle
import zipfile

import numpy as np
import pytest

from numkeras.datasets import safe_pickle


def object_array(items):
    """A 1-D object array of `items` (lists), as IMDB and Reuters store them. Shared with the loader tests."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def npz_bytes(**arrays):
    """The bytes of an `.npz` file, as `np.savez` writes it (object arrays pickled). Shared with the loader tests."""
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


class RunsCommand:
    """Pickles into a call of os.system: loading it with pickle.load would run `command`."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def malicious_pickle(marker, protocol=2):
    """A pickle that, if unpickled unsafely, creates the file `marker`. Shared with the cifar tests."""
    return pickle.dumps({b"data": RunsCommand(f"touch {marker}"), b"labels": [0]}, protocol=protocol)


def load(blob, **kwargs):
    return safe_pickle.RestrictedUnpickler(io.BytesIO(blob), **kwargs).load()


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_arrays_and_plain_data_round_trip(protocol):
    value = {
        b"data": np.arange(12, dtype=np.uint8).reshape(3, 4),
        "floats": np.linspace(0, 1, 5, dtype=np.float32),
        "ragged": object_array([[1, 2], [3], []]),
        "scalar": np.int64(7),
        "plain": [1, 2.5, "text", b"bytes", (None, True)],
    }
    got = load(pickle.dumps(value, protocol=protocol), encoding="bytes")
    assert got.keys() == value.keys()
    for key in (b"data", "floats", "scalar"):
        np.testing.assert_array_equal(got[key], value[key])
        assert got[key].dtype == value[key].dtype
    assert got["ragged"].dtype == object and got["ragged"].tolist() == [[1, 2], [3], []]
    assert got["plain"] == value["plain"]


@pytest.mark.parametrize("protocol", [0, 2, 4])
def test_refuses_code_and_runs_nothing(tmp_path, protocol):
    marker = tmp_path / "pwned"
    blob = malicious_pickle(marker, protocol)
    with pytest.raises(pickle.UnpicklingError, match=r"Refusing to load `(posix|os|nt)\.system`"):
        load(blob, encoding="bytes")
    assert not marker.exists()


@pytest.mark.parametrize("name", ["builtins eval", "subprocess Popen", "numpy load", "numpy.lib.npyio load"])
def test_refuses_other_globals(name):
    module, attr = name.split()
    blob = f"c{module}\n{attr}\n(S'1'\ntR.".encode()  # protocol 0: module.attr('1')
    with pytest.raises(pickle.UnpicklingError, match=f"Refusing to load `{module}.{attr}`"):
        load(blob)


def test_codecs_encode_only_latin1():
    ok = b"c_codecs\nencode\n(Vab\nVlatin1\ntR."
    assert load(ok) == b"ab"
    bad = b"c_codecs\nencode\n(Vab\nVrot13\ntR."
    with pytest.raises(pickle.UnpicklingError, match="encoding 'rot13'"):
        load(bad)


def test_load_npz_reads_numeric_and_object_arrays(tmp_path):
    path = tmp_path / "data.npz"
    path.write_bytes(npz_bytes(x=object_array([[1, 2, 3], [4]]), y=np.array([0, 1]), z=np.ones(3, np.float32)))
    got = safe_pickle.load_npz(path, ("x", "y"))
    assert list(got) == ["x", "y"]
    assert got["x"].dtype == object and got["x"].tolist() == [[1, 2, 3], [4]]
    np.testing.assert_array_equal(got["y"], [0, 1])


def test_load_npz_refuses_malicious_object_array(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "data.npz"
    path.write_bytes(npz_bytes(x=object_array([RunsCommand(f"touch {marker}")])))
    with pytest.raises(ValueError, match="Refusing to load"):
        safe_pickle.load_npz(path, ("x",))
    assert not marker.exists()


def test_load_npz_errors(tmp_path):
    path = tmp_path / "data.npz"
    path.write_bytes(npz_bytes(x=np.zeros(2)))
    with pytest.raises(ValueError, match=r"valid dataset \.npz file with arrays x, y .*no array named y"):
        safe_pickle.load_npz(path, ("x", "y"))
    path.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="delete it and load the data again"):
        safe_pickle.load_npz(path, ("x",))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.npy", b"\x93NUMPY garbage")
    with pytest.raises(ValueError, match="not a valid dataset .npz"):
        safe_pickle.load_npz(path, ("x",))
