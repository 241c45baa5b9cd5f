"""The Keras 1/2 text helpers: `Tokenizer`, `text_to_word_sequence`, `hashing_trick`, `one_hot`.

Keras 3 keeps them only as deprecated code and leaves them out of `keras.preprocessing`
(TextVectorization replaces them); the first edition of Deep Learning with Python uses
them (`from keras.preprocessing.text import Tokenizer`), so numkeras has them here with
Keras 2's behaviour, checked against Keras 3's legacy copy (tests/keras_parity/).

Example:
    >>> from numkeras.preprocessing.text import Tokenizer
    >>> tokenizer = Tokenizer(num_words=4)
    >>> tokenizer.fit_on_texts(["The cat sat.", "The dog sat on the mat!"])
    >>> tokenizer.word_index["the"], tokenizer.word_index["sat"]
    (1, 2)
    >>> tokenizer.texts_to_sequences(["the cat sat on a mat"])  # cat: 3 (tied with dog, seen first)
    [[1, 3, 2]]
    >>> tokenizer.texts_to_matrix(["the the dog"], mode="count").tolist()
    [[0.0, 2.0, 0.0, 0.0]]
"""
import collections
import json

import numpy as np

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Splits a text into words: lower-cased, each character of `filters` turned into `split`, empty words dropped.

    Example:
        >>> text_to_word_sequence("Hello, World!  Again")
        ['hello', 'world', 'again']
    """
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate({ord(c): split for c in filters})
    return [word for word in input_text.split(split) if word]


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Each word of `text` as an integer in `[1, n)`: `hash(word) % (n - 1) + 1`.

    Args:
        text: the text.
        n: the size of the hashing space (index 0 is never used).
        hash_function: None (Python's `hash`, which differs from one
            process to the next for strings unless PYTHONHASHSEED is set),
            "md5" (stable everywhere), or a function of a word.
        filters, lower, split: as in `text_to_word_sequence`.
        analyzer: a function turning the text into words, in place of
            `text_to_word_sequence`.
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        import hashlib  # only the md5 hash needs it
        hash_function = lambda word: int(hashlib.md5(word.encode()).hexdigest(), 16)  # noqa: E731
    words = analyzer(text) if analyzer is not None else text_to_word_sequence(text, filters, lower, split)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """`hashing_trick` with Python's `hash`: word indices in `[1, n)` (not one-hot vectors, despite the name)."""
    return hashing_trick(input_text, n, hash, filters, lower, split, analyzer)


class Tokenizer:
    """Turns texts into sequences of word indices, or into one vector per text.

    `fit_on_texts` counts the words; then index 1 is the most frequent word
    (or `oov_token`, when given, and the words follow from 2), ties in the
    order the words were first seen. Index 0 is never a word.

    Args:
        num_words: keep only the words of index below `num_words` when
            turning texts into sequences and vectors (vectors then have
            `num_words` columns). None keeps all.
        filters: characters removed from the texts (replaced by `split`).
        lower: lower-case the texts. Defaults to True.
        split: the word separator. Defaults to " ".
        char_level: every character is a token. Defaults to False.
        oov_token: a token standing for every word outside the vocabulary
            (index 1); None drops such words. Defaults to None.
        analyzer: a function turning a text into its tokens, in place of
            `text_to_word_sequence`.

    Attributes:
        word_index: `{word: index}`; `index_word` the reverse.
        word_counts: `{word: count}` over all texts, in order of first sight.
        word_docs: `{word: number of texts containing it}`; `index_docs`
            the same by index.
        document_count: the number of texts (or sequences) fitted.
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ", char_level=False,
                 oov_token=None, analyzer=None, **kwargs):
        if "nb_words" in kwargs:  # Keras 1's name
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Tokenizer: unrecognized keyword arguments: {sorted(kwargs)}.")
        self.num_words, self.filters, self.lower, self.split = num_words, filters, lower, split
        self.char_level, self.oov_token, self.analyzer = char_level, oov_token, analyzer
        self.document_count = document_count
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.index_docs = collections.defaultdict(int)
        self.word_index, self.index_word = {}, {}

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):  # characters, or a text already split into words
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Counts the words of `texts` (strings, or lists of words) and rebuilds `word_index`."""
        if isinstance(texts, str):
            raise TypeError("Tokenizer.fit_on_texts takes a list of texts, not one string (that would fit on its "
                            f"characters). Received: {texts[:40]!r}. Pass [text].")
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] = self.word_docs.get(token, 0) + 1
        # Most frequent first; sorted() is stable, so ties keep the order of first sight.
        ranked = sorted(self.word_counts, key=self.word_counts.get, reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + ranked
        self.word_index = {}
        for index, word in enumerate(vocabulary, start=1):
            self.word_index[word] = index
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts, per index, the sequences that contain it (for `tfidf` on sequences)."""
        self.document_count += len(sequences)
        for seq in sequences:
            for index in set(seq):
                self.index_docs[index] = self.index_docs.get(index, 0) + 1

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (words at or above `num_words`, or unknown, dropped or OOV)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """`texts_to_sequences`, one list at a time."""
        if isinstance(texts, str):
            raise TypeError("Tokenizer.texts_to_sequences takes a list of texts, not one string. "
                            f"Received: {texts[:40]!r}. Pass [text].")
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is not None and not (self.num_words and index >= self.num_words):
                    sequence.append(index)
                elif oov is not None:
                    sequence.append(oov)
            yield sequence

    def sequences_to_texts(self, sequences):
        """Each sequence of indices as a text: its words joined by spaces (OOV or dropped as above)."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """`sequences_to_texts`, one text at a time."""
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for index in seq:
                word = self.index_word.get(index)
                if word is not None and not (self.num_words and index >= self.num_words):
                    words.append(word)
                elif oov is not None:
                    words.append(self.index_word[oov])
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        """One row per text; see `sequences_to_matrix` for the modes."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """One float64 row per sequence, one column per index below `num_words` (or the vocabulary size + 1).

        Modes, for an index occurring `c` times in a sequence of length `n`:
        "binary" 1; "count" c; "freq" c / n; "tfidf" `(1 + log c) * log(1 +
        document_count / (1 + documents containing the index))`. Indices
        beyond the columns are left out.
        """
        if mode not in MODES:
            raise ValueError(f"Tokenizer: mode must be one of {MODES}. Received: mode={mode!r}.")
        if self.num_words:
            columns = self.num_words
        elif self.word_index:
            columns = len(self.word_index) + 1
        else:
            raise ValueError("Tokenizer: the matrix needs a width: pass num_words=... to Tokenizer, or call "
                             "fit_on_texts first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Tokenizer: mode='tfidf' needs document frequencies: call fit_on_texts or "
                             "fit_on_sequences first.")
        matrix = np.zeros((len(sequences), columns))
        if mode == "tfidf":
            docs = np.array([self.index_docs.get(j, 0) for j in range(columns)], dtype="float64")
            idf = np.log(1 + self.document_count / (1 + docs))
        for row, seq in enumerate(sequences):
            seq = np.asarray(seq, dtype="int64").reshape(-1)
            if not seq.size:
                continue
            counts = np.bincount(seq[(seq >= 0) & (seq < columns)], minlength=columns).astype("float64")
            present = counts > 0
            if mode == "binary":
                matrix[row] = present
            elif mode == "count":
                matrix[row] = counts
            elif mode == "freq":
                matrix[row] = counts / seq.size
            else:
                matrix[row, present] = (1 + np.log(counts[present])) * idf[present]
        return matrix

    def get_config(self):
        """The settings and the fitted counts (the counts as JSON strings, as Keras writes them)."""
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower, "split": self.split,
                "char_level": self.char_level, "oov_token": self.oov_token, "document_count": self.document_count,
                "word_counts": json.dumps(self.word_counts), "word_docs": json.dumps(self.word_docs),
                "index_docs": json.dumps(self.index_docs), "index_word": json.dumps(self.index_word),
                "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs):
        """A JSON string that `tokenizer_from_json` reads back; `kwargs` go to `json.dumps`."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """The `Tokenizer` that `Tokenizer.to_json` wrote (Keras's files too); `analyzer` is not saved.

    Example:
        >>> t = Tokenizer(oov_token="<?>")
        >>> t.fit_on_texts(["a b b"])
        >>> tokenizer_from_json(t.to_json()).texts_to_sequences(["b a c"])
        [[2, 3, 1]]
    """
    config = dict(json.loads(json_string)["config"])
    fitted = {name: json.loads(config.pop(name))
              for name in ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(fitted["word_counts"])
    tokenizer.word_docs = collections.defaultdict(int, fitted["word_docs"])
    tokenizer.index_docs = collections.defaultdict(int, {int(k): v for k, v in fitted["index_docs"].items()})
    tokenizer.index_word = {int(k): v for k, v in fitted["index_word"].items()}
    tokenizer.word_index = fitted["word_index"]
    return tokenizer
