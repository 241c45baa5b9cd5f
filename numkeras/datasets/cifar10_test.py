import hashlib
import os
import pickle

import numpy as np
import pytest

from numkeras.datasets import cifar10
from numkeras.datasets.cifar_test import batch_pickle, random_batch, tar_gz
from numkeras.datasets.safe_pickle_test import malicious_pickle
from numkeras.utils.file_utils_test import closed_port_url, serve

BATCHES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cifar10, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(cifar10, "ORIGIN_BASE", closed_port_url())


def fake_batches():
    """{name: (data, labels)}: 3 images per training batch and 4 test images."""
    return {name: random_batch(4 if name == "test_batch" else 3, 10, seed) for seed, name in enumerate(BATCHES)}


def members(batches):
    """The archive's files as the real one has them, in the folder cifar-10-batches-py/."""
    files = {f"cifar-10-batches-py/{name}": batch_pickle(b[0], {"labels": b[1]}) for name, b in batches.items()}
    files["cifar-10-batches-py/batches.meta"] = pickle.dumps({b"label_names": [b"airplane"] * 10}, protocol=2)
    return files


def assert_loaded(result, batches):
    (x_train, y_train), (x_test, y_test) = result
    assert (x_train.shape, y_train.shape) == ((15, 32, 32, 3), (15, 1))
    assert (x_test.shape, y_test.shape) == ((4, 32, 32, 3), (4, 1))
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    assert x_train.flags.c_contiguous
    train = [batches[name] for name in BATCHES[:5]]
    for x, y, parts in ((x_train, y_train, train), (x_test, y_test, [batches["test_batch"]])):
        data = np.concatenate([p[0] for p in parts])
        np.testing.assert_array_equal(y[:, 0], np.concatenate([p[1] for p in parts]))
        # Channels last: pixel (row, col) of channel c is data[c * 1024 + row * 32 + col].
        np.testing.assert_array_equal(x, data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        assert x[1, 4, 7, 2] == data[1, 2 * 1024 + 4 * 32 + 7]


def test_download_checks_and_caches(tmp_path, monkeypatch):
    batches = fake_batches()
    blob = tar_gz(members(batches))
    monkeypatch.setattr(cifar10, "ARCHIVE_SHA256", hashlib.sha256(blob).hexdigest())
    with serve({"cifar-10-python.tar.gz": blob}) as (url, hits):
        monkeypatch.setattr(cifar10, "ORIGIN_BASE", url)
        assert_loaded(cifar10.load_data(), batches)
        assert_loaded(cifar10.load_data(), batches)
    assert hits == {"cifar-10-python.tar.gz": 1}
    # Read straight from the archive: nothing is extracted.
    assert os.listdir(tmp_path / "home" / "datasets") == ["cifar-10-python.tar.gz"]


def test_bad_checksum(tmp_path, monkeypatch):
    with serve({"cifar-10-python.tar.gz": tar_gz(members(fake_batches()))}) as (url, _):
        monkeypatch.setattr(cifar10, "ORIGIN_BASE", url)
        with pytest.raises(ValueError, match="Incomplete or corrupted download"):
            cifar10.load_data()
    assert os.listdir(tmp_path / "home" / "datasets") == []


@pytest.mark.parametrize("layout", ["keras3-extracted", "keras2-extracted", "keras3-archive"])
def test_keras_cache_layouts(tmp_path, monkeypatch, layout):
    batches = fake_batches()
    keras = tmp_path / "keras" / "datasets"
    if layout == "keras3-archive":
        keras.mkdir(parents=True)
        (keras / "cifar-10-batches-py-target_archive").write_bytes(tar_gz(members(batches)))
    else:
        root = keras / "cifar-10-batches-py-target" if layout == "keras3-extracted" else keras
        for name, blob in members(batches).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(blob)
    monkeypatch.setattr(cifar10, "SYSTEM_LOCATIONS", (str(keras), str(keras / "cifar-10-batches-py-target")))
    assert_loaded(cifar10.load_data(), batches)


def test_refuses_malicious_archive(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    files = members(fake_batches())
    files["cifar-10-batches-py/data_batch_3"] = malicious_pickle(marker)
    (tmp_path / "keras").mkdir()
    (tmp_path / "keras" / "cifar-10-python.tar.gz").write_bytes(tar_gz(files))
    monkeypatch.setattr(cifar10, "SYSTEM_LOCATIONS", (str(tmp_path / "keras"),))
    with pytest.raises(ValueError, match=r"data_batch_3 is not a valid CIFAR batch \(Refusing to load"):
        cifar10.load_data()
    assert not marker.exists()


def test_offline_error(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        cifar10.load_data()
    message = str(info.value)
    cache = str(tmp_path / "home" / "datasets")
    for part in ["CIFAR-10 dataset", cifar10.ORIGIN_BASE, f"put cifar-10-python.tar.gz in {cache}",
                 "cifar-10-batches-py/test_batch"]:
        assert part in message
