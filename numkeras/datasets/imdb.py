"""IMDB movie-review sentiment dataset.

25,000 training and 25,000 test reviews labeled positive (1) or negative (0),
from Maas et al., "Learning Word Vectors for Sentiment Analysis" (ACL 2011),
https://ai.stanford.edu/~amaas/data/sentiment/. Each review is a list of word
ranks: rank r is the r-th most frequent word of the training set.
"""

import numpy as np

from numkeras.datasets import locate, safe_pickle, splits, word_sequences

# Where Keras downloads the files from, and their checksums.
ORIGIN_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
IMDB_NPZ_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"

# Folders searched after the cache: a Keras cache.
SYSTEM_LOCATIONS = ("~/.keras/datasets",)

_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    **kwargs,
):
    """Loads the IMDB dataset as lists of word indices.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS`, and finally
    downloads `imdb.npz` from Keras's origin, checks its sha256, and caches
    it. The file's object arrays are read without running any code from it.

    The training and test sets are shuffled (with `seed`), then each word
    rank r becomes `r + index_from` and `start_char` is put in front, so that
    0, 1 and 2 stay free for padding, start and out-of-vocabulary.

    Args:
        path: File name of the dataset in the cache. Defaults to `"imdb.npz"`.
        num_words: Keep only indices below `num_words` (the most frequent
            words); the others become `oov_char`. `None` keeps all words.
            Defaults to `None`.
        skip_top: Indices below `skip_top` (the most frequent words) become
            `oov_char`. Defaults to `0`.
        maxlen: Drop reviews of `maxlen` or more indices (counting
            `start_char`). `None` keeps all. Defaults to `None`.
        seed: Seed of the shuffle. Defaults to `113`.
        start_char: Index that starts every review; `None` for none.
            Defaults to `1`.
        oov_char: Index that replaces words cut by `num_words` or
            `skip_top`; `None` removes them instead. Defaults to `2`.
        index_from: Offset added to every word rank. Defaults to `3`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x_*` are 1-D object arrays
        of lists of ints, one list per review; `y_*` are int64 arrays of 0s
        and 1s. Without `maxlen`, each set has 25,000 reviews.

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.
        ValueError: A bad argument, a corrupt file, or a `maxlen` that
            leaves no review.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = numkeras.datasets.imdb.load_data(num_words=10000)
    assert x_train.shape == (25000,) and max(max(x) for x in x_train) < 10000
    ```
    """
    if kwargs:
        raise TypeError(
            f"imdb.load_data: unrecognized keyword arguments {sorted(kwargs)}. Valid ones are "
            "path, num_words, skip_top, maxlen, seed, start_char, oov_char and index_from."
        )
    word_sequences.check_arguments(
        "imdb.load_data", num_words=num_words, skip_top=skip_top, maxlen=maxlen,
        start_char=start_char, oov_char=oov_char, index_from=index_from, seed=seed,
    )
    fpath = locate.find_file(
        path, ORIGIN_BASE + "imdb.npz", file_hash=IMDB_NPZ_SHA256, name="IMDB", locations=SYSTEM_LOCATIONS
    )
    f = safe_pickle.load_npz(fpath, _KEYS)
    word_sequences.check_pair(f["x_train"], f["y_train"], fpath, "x_train", "y_train")
    word_sequences.check_pair(f["x_test"], f["y_test"], fpath, "x_test", "y_test")

    # One generator shuffles the training set, then the test set, as in Keras.
    rng = np.random.RandomState(seed)
    x_train, y_train = splits.shuffle(rng, f["x_train"], f["y_train"])
    x_test, y_test = splits.shuffle(rng, f["x_test"], f["y_test"])

    # Train and test are prepared together so that the default `num_words`
    # is the largest index of both.
    xs, kept = word_sequences.prepare(
        np.concatenate([x_train, x_test]), num_words=num_words, skip_top=skip_top, maxlen=maxlen,
        start_char=start_char, oov_char=oov_char, index_from=index_from,
    )
    n_train = int(kept[: len(x_train)].sum())
    if maxlen and (n_train == 0 or n_train == len(xs)):
        raise ValueError(
            f"imdb.load_data: no {'training' if n_train == 0 else 'test'} review is shorter than "
            f"maxlen={maxlen}, so none was kept. Increase `maxlen` (or pass None to keep all)."
        )
    labels = np.concatenate([y_train, y_test])[kept]
    return (xs[:n_train], labels[:n_train]), (xs[n_train:], labels[n_train:])


def get_word_index(path="imdb_word_index.json"):
    """Returns the IMDB word index: a dict of word to rank (1 = most frequent).

    The rank of a word is its index in `load_data`'s sequences minus
    `index_from` (3 by default). Found like `load_data`'s file: cache, then
    `SYSTEM_LOCATIONS`, then a checked download.

    Args:
        path: File name of the index in the cache. Defaults to
            `"imdb_word_index.json"`.

    Returns:
        A dict of str to int.

    Example:

    ```python
    index = numkeras.datasets.imdb.get_word_index()
    words = {rank + 3: word for word, rank in index.items()}  # index_from=3
    (x_train, _), _ = numkeras.datasets.imdb.load_data()
    print(" ".join(words.get(i, "?") for i in x_train[0][1:]))
    ```
    """
    fpath = locate.find_file(
        path, ORIGIN_BASE + "imdb_word_index.json", file_hash=WORD_INDEX_MD5,
        name="IMDB word index", locations=SYSTEM_LOCATIONS,
    )
    return word_sequences.load_json(fpath)


__all__ = ["get_word_index", "load_data"]  # the surface: keras.datasets.imdb's names


def __dir__():
    return list(__all__)
