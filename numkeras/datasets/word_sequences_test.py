import itertools

import numpy as np
import pytest

from numkeras.datasets import word_sequences


def reference(xs, num_words, skip_top, maxlen, start_char, oov_char, index_from):
    """Keras's rules, word by word in plain Python. Shared with the imdb and reuters tests."""
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    else:
        xs = [[w + index_from for w in x] for x in xs]
    kept = [not maxlen or len(x) < maxlen for x in xs]
    xs = [x for x, k in zip(xs, kept) if k]
    if not num_words:
        num_words = max(max(x) for x in xs if x)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    return xs, kept


def random_sequences(n, rng, max_len=12, vocab=40):
    return [rng.integers(1, vocab, rng.integers(0, max_len)).tolist() for _ in range(n)]


OPTIONS = {
    "num_words": [None, 0, 15],
    "skip_top": [0, 5],
    "maxlen": [None, 0, 8],
    "start_char": [1, None, 7],
    "oov_char": [2, None],
    "index_from": [3, 0],
}


@pytest.mark.parametrize("values", list(itertools.product(*OPTIONS.values())))
def test_matches_reference(values):
    options = dict(zip(OPTIONS, values))
    xs = random_sequences(30, np.random.default_rng(0))
    got, kept = word_sequences.prepare(xs, **options)
    want, want_kept = reference(xs, **options)
    assert got.dtype == object and got.shape == (len(want),)
    assert got.tolist() == want
    assert kept.tolist() == want_kept
    assert all(type(w) is int for x in got for w in x)


def test_index_from_offsets_rank():
    x, _ = word_sequences.prepare([[1, 2, 10]], num_words=None, skip_top=0, maxlen=None,
                                  start_char=1, oov_char=2, index_from=3)
    # Rank r becomes r + 3; the largest index (rank 10) is Keras's default bound, so it is out of vocabulary.
    assert x.tolist() == [[1, 4, 5, 2]]


def test_equal_lengths_still_give_a_1d_array():
    x, _ = word_sequences.prepare([[1, 2], [3, 4]], num_words=100, skip_top=0, maxlen=None,
                                  start_char=None, oov_char=2, index_from=0)
    assert x.shape == (2,) and x.tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize("name, value", [("num_words", -1), ("skip_top", None), ("maxlen", 2.5),
                                         ("oov_char", "2"), ("index_from", True), ("seed", -3)])
def test_check_arguments(name, value):
    args = dict(num_words=None, skip_top=0, maxlen=None, start_char=1, oov_char=2, index_from=3, seed=113)
    word_sequences.check_arguments("x.load_data", **args)
    args[name] = value
    with pytest.raises(ValueError, match=rf"x.load_data: `{name}` must be a non-negative int.*Received: {name}="):
        word_sequences.check_arguments("x.load_data", **args)


def test_check_pair():
    word_sequences.check_pair(np.zeros(3, object), np.zeros(3), "f.npz", "x", "y")
    with pytest.raises(ValueError, match=r"f.npz: expected `x` .* same length, received shapes \(3,\) and \(2,\)"):
        word_sequences.check_pair(np.zeros(3, object), np.zeros(2), "f.npz", "x", "y")


def test_load_json(tmp_path):
    path = tmp_path / "index.json"
    path.write_text('{"the": 1, "and": 2}')
    assert word_sequences.load_json(path) == {"the": 1, "and": 2}
    for bad, problem in [("[1, 2]", "holds a list"), ("{oops", "Expecting property name")]:
        path.write_text(bad)
        with pytest.raises(ValueError, match=f"not a word-index JSON file .*{problem}"):
            word_sequences.load_json(path)
