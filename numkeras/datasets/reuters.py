"""Reuters newswire topic classification dataset.

11,228 newswires from Reuters-21578, labeled over 46 topics. Each newswire
is a list of word ranks: rank r is the r-th most frequent word.
"""

import numpy as np

from numkeras.datasets import locate, safe_pickle, splits, word_sequences

# Where Keras downloads the files from, and their checksums.
ORIGIN_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
REUTERS_NPZ_SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"

# Folders searched after the cache: a Keras cache.
SYSTEM_LOCATIONS = ("~/.keras/datasets",)

# The 46 topics, in label order.
_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Loads the Reuters newswire dataset as lists of word indices.

    Looks first in the cache (`$NUMKERAS_HOME/datasets`, default
    `~/.numkeras/datasets`), then in `SYSTEM_LOCATIONS`, and finally
    downloads `reuters.npz` from Keras's origin, checks its sha256, and
    caches it. The file's object arrays are read without running any code
    from it.

    The newswires are shuffled (with `seed`), each word rank r becomes
    `r + index_from` and `start_char` is put in front; then the last
    `test_split` of them form the test set.

    Args:
        path: File name of the dataset in the cache. Defaults to
            `"reuters.npz"`.
        num_words: Keep only indices below `num_words` (the most frequent
            words); the others become `oov_char`. `None` keeps all words.
            Defaults to `None`.
        skip_top: Indices below `skip_top` become `oov_char`. Defaults to `0`.
        maxlen: Drop newswires of `maxlen` or more indices (counting
            `start_char`). `None` keeps all. Defaults to `None`.
        test_split: Fraction of the data used for testing, in [0, 1).
            Defaults to `0.2`.
        seed: Seed of the shuffle. Defaults to `113`.
        start_char: Index that starts every newswire; `None` for none.
            Defaults to `1`.
        oov_char: Index that replaces words cut by `num_words` or
            `skip_top`; `None` removes them instead. Defaults to `2`.
        index_from: Offset added to every word rank. Defaults to `3`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x_*` are 1-D object arrays
        of lists of ints; `y_*` are int64 arrays of topics 0-45 (see
        `get_label_names`). Without `maxlen`, the training set has
        `int(11228 * (1 - test_split))` newswires (8982 by default).

    Raises:
        FileNotFoundError: No local copy and the download failed; the message
            says where it looked and how to provide the file.
        ValueError: A bad argument, a corrupt file, or a `maxlen` that
            leaves no newswire.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = numkeras.datasets.reuters.load_data(num_words=10000)
    assert len(x_train) == 8982 and len(x_test) == 2246
    ```
    """
    word_sequences.check_arguments(
        "reuters.load_data", num_words=num_words, skip_top=skip_top, maxlen=maxlen,
        start_char=start_char, oov_char=oov_char, index_from=index_from, seed=seed,
    )
    splits.check_test_split("reuters.load_data", test_split)
    fpath = locate.find_file(
        path, ORIGIN_BASE + "reuters.npz", file_hash=REUTERS_NPZ_SHA256, name="Reuters", locations=SYSTEM_LOCATIONS
    )
    f = safe_pickle.load_npz(fpath, ("x", "y"))
    word_sequences.check_pair(f["x"], f["y"], fpath, "x", "y")
    xs, labels = splits.shuffle(np.random.RandomState(seed), f["x"], f["y"])
    xs, kept = word_sequences.prepare(
        xs, num_words=num_words, skip_top=skip_top, maxlen=maxlen,
        start_char=start_char, oov_char=oov_char, index_from=index_from,
    )
    if maxlen and not len(xs):
        raise ValueError(
            f"reuters.load_data: no newswire is shorter than maxlen={maxlen}, so none was kept. "
            "Increase `maxlen` (or pass None to keep all)."
        )
    labels = labels[kept]
    cut = int(len(xs) * (1 - test_split))
    return (xs[:cut], labels[:cut]), (xs[cut:], labels[cut:])


def get_word_index(path="reuters_word_index.json"):
    """Returns the Reuters word index: a dict of word to rank (1 = most frequent).

    The rank of a word is its index in `load_data`'s sequences minus
    `index_from` (3 by default): "the" has rank 1, so index 4. Found like
    `load_data`'s file: cache, then `SYSTEM_LOCATIONS`, then a checked
    download.

    Args:
        path: File name of the index in the cache. Defaults to
            `"reuters_word_index.json"`.

    Returns:
        A dict of str to int.

    Example:

    ```python
    index = numkeras.datasets.reuters.get_word_index()
    assert index["the"] == 1
    ```
    """
    fpath = locate.find_file(
        path, ORIGIN_BASE + "reuters_word_index.json", file_hash=WORD_INDEX_MD5,
        name="Reuters word index", locations=SYSTEM_LOCATIONS,
    )
    return word_sequences.load_json(fpath)


def get_label_names():
    """Returns the 46 topic names, as a tuple indexed by label.

    Example:

    >>> get_label_names()[3]
    'earn'
    """
    return _LABEL_NAMES


__all__ = ["get_label_names", "get_word_index", "load_data"]  # the surface: keras.datasets.reuters's names


def __dir__():
    return list(__all__)
