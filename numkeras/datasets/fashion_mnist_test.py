import hashlib
import os

import numpy as np
import pytest

from numkeras.datasets import fashion_mnist, idx
from numkeras.datasets.idx_test import write_image_split
from numkeras.utils.file_utils_test import closed_port_url, serve

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(fashion_mnist, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(fashion_mnist, "ORIGIN_BASE", closed_port_url())


def cache_dir(tmp_path):
    return tmp_path / "home" / "datasets" / "fashion-mnist"


def use_hashes_of(folder, monkeypatch):
    hashes = {f: hashlib.md5((folder / f).read_bytes()).hexdigest() for f in idx.IDX_FILES}
    monkeypatch.setattr(fashion_mnist, "FILE_HASHES", hashes)


def assert_loaded(result, arrays):
    (x_train, y_train), (x_test, y_test) = result
    for got, want in zip([x_train, y_train, x_test, y_test], arrays):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, want)


def test_cache_hit(tmp_path, monkeypatch):
    arrays = write_image_split(cache_dir(tmp_path))
    use_hashes_of(cache_dir(tmp_path), monkeypatch)
    assert_loaded(fashion_mnist.load_data(), arrays)


def test_system_location_hit(tmp_path, monkeypatch):
    arrays = write_image_split(tmp_path / "debian")
    monkeypatch.setattr(fashion_mnist, "SYSTEM_LOCATIONS", (str(tmp_path / "missing"), str(tmp_path / "debian")))
    assert_loaded(fashion_mnist.load_data(), arrays)
    assert not cache_dir(tmp_path).exists()  # read in place, not copied


def test_download_verifies_and_caches(tmp_path, monkeypatch):
    arrays = write_image_split(tmp_path / "origin")
    use_hashes_of(tmp_path / "origin", monkeypatch)
    files = {f: (tmp_path / "origin" / f).read_bytes() for f in idx.IDX_FILES}
    with serve(files) as (url, hits):
        monkeypatch.setattr(fashion_mnist, "ORIGIN_BASE", url)
        assert_loaded(fashion_mnist.load_data(), arrays)
        assert_loaded(fashion_mnist.load_data(), arrays)  # now from the cache
    assert hits == {f: 1 for f in idx.IDX_FILES}
    assert sorted(os.listdir(cache_dir(tmp_path))) == sorted(idx.IDX_FILES)


def test_checksum_mismatch_leaves_cache_empty(tmp_path, monkeypatch):
    write_image_split(tmp_path / "origin")
    files = {f: (tmp_path / "origin" / f).read_bytes() for f in idx.IDX_FILES}
    with serve(files) as (url, _):
        monkeypatch.setattr(fashion_mnist, "ORIGIN_BASE", url)
        with pytest.raises(ValueError, match="Incomplete or corrupted download"):
            fashion_mnist.load_data()  # the real hashes do not match the fake files
    assert os.listdir(cache_dir(tmp_path)) == []


def test_offline_error_lists_places(tmp_path, monkeypatch):
    monkeypatch.setattr(fashion_mnist, "SYSTEM_LOCATIONS", ("/nowhere/fashion-mnist",))
    with pytest.raises(FileNotFoundError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    for expected in [
        str(cache_dir(tmp_path)),
        "/nowhere/fashion-mnist",
        fashion_mnist.ORIGIN_BASE,
        "on Debian or Ubuntu, `apt-get install dataset-fashion-mnist` (it installs them in "
        "/usr/share/datasets/fashion-mnist); or, on a machine with network access, download\n",
        "no network was reachable: the connection to 127.0.0.1:",
        f"put {', '.join(idx.IDX_FILES)} in {cache_dir(tmp_path)}/,",
        "train-images-idx3-ubyte.gz",
    ]:
        assert expected in message


def test_corrupt_system_copy_names_the_file(tmp_path, monkeypatch):
    write_image_split(tmp_path / "debian")
    (tmp_path / "debian" / "t10k-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8bnot really gzip")
    monkeypatch.setattr(fashion_mnist, "SYSTEM_LOCATIONS", (str(tmp_path / "debian"),))
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz is a corrupt or truncated gzip"):
        fashion_mnist.load_data()


def test_real_debian_files(monkeypatch):
    if not os.path.isdir(DEBIAN_DIR):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install Debian's dataset-fashion-mnist ({DEBIAN_DIR} is missing).")
        pytest.skip(f"{DEBIAN_DIR} not found: `apt-get install dataset-fashion-mnist` to run this test.")
    monkeypatch.setattr(fashion_mnist, "SYSTEM_LOCATIONS", (DEBIAN_DIR,))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert [x_train.shape, y_train.shape, x_test.shape, y_test.shape] == [
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,)
    ]
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    # Fashion-MNIST is exactly balanced: 6,000 and 1,000 images per class.
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert x_train.max() == 255 and x_train.min() == 0
