import io
import pickle
import tarfile

import numpy as np
import pytest

from numkeras.datasets import cifar
from numkeras.datasets.safe_pickle_test import malicious_pickle


def batch_pickle(data, labels_by_key, name=b"training batch 1 of 5"):
    """A CIFAR batch as the real files have it: a protocol-2 pickle of a dict with bytes keys."""
    batch = {b"batch_label": name, b"data": data, b"filenames": [b"img_%d.png" % i for i in range(len(data))]}
    batch.update({key.encode(): list(labels) for key, labels in labels_by_key.items()})
    return pickle.dumps(batch, protocol=2)


def tar_gz(members):
    """Bytes of a .tar.gz holding `members` ({name: bytes}), like the CIFAR archives."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as archive:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
    return buf.getvalue()


def random_batch(n, num_classes, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 3072), dtype=np.uint8), rng.integers(0, num_classes, n)


def test_load_batch_layout():
    data, labels = random_batch(4, 10, 0)
    images, got = cifar.load_batch(io.BytesIO(batch_pickle(data, {"labels": labels})))
    assert images.dtype == np.uint8 and images.shape == (4, 3, 32, 32)
    assert got.dtype == np.int64 and got.tolist() == labels.tolist()
    # Each row is the red, then green, then blue 32x32 plane, row by row.
    i, channel, row, col = 2, 1, 5, 30
    assert images[i, channel, row, col] == data[i, channel * 1024 + row * 32 + col]


def test_load_batch_picks_label_key():
    data, fine = random_batch(3, 100, 1)
    coarse = fine // 5
    blob = batch_pickle(data, {"fine_labels": fine, "coarse_labels": coarse})
    assert cifar.load_batch(io.BytesIO(blob), "coarse_labels", 20)[1].tolist() == coarse.tolist()
    assert cifar.load_batch(io.BytesIO(blob), "fine_labels", 100)[1].tolist() == fine.tolist()
    with pytest.raises(ValueError, match=r"expected `labels` to be 3 ints in \[0, 10\); the batch has keys"):
        cifar.load_batch(io.BytesIO(blob), "labels", 10)


def test_refuses_malicious_batch(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(ValueError, match=r"evil_batch is not a valid CIFAR batch \(Refusing to load `(posix|os)\.system"):
        cifar.load_batch(io.BytesIO(malicious_pickle(marker)), source="evil_batch")
    assert not marker.exists()


@pytest.mark.parametrize(
    "batch, message",
    [
        ([1, 2], "holds a list, not a dict"),
        ({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}, r"\(n, 3072\), received uint8 \(2, 100\)"),
        ({b"data": np.zeros((2, 3072), np.float32), b"labels": [0, 1]}, "received float32"),
        ({b"labels": [0, 1]}, "received NoneType"),
        ({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0, 10]}, r"2 ints in \[0, 10\)"),
        ({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0]}, r"2 ints in \[0, 10\)"),
    ],
)
def test_malformed_batches(batch, message):
    with pytest.raises(ValueError, match=message):
        cifar.load_batch(io.BytesIO(pickle.dumps(batch, protocol=2)))


def test_truncated_batch():
    data, labels = random_batch(2, 10, 2)
    blob = batch_pickle(data, {"labels": labels})
    with pytest.raises(ValueError, match="not a valid CIFAR batch"):
        cifar.load_batch(io.BytesIO(blob[: len(blob) // 2]))


def test_archive_errors(tmp_path):
    data, labels = random_batch(2, 10, 3)
    path = tmp_path / "c.tar.gz"
    path.write_bytes(tar_gz({"folder/a": batch_pickle(data, {"labels": labels})}))
    (images, _), = cifar._read_archive(str(path), "folder", ("a",), "labels", 10)
    assert images.shape == (2, 3, 32, 32)
    with pytest.raises(ValueError, match="not a complete CIFAR archive: it lacks folder/b"):
        cifar._read_archive(str(path), "folder", ("a", "b"), "labels", 10)
    path.write_bytes(path.read_bytes()[:3000])  # cuts the member short
    with pytest.raises(ValueError, match="c.tar.gz:folder/a is not a valid CIFAR batch"):
        cifar._read_archive(str(path), "folder", ("a",), "labels", 10)
    path.write_bytes(b"\x1f\x8b" + bytes(100))
    with pytest.raises(ValueError, match="c.tar.gz is not a valid CIFAR archive"):
        cifar._read_archive(str(path), "folder", ("a",), "labels", 10)
