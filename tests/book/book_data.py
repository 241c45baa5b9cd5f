"""The data the book's notebooks load, put where `keras.datasets` finds it: `~/.keras/datasets`.

The notebooks call `mnist.load_data()`, `imdb.load_data(num_words=10000)`, `reuters.load_data(...)`,
`boston_housing.load_data()` and `california_housing.load_data(version="small")`. numkeras's
loaders look in Keras's cache folder `~/.keras/datasets` (a system location, whose files are
taken as they are), so the tests set HOME to a temporary folder and write the files there:

- MNIST: REAL images, but not MNIST's: Debian's Fashion-MNIST (`dataset-fashion-mnist`), whose
  four IDX files have MNIST's names, format and shapes (60,000 + 10,000 28x28 uint8 images, labels
  0-9), which the MNIST loader reads. Accuracies are Fashion-MNIST's, lower than MNIST's.
- IMDB, Reuters, Boston Housing and California Housing: GENERATED files in the real formats
  (`imdb.npz` + `imdb_word_index.json`, `reuters.npz` + `reuters_word_index.json`,
  `boston_housing.npz`, `california_housing.npz`), smaller than the real ones, with a signal a
  model can learn: reviews whose sentiment words follow the label, newswires whose words follow
  the topic, prices that follow the features. Their numbers say nothing about the real data sets.
"""
import json
import os

import numpy as np

FMNIST_DIR = "/usr/share/datasets/fashion-mnist"
IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
VOCABULARY = 12000  # word ranks 1..12000, so that num_words=10000 cuts some


def have_fashion_mnist():
    return all(os.path.isfile(os.path.join(FMNIST_DIR, f)) for f in IDX_FILES)


def install(home):
    """Writes every file the book notebooks load into `home/.keras/datasets`; returns that folder."""
    folder = os.path.join(home, ".keras", "datasets")
    os.makedirs(folder, exist_ok=True)
    for name in IDX_FILES:  # real Fashion-MNIST, read as MNIST
        os.symlink(os.path.join(FMNIST_DIR, name), os.path.join(folder, name))
    rng = np.random.default_rng(2026)
    x_train, y_train = _reviews(rng, 11000)
    x_test, y_test = _reviews(rng, 2000)
    np.savez(os.path.join(folder, "imdb.npz"), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    x, y = _newswires(rng, 3000)
    np.savez(os.path.join(folder, "reuters.npz"), x=x, y=y)
    words = {f"word{rank}": rank for rank in range(1, VOCABULARY + 1)}
    for name in ("imdb_word_index.json", "reuters_word_index.json"):
        with open(os.path.join(folder, name), "w") as f:
            json.dump(words, f)
    x, y = _prices(rng, 506, 13, scale=1.0)
    np.savez(os.path.join(folder, "boston_housing.npz"), x=x, y=y)
    x, y = _prices(rng, 1000, 8, scale=10_000.0)
    np.savez(os.path.join(folder, "california_housing.npz"), x=x, y=y)
    return folder


def _object_array(sequences):
    out = np.empty(len(sequences), dtype=object)
    for i, sequence in enumerate(sequences):
        out[i] = sequence
    return out


def _zipf_words(rng, n):
    """`n` word ranks, frequent words more often, as in real text."""
    ranks = np.arange(1, VOCABULARY + 1)
    p = 1.0 / ranks ** 1.05
    return rng.choice(ranks, size=n, p=p / p.sum())


def _reviews(rng, n):
    """Reviews as lists of word ranks; label 1 draws extra words from ranks 300-399, label 0 from 400-499."""
    labels = rng.integers(0, 2, n)
    sequences = []
    for label in labels:
        length = int(rng.integers(30, 160))
        words = _zipf_words(rng, length)
        cued = rng.random(length) < 0.08
        words[cued] = rng.integers(300, 400, cued.sum()) + (0 if label else 100)
        sequences.append(words.tolist())
    return _object_array(sequences), labels.astype(np.int64)


def _newswires(rng, n, topics=46):
    """Newswires as lists of word ranks; topic t draws extra words from its own 20 ranks (1000 + 20t ...)."""
    weights = 1.0 / np.arange(1, topics + 1) ** 0.8  # some topics are common, as in Reuters
    labels = rng.choice(topics, size=n, p=weights / weights.sum())
    sequences = []
    for label in labels:
        length = int(rng.integers(20, 120))
        words = _zipf_words(rng, length)
        cued = rng.random(length) < 0.15
        words[cued] = 1000 + 20 * label + rng.integers(0, 20, cued.sum())
        sequences.append(words.tolist())
    return _object_array(sequences), labels.astype(np.int64)


def _prices(rng, n, features, scale):
    """Features on different scales and a price that follows them (plus noise)."""
    spread = 10.0 ** rng.uniform(-1, 2, features)
    x = rng.normal(size=(n, features)) * spread + 3 * spread
    weights = rng.normal(size=features)
    z = ((x - x.mean(0)) / x.std(0)) @ weights
    y = np.clip(22 + 6 * z / z.std() + rng.normal(scale=2.0, size=n), 5, 50) * scale
    return x.astype(np.float64), y.astype(np.float64)
