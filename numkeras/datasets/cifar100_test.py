import hashlib

import numpy as np
import pytest

from numkeras.datasets import cifar100
from numkeras.datasets.cifar_test import batch_pickle, random_batch, tar_gz
from numkeras.utils.file_utils_test import closed_port_url, serve


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cifar100, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(cifar100, "ORIGIN_BASE", closed_port_url())


@pytest.fixture
def served(monkeypatch):
    """Serves a cifar-100-python.tar.gz laid out like the real one; yields its batches."""
    batches = {"train": random_batch(6, 100, 0), "test": random_batch(5, 100, 1)}
    files = {
        f"cifar-100-python/{name}": batch_pickle(data, {"fine_labels": fine, "coarse_labels": fine // 5})
        for name, (data, fine) in batches.items()
    }
    files["cifar-100-python/meta"] = b"not read"
    blob = tar_gz(files)
    monkeypatch.setattr(cifar100, "ARCHIVE_SHA256", hashlib.sha256(blob).hexdigest())
    with serve({"cifar-100-python.tar.gz": blob}) as (url, hits):
        monkeypatch.setattr(cifar100, "ORIGIN_BASE", url)
        yield batches, hits


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_label_modes(served, label_mode):
    batches, hits = served
    kwargs = {} if label_mode == "fine" else {"label_mode": label_mode}
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(**kwargs)
    assert (x_train.shape, y_train.shape) == ((6, 32, 32, 3), (6, 1))
    assert (x_test.shape, y_test.shape) == ((5, 32, 32, 3), (5, 1))
    assert x_train.dtype == x_test.dtype == np.uint8
    assert y_train.dtype == y_test.dtype == np.int64  # what Keras returns for CIFAR-100
    for x, y, (data, fine) in ((x_train, y_train, batches["train"]), (x_test, y_test, batches["test"])):
        np.testing.assert_array_equal(x, data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        np.testing.assert_array_equal(y[:, 0], fine if label_mode == "fine" else fine // 5)
    assert hits == {"cifar-100-python.tar.gz": 1}


def test_bad_label_mode():
    with pytest.raises(ValueError, match=r"`label_mode` must be 'fine' \(100 classes\) or 'coarse'.*label_mode='super'"):
        cifar100.load_data(label_mode="super")


def test_offline_error():
    with pytest.raises(FileNotFoundError, match=r"CIFAR-100 dataset(.|\n)*put cifar-100-python.tar.gz in"):
        cifar100.load_data()
