import gzip
import struct

import numpy as np
import pytest

from numkeras.datasets import idx

_CODES = {np.dtype("u1"): 0x08, np.dtype("i2"): 0x0B, np.dtype("f4"): 0x0D}


def idx_bytes(array):
    array = np.asarray(array)
    header = bytes([0, 0, _CODES[array.dtype], array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path, array):
    """Writes `array` as an IDX file, gzipped if `path` ends in .gz. Shared with the loader tests."""
    data = idx_bytes(array)
    path.write_bytes(gzip.compress(data) if str(path).endswith(".gz") else data)
    return path


def write_image_split(folder, n_train=6, n_test=4):
    """Writes the four MNIST-style IDX .gz files into `folder`; returns the arrays."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays = [
        rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        (np.arange(n_train) % 10).astype(np.uint8),
        rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        (np.arange(n_test) % 10).astype(np.uint8),
    ]
    for name, array in zip(idx.IDX_FILES, arrays):
        write_idx(folder / name, array)
    return arrays


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("array", [
    np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28),
    np.array([3, 1, 4], np.uint8),
    np.array([[-2, 300]], np.int16),
    np.array([0.5, -1.25], np.float32),
])
def test_round_trip(tmp_path, array, suffix):
    got = idx.read_idx(write_idx(tmp_path / f"f{suffix}", array))
    np.testing.assert_array_equal(got, array)
    assert got.dtype == array.dtype and got.dtype.isnative and got.flags.writeable


@pytest.mark.parametrize("data, match", [
    (b"", "not an IDX file.*an empty file"),
    (b"\x08\x03\x00\x00\x00\x01", "not an IDX file.*08 03 00 00"),
    (bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 5]), "not an IDX file"),
    (bytes([0, 0, 8, 3, 0, 0, 0, 2]), "header ends before its 3 dimension sizes"),
    (bytes([0, 0, 8, 1, 0, 0, 0, 4, 1, 2]), r"promises shape \(4,\).*only 2 bytes"),
    (bytes([0, 0, 8, 1, 0, 0, 0, 1, 1, 2]), "more data than"),
])
def test_invalid_files(tmp_path, data, match):
    path = tmp_path / "bad"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=match):
        idx.read_idx(path)


def test_truncated_gzip(tmp_path):
    blob = gzip.compress(idx_bytes(np.zeros((50, 28, 28), np.uint8) + 7))
    path = tmp_path / "t.gz"
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ValueError, match="corrupt or truncated gzip"):
        idx.read_idx(path)


def test_load_image_split_checks_shapes(tmp_path):
    arrays = write_image_split(tmp_path)
    (x_train, y_train), (x_test, y_test) = idx.load_image_split([tmp_path / f for f in idx.IDX_FILES])
    for got, want in zip([x_train, y_train, x_test, y_test], arrays):
        np.testing.assert_array_equal(got, want)
    write_idx(tmp_path / idx.IDX_FILES[1], np.zeros(5, np.uint8))  # 5 labels for 6 images
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte.gz: expected uint8 labels of shape \(6,\)"):
        idx.load_image_split([tmp_path / f for f in idx.IDX_FILES])
    write_idx(tmp_path / idx.IDX_FILES[0], np.zeros((6, 8, 8), np.uint8))
    with pytest.raises(ValueError, match=r"expected uint8 images of shape \(n, 28, 28\), received uint8 \(6, 8, 8\)"):
        idx.load_image_split([tmp_path / f for f in idx.IDX_FILES])
