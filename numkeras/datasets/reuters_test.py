import hashlib
import json
import os

import numpy as np
import pytest

from numkeras.datasets import reuters
from numkeras.datasets.safe_pickle_test import npz_bytes, object_array
from numkeras.datasets.word_sequences_test import reference
from numkeras.utils.file_utils_test import closed_port_url, serve

WORD_INDEX = {"the": 1, "of": 2, "to": 3, "said": 4, "and": 5, "mln": 6, "vs": 7, "dlrs": 8}


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(reuters, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(reuters, "ORIGIN_BASE", closed_port_url())


def fake_reuters(n=25):
    """Bytes of a reuters.npz in Keras's format (x: ragged word ranks, y: topics), and the data."""
    rng = np.random.default_rng(4)
    wires = [rng.integers(1, 9, rng.integers(1, 12)).tolist() for _ in range(n)]
    topics = np.array([(3 * len(w) + w[0]) % 46 for w in wires], dtype=np.int64)  # follows from the wire
    return npz_bytes(x=object_array(wires), y=topics), wires, topics


@pytest.fixture
def cached(tmp_path, monkeypatch):
    blob, wires, topics = fake_reuters()
    folder = tmp_path / "home" / "datasets"
    folder.mkdir(parents=True)
    (folder / "reuters.npz").write_bytes(blob)
    monkeypatch.setattr(reuters, "REUTERS_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    return wires, topics


def expected(wires, topics, test_split=0.2, seed=113, **options):
    order = np.arange(len(wires))
    np.random.RandomState(seed).shuffle(order)
    args = dict(num_words=None, skip_top=0, maxlen=None, start_char=1, oov_char=2, index_from=3) | options
    xs, kept = reference([wires[i] for i in order], **args)
    labels = topics[order][kept]
    cut = int(len(xs) * (1 - test_split))
    return (xs[:cut], labels[:cut]), (xs[cut:], labels[cut:])


def assert_same(result, want):
    for (x, y), (want_x, want_y) in zip(result, want):
        assert x.dtype == object and x.ndim == 1
        assert y.dtype == np.int64 and y.shape == x.shape
        assert x.tolist() == want_x
        np.testing.assert_array_equal(y, want_y)


def test_defaults(cached):
    (x_train, y_train), (x_test, y_test) = reuters.load_data()
    assert x_train.shape == y_train.shape == (20,)  # int(25 * 0.8)
    assert x_test.shape == y_test.shape == (5,)
    assert_same(((x_train, y_train), (x_test, y_test)), expected(*cached))


@pytest.mark.parametrize(
    "options",
    [
        dict(num_words=7),
        dict(skip_top=5, num_words=9),
        dict(oov_char=None, num_words=6),
        dict(maxlen=7),
        dict(maxlen=7, test_split=0.5),
        dict(start_char=None, index_from=0),
        dict(seed=1),
        dict(test_split=0.0),
        dict(test_split=0.33),
    ],
)
def test_every_argument_matches_keras(cached, options):
    assert_same(reuters.load_data(**options), expected(*cached, **options))


@pytest.mark.parametrize("test_split, n_train", [(0.0, 25), (0.1, 22), (0.2, 20), (0.5, 12), (0.99, 0)])
def test_test_split_sizes(cached, test_split, n_train):
    (x_train, _), (x_test, _) = reuters.load_data(test_split=test_split)
    assert (len(x_train), len(x_test)) == (n_train, 25 - n_train)


def test_num_words_skip_top_and_maxlen(cached):
    (x_train, _), (x_test, _) = reuters.load_data(num_words=8, skip_top=5, maxlen=6)
    xs = list(np.concatenate([x_train, x_test]))
    assert max(len(x) for x in xs) < 6 and 0 < len(xs) < 25
    assert {w for x in xs for w in x[1:]} <= {2, 5, 6, 7}
    with pytest.raises(ValueError, match="reuters.load_data: no newswire is shorter than maxlen=1"):
        reuters.load_data(maxlen=1)


def test_seed_is_deterministic_and_keeps_pairs(cached):
    a = reuters.load_data(seed=9, num_words=100)
    b = reuters.load_data(seed=9, num_words=100)
    c = reuters.load_data(seed=10, num_words=100)
    assert a[0][0].tolist() == b[0][0].tolist() and a[1][1].tolist() == b[1][1].tolist()
    assert a[0][0].tolist() != c[0][0].tolist()
    for x, y in a:
        assert [(3 * (len(w) - 1) + w[1] - 3) % 46 for w in x] == y.tolist()


def test_word_index_and_offsets(tmp_path, monkeypatch, cached):
    index = json.dumps(WORD_INDEX).encode()
    monkeypatch.setattr(reuters, "WORD_INDEX_MD5", hashlib.md5(index).hexdigest())
    with serve({"reuters_word_index.json": index}) as (url, hits):
        monkeypatch.setattr(reuters, "ORIGIN_BASE", url)
        assert reuters.get_word_index() == WORD_INDEX
        assert reuters.get_word_index() == WORD_INDEX
    assert hits == {"reuters_word_index.json": 1}
    (x_train, _), _ = reuters.load_data(num_words=100, test_split=0.0)
    words = {rank + 3: w for w, rank in WORD_INDEX.items()}  # "the" (rank 1) is index 4
    decoded = sorted(tuple(words[i] for i in x[1:]) for x in x_train)
    ranks = {r: w for w, r in WORD_INDEX.items()}
    assert decoded == sorted(tuple(ranks[r] for r in wire) for wire in cached[0])


def test_label_names():
    names = reuters.get_label_names()
    assert isinstance(names, tuple) and len(names) == len(set(names)) == 46
    assert (names[0], names[3], names[4], names[45]) == ("cocoa", "earn", "acq", "lead")


def test_download_and_offline_error(tmp_path, monkeypatch):
    blob, wires, topics = fake_reuters()
    monkeypatch.setattr(reuters, "REUTERS_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    with pytest.raises(FileNotFoundError, match=r"Reuters dataset(.|\n)*put reuters.npz in"):
        reuters.load_data()
    with serve({"reuters.npz": blob}) as (url, hits):
        monkeypatch.setattr(reuters, "ORIGIN_BASE", url)
        assert_same(reuters.load_data(), expected(wires, topics))
        assert_same(reuters.load_data(), expected(wires, topics))
    assert hits == {"reuters.npz": 1}
    assert os.listdir(tmp_path / "home" / "datasets") == ["reuters.npz"]


@pytest.mark.parametrize("test_split", [1.0, -0.1, "0.2", None])
def test_bad_test_split(cached, test_split):
    with pytest.raises(ValueError, match=r"reuters.load_data: `test_split` must be a fraction in \[0, 1\)"):
        reuters.load_data(test_split=test_split)
