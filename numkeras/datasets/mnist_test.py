import contextlib
import hashlib
import io
import os

import numpy as np
import pytest

from numkeras.datasets import mnist
from numkeras.datasets.idx_test import write_image_split
from numkeras.utils import file_utils
from numkeras.utils.file_utils_test import no_dns  # noqa: F401 (a fixture)
from numkeras.utils.file_utils_test import UNRESOLVABLE_URL, closed_port_url, serve, silent_url


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(mnist, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(mnist, "ORIGIN_BASE", closed_port_url())


def fake_npz(n_train=6, n_test=4):
    rng = np.random.default_rng(1)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test) % 10).astype(np.uint8),
    }
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue(), [arrays[k] for k in ("x_train", "y_train", "x_test", "y_test")]


def assert_loaded(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    assert x_train.shape[1:] == x_test.shape[1:] == (28, 28)
    for got, want in zip([x_train, y_train, x_test, y_test], arrays):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, want)


def test_cache_hit(tmp_path, monkeypatch):
    blob, arrays = fake_npz()
    (tmp_path / "home" / "datasets").mkdir(parents=True)
    (tmp_path / "home" / "datasets" / "mnist.npz").write_bytes(blob)
    monkeypatch.setattr(mnist, "MNIST_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    assert_loaded(mnist.load_data(), arrays)


@pytest.mark.parametrize("layout", ["npz", "idx"])
def test_system_location_hit(tmp_path, monkeypatch, layout):
    folder = tmp_path / "usr-share-datasets-mnist"
    if layout == "npz":
        blob, arrays = fake_npz()
        folder.mkdir()
        (folder / "mnist.npz").write_bytes(blob)
    else:
        arrays = write_image_split(folder)
    monkeypatch.setattr(mnist, "SYSTEM_LOCATIONS", (str(folder),))
    assert_loaded(mnist.load_data(), arrays)


def test_corrupt_cache_is_downloaded_again(tmp_path, monkeypatch):
    blob, arrays = fake_npz()
    cached = tmp_path / "home" / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(blob[:-10])
    monkeypatch.setattr(mnist, "MNIST_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    with serve({"mnist.npz": blob}) as (url, hits):
        monkeypatch.setattr(mnist, "ORIGIN_BASE", url)
        assert_loaded(mnist.load_data(), arrays)
    assert hits == {"mnist.npz": 1}
    assert cached.read_bytes() == blob
    assert os.listdir(cached.parent) == ["mnist.npz"]


def test_interrupted_download_leaves_no_partial_file(tmp_path, monkeypatch):
    blob, _ = fake_npz()
    monkeypatch.setattr(mnist, "MNIST_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    with serve({"mnist.npz": blob}, truncate={"mnist.npz"}) as (url, _):
        monkeypatch.setattr(mnist, "ORIGIN_BASE", url)
        with pytest.raises(FileNotFoundError, match="connection closed after"):
            mnist.load_data()
    assert os.listdir(tmp_path / "home" / "datasets") == []


@pytest.mark.parametrize("origin", ["refused", "unresolvable", "silent"])
def test_offline_error_says_why_where_it_looked_and_how_to_provide_the_file(tmp_path, monkeypatch, no_dns, origin):
    monkeypatch.setattr(mnist, "SYSTEM_LOCATIONS", ("/nowhere/mnist", "~/nowhere/keras"))
    monkeypatch.setattr(file_utils, "DOWNLOAD_TIMEOUT", 0.5)
    with contextlib.ExitStack() as stack:
        base = {"refused": closed_port_url, "unresolvable": lambda: UNRESOLVABLE_URL,
                "silent": lambda: stack.enter_context(silent_url())}[origin]()
        monkeypatch.setattr(mnist, "ORIGIN_BASE", base)
        with pytest.raises(FileNotFoundError) as info:
            mnist.load_data()
    message = str(info.value)
    reason = {"refused": f"the connection to {base[7:-1]} was refused",
              "unresolvable": "the host name numkeras-test.invalid could not be resolved (Name or service not known)",
              "silent": f"nothing answered from {base[7:-1]} within 0.5 s"}[origin]
    cache = str(tmp_path / "home" / "datasets")
    assert message.startswith("Could not load the MNIST dataset: no copy was found on this machine, and it could "
                              f"not be downloaded because no network was reachable: {reason}.\n")
    for place in [f"  - {cache} (the numkeras cache: $NUMKERAS_HOME/datasets, NUMKERAS_HOME={tmp_path / 'home'})",
                  "  - /nowhere/mnist\n", f"  - {os.path.expanduser('~/nowhere/keras')}\n",
                  f"Then tried to download {base}mnist.npz\n", f"\n  - {base}mnist.npz\n",
                  f"put mnist.npz in {cache}/ (the path {cache}/mnist.npz)",
                  "or set NUMKERAS_HOME to a folder whose datasets/ holds it."]:
        assert place in message
    assert "all of train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz" in message  # the IDX alternative


def test_offline_error_names_a_cached_file_with_the_wrong_checksum(tmp_path):
    cached = tmp_path / "home" / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"a different file")
    with pytest.raises(FileNotFoundError, match="ignored there because their checksum did not match: mnist.npz"):
        mnist.load_data()
    assert cached.read_bytes() == b"a different file"  # left in place: the message says where it is


def test_invalid_npz(tmp_path, monkeypatch):
    folder = tmp_path / "sys"
    folder.mkdir()
    monkeypatch.setattr(mnist, "SYSTEM_LOCATIONS", (str(folder),))
    np.savez(folder / "mnist.npz", x_train=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="not a valid MNIST .npz file"):
        mnist.load_data()
    (folder / "mnist.npz").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a valid MNIST .npz file"):
        mnist.load_data()

