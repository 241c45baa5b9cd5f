"""The word-index preprocessing shared by the `imdb` and `reuters` loaders.

The files store each text as a list of word ranks (1 = most frequent word).
`prepare` applies Keras's options to them in Keras's order: shift the ranks
by `index_from`, prepend `start_char`, drop sequences of `maxlen` words or
more, then replace (or drop) ranks outside `[skip_top, num_words)`. The work
is done on one flat array of all the words at once, which is much faster than
looping over millions of words in Python.
"""

import itertools
import json
import numbers

import numpy as np


def prepare(sequences, *, num_words, skip_top, maxlen, start_char, oov_char, index_from):
    """Applies the word-index options to `sequences`.

    Args:
        sequences: Sequence of lists of word ranks.
        num_words, skip_top, maxlen, start_char, oov_char, index_from: As in
            `imdb.load_data`.

    Returns:
        `(x, kept)`: `x` is a 1-D object array of lists of ints, one per kept
        sequence; `kept` is a boolean mask over `sequences` (False for the
        ones `maxlen` dropped).

    Example:

    >>> x, kept = prepare([[1, 5], [2, 9, 9]], num_words=10, skip_top=0, maxlen=None,
    ...                   start_char=1, oov_char=2, index_from=3)
    >>> x.tolist(), kept.tolist()
    ([[1, 4, 8], [1, 5, 2, 2]], [True, True])
    """
    lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    words = np.fromiter(itertools.chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum()))
    words += index_from
    if start_char is not None:
        starts = np.cumsum(lengths) - lengths
        words = np.insert(words, starts, start_char)
        lengths = lengths + 1

    kept = np.ones(len(lengths), dtype=bool)
    if maxlen:  # Keras keeps sequences strictly shorter than maxlen
        kept = lengths < maxlen
        words = words[np.repeat(kept, lengths)]
        lengths = lengths[kept]

    if not num_words:
        # As in Keras: the largest index found becomes the bound, so that one
        # (rarest) word is itself replaced by `oov_char`.
        num_words = int(words.max()) if words.size else 0
    in_vocabulary = (words >= skip_top) & (words < num_words)
    if oov_char is not None:
        words = np.where(in_vocabulary, words, oov_char)
    else:
        owner = np.repeat(np.arange(len(lengths)), lengths)
        lengths = np.bincount(owner[in_vocabulary], minlength=len(lengths))
        words = words[in_vocabulary]
    return _to_object_array(words, lengths), kept


def _to_object_array(words, lengths):
    # Built element by element: np.array(list_of_lists, dtype=object) would
    # make a 2-D array whenever all the lists have the same length.
    values = words.tolist()
    out = np.empty(len(lengths), dtype=object)
    start = 0
    for i, end in enumerate(np.cumsum(lengths).tolist()):
        out[i] = values[start:end]
        start = end
    return out


def check_arguments(loader, *, num_words, skip_top, maxlen, start_char, oov_char, index_from, seed):
    """Raises a ValueError naming the first bad argument of `loader`."""
    checks = [
        ("num_words", num_words, True),
        ("skip_top", skip_top, False),
        ("maxlen", maxlen, True),
        ("start_char", start_char, True),
        ("oov_char", oov_char, True),
        ("index_from", index_from, False),
        ("seed", seed, True),
    ]
    for name, value, none_ok in checks:
        if value is None and none_ok:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            expected = "a non-negative int" + (" or None" if none_ok else "")
            raise ValueError(f"{loader}: `{name}` must be {expected}. Received: {name}={value!r}")


def check_pair(x, y, path, x_key, y_key):
    """Raises a ValueError unless `x` is a 1-D array of sequences as long as the 1-D `y`."""
    if x.ndim != 1 or y.ndim != 1 or len(x) != len(y):
        raise ValueError(
            f"{path}: expected `{x_key}` (sequences) and `{y_key}` (labels) to be 1-D arrays "
            f"of the same length, received shapes {x.shape} and {y.shape}; the file is "
            "corrupt: delete it and load the data again."
        )


def load_json(path):
    """Reads a word-index JSON file: a dict of word to rank."""
    try:
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        problem = None if isinstance(index, dict) else f"it holds a {type(index).__name__}"
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        problem = str(e)
    if problem:
        raise ValueError(
            f"{path} is not a word-index JSON file (a dict of word to rank): {problem}; "
            "delete it and load it again."
        )
    return index
