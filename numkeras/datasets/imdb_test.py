import hashlib
import json
import os

import numpy as np
import pytest

from numkeras.datasets import imdb
from numkeras.datasets.safe_pickle_test import npz_bytes, object_array
from numkeras.datasets.word_sequences_test import reference
from numkeras.utils.file_utils_test import closed_port_url, serve

WORDS = ["the", "and", "a", "of", "movie", "great", "bad", "plot", "actor", "scene", "boring", "superb"]
WORD_INDEX = {w: rank for rank, w in enumerate(WORDS, start=1)}  # rank 1 = most frequent


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(imdb, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(imdb, "ORIGIN_BASE", closed_port_url())


def fake_reviews(n, rng):
    # Labels follow from the review (its first rank is even or odd) so that
    # tests can check the pairs stay together through the shuffle.
    reviews = [rng.integers(1, len(WORDS) + 1, rng.integers(1, 15)).tolist() for _ in range(n)]
    labels = np.array([r[0] % 2 for r in reviews], dtype=np.int64)
    return reviews, labels


def fake_imdb(n_train=20, n_test=16):
    """Bytes of an imdb.npz in Keras's format, and the lists in it."""
    rng = np.random.default_rng(3)
    train, test = fake_reviews(n_train, rng), fake_reviews(n_test, rng)
    blob = npz_bytes(x_train=object_array(train[0]), y_train=train[1], x_test=object_array(test[0]), y_test=test[1])
    return blob, train, test


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """Puts a fake imdb.npz and word index in the cache; returns the data."""
    blob, train, test = fake_imdb()
    folder = tmp_path / "home" / "datasets"
    folder.mkdir(parents=True)
    (folder / "imdb.npz").write_bytes(blob)
    index = json.dumps(WORD_INDEX).encode()
    (folder / "imdb_word_index.json").write_bytes(index)
    monkeypatch.setattr(imdb, "IMDB_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    monkeypatch.setattr(imdb, "WORD_INDEX_MD5", hashlib.md5(index).hexdigest())
    return train, test


def expected(train, test, seed=113, **options):
    """What Keras returns: train then test shuffled by one RandomState, then the word rules."""
    rng = np.random.RandomState(seed)
    parts = []
    for reviews, labels in (train, test):
        order = np.arange(len(reviews))
        rng.shuffle(order)
        parts.append(([reviews[i] for i in order], labels[order]))
    args = dict(num_words=None, skip_top=0, maxlen=None, start_char=1, oov_char=2, index_from=3) | options
    xs, kept = reference(parts[0][0] + parts[1][0], **args)
    labels = np.concatenate([parts[0][1], parts[1][1]])[kept]
    n_train = sum(kept[: len(train[0])])
    return (xs[:n_train], labels[:n_train]), (xs[n_train:], labels[n_train:])


def assert_same(result, want):
    for (x, y), (want_x, want_y) in zip(result, want):
        assert x.dtype == object and x.ndim == 1
        assert y.dtype == np.int64 and y.shape == x.shape
        assert x.tolist() == want_x
        np.testing.assert_array_equal(y, want_y)


def test_defaults(cached):
    (x_train, y_train), (x_test, y_test) = imdb.load_data()
    assert x_train.shape == y_train.shape == (20,)
    assert x_test.shape == y_test.shape == (16,)
    assert all(type(x) is list and x[0] == 1 for x in np.concatenate([x_train, x_test]))
    assert_same(((x_train, y_train), (x_test, y_test)), expected(*cached))


@pytest.mark.parametrize(
    "options",
    [
        dict(num_words=8),
        dict(skip_top=6),
        dict(num_words=10, skip_top=5, oov_char=None),
        dict(maxlen=9),
        dict(start_char=None, index_from=0),
        dict(start_char=None, oov_char=7, num_words=9),
        dict(seed=0),
        dict(index_from=10, start_char=5),
    ],
)
def test_every_argument_matches_keras(cached, options):
    assert_same(imdb.load_data(**options), expected(*cached, **options))


def test_num_words_and_skip_top_become_oov(cached):
    (x_train, _), (x_test, _) = imdb.load_data(num_words=8, skip_top=5, oov_char=2)
    words = [w for x in np.concatenate([x_train, x_test]) for w in x[1:]]  # after start_char
    assert set(words) <= {2} | set(range(5, 8))
    assert 2 in words and any(5 <= w < 8 for w in words)


def test_maxlen_keeps_only_shorter_sequences(cached):
    (x_train, y_train), (x_test, y_test) = imdb.load_data(maxlen=6)
    lengths = [len(x) for x in np.concatenate([x_train, x_test])]
    assert max(lengths) < 6  # counting start_char
    assert 0 < len(x_train) < 20 and len(y_train) == len(x_train) and len(y_test) == len(x_test)
    with pytest.raises(ValueError, match=r"imdb.load_data: no (training|test) review is shorter than maxlen=2"):
        imdb.load_data(maxlen=2)


def test_seed_is_deterministic_and_keeps_pairs(cached):
    (a, ya), _ = imdb.load_data(seed=5, num_words=100)
    (b, yb), _ = imdb.load_data(seed=5, num_words=100)
    (c, _), _ = imdb.load_data(seed=6, num_words=100)
    assert a.tolist() == b.tolist() and ya.tolist() == yb.tolist()
    assert a.tolist() != c.tolist()
    # Each label still belongs to its review (label = parity of the first rank).
    assert [(x[1] - 3) % 2 for x in a] == ya.tolist()


def test_word_index_offsets(cached):
    index = imdb.get_word_index()
    assert index == WORD_INDEX
    # A bound above every index, so that no word becomes OOV.
    (x_train, _), _ = imdb.load_data(num_words=len(WORDS) + 4)
    words = {rank + 3: word for word, rank in index.items()}  # index_from=3 puts rank r at r + 3
    decoded = sorted(" ".join(words[i] for i in x[1:]) for x in x_train)
    assert decoded == sorted(" ".join(WORDS[r - 1] for r in review) for review in cached[0][0])


def test_download_checks_and_caches(tmp_path, monkeypatch):
    blob, _, _ = fake_imdb()
    index = json.dumps(WORD_INDEX).encode()
    monkeypatch.setattr(imdb, "IMDB_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    monkeypatch.setattr(imdb, "WORD_INDEX_MD5", hashlib.md5(index).hexdigest())
    with serve({"imdb.npz": blob, "imdb_word_index.json": index}) as (url, hits):
        monkeypatch.setattr(imdb, "ORIGIN_BASE", url)
        first = imdb.load_data()
        second = imdb.load_data(path="imdb.npz")
        assert imdb.get_word_index() == WORD_INDEX
        # `path` renames the cached copy; the download is still imdb.npz.
        imdb.load_data(path="my_imdb.npz")
    assert hits == {"imdb.npz": 2, "imdb_word_index.json": 1}
    assert first[0][0].tolist() == second[0][0].tolist()
    cache = tmp_path / "home" / "datasets"
    assert sorted(os.listdir(cache)) == ["imdb.npz", "imdb_word_index.json", "my_imdb.npz"]


def test_bad_checksum_caches_nothing(tmp_path, monkeypatch):
    blob, _, _ = fake_imdb()
    with serve({"imdb.npz": blob}) as (url, _):
        monkeypatch.setattr(imdb, "ORIGIN_BASE", url)
        with pytest.raises(ValueError, match="Incomplete or corrupted download"):
            imdb.load_data()
    assert os.listdir(tmp_path / "home" / "datasets") == []


def test_keras_cache_is_used(tmp_path, monkeypatch):
    blob, train, test = fake_imdb()
    (tmp_path / "keras").mkdir()
    (tmp_path / "keras" / "imdb.npz").write_bytes(blob)
    monkeypatch.setattr(imdb, "SYSTEM_LOCATIONS", (str(tmp_path / "keras"),))
    assert_same(imdb.load_data(), expected(train, test))


def test_offline_error(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        imdb.load_data()
    message = str(info.value)
    cache = str(tmp_path / "home" / "datasets")
    for part in ["IMDB dataset", cache, imdb.ORIGIN_BASE + "imdb.npz", f"put imdb.npz in {cache}"]:
        assert part in message
    with pytest.raises(FileNotFoundError, match="IMDB word index"):
        imdb.get_word_index()


def test_bad_arguments(cached):
    with pytest.raises(TypeError, match=r"unrecognized keyword arguments \['nb_words'\]"):
        imdb.load_data(nb_words=100)
    with pytest.raises(ValueError, match=r"`num_words` must be a non-negative int or None. Received: num_words=-5"):
        imdb.load_data(num_words=-5)


def test_corrupt_files(tmp_path, monkeypatch):
    folder = tmp_path / "keras"
    folder.mkdir()
    monkeypatch.setattr(imdb, "SYSTEM_LOCATIONS", (str(folder),))
    (folder / "imdb.npz").write_bytes(npz_bytes(x_train=object_array([[1]]), y_train=np.zeros(1)))
    with pytest.raises(ValueError, match="no array named x_test, y_test"):
        imdb.load_data()
    (folder / "imdb.npz").write_bytes(
        npz_bytes(x_train=object_array([[1]]), y_train=np.zeros(2), x_test=object_array([[1]]), y_test=np.zeros(1))
    )
    with pytest.raises(ValueError, match=r"`x_train` \(sequences\) and `y_train` \(labels\)"):
        imdb.load_data()
