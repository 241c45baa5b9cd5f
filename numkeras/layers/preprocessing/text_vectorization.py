"""TextVectorization: raw strings to token indices or bag-of-words vectors, with NumPy and the standard library.

Each document goes through four steps, as in Keras:

1. standardize: `"lower_and_strip_punctuation"` (the default), `"lower"`,
   `"strip_punctuation"`, None, or a callable taking a NumPy array of `str`
   and returning one. Lowercasing changes ASCII letters only and the
   punctuation removed is ASCII's 32 characters, which is what TensorFlow's
   `tf.strings.lower` and Keras's regular expression do ("Über" keeps its
   "Ü"; "«" and "—" stay).
2. split: `"whitespace"` (runs of ASCII whitespace, ends stripped, as
   `tf.strings.split`), `"character"` (Unicode code points), None (each
   string is one token), or a callable taking a 1-D NumPy array of `str`
   and returning one sequence of tokens per document.
3. ngrams: None, an int `n` (all 1- to n-grams) or a tuple of widths; the
   n-grams of each width follow in turn, words joined by one space.
4. index, through a StringLookup whose mask token is "" (index 0, the
   padding) and whose OOV token is "[UNK]" (index 1) in `"int"` mode; the
   vocabulary is ranked by count, ties broken by the token, high to low
   (see index_lookup.py).

Inputs are strings (a list, a NumPy array of `str`, `bytes` or objects,
shape `(batch,)` or `(batch, 1)`); a model takes them through
`layers.Input(shape=(1,), dtype="string")`. Outputs are int64 indices
(`"int"`, padded with 0 to `output_sequence_length` or to the longest
document of the batch) or float32 vectors (`"multi_hot"`, `"count"`,
`"tf_idf"`, where `tf_idf` is the count times
`log(1 + documents / (1 + documents containing the token))`). `sparse` and
`ragged` are accepted for compatibility and must stay False. (Keras on
TensorFlow returns int64 arrays for "multi_hot" and "count" when called
outside a model, float32 inside one; numkeras returns float32 in both.)

With numba installed, the default pipeline (whitespace split, a built-in
standardize, any n-grams) runs as one compiled pass over a batch's text,
read in place from the NumPy array (text_kernels.py), for `adapt`
(unigrams) and calls alike; otherwise, and
for callables or other splits, token by token in Python. Both give the
same vocabularies and outputs (tests compare them).

These rules were checked against Keras 3.15.1 on TensorFlow 2.21 (the
vocabularies, orders and outputs of this module's tests agree), and `.keras`
files with a TextVectorization load in either library with the same
predictions.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
    >>> layer(np.array(["the cat ate"])).numpy()
    array([[2, 5, 1, 0]])
"""
import collections
import itertools

import numpy as np

from numkeras.backend import floatx
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.layers.preprocessing import text_kernels
from numkeras.layers.preprocessing.category_encoding import check_mode
from numkeras.layers.preprocessing.index_lookup import adapt_batches
from numkeras.layers.preprocessing.string_lookup import StringLookup, as_string_array

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_PUNCTUATION = text_kernels.PUNCTUATION
_CHUNK = 2048  # documents tokenized at a time: memory stays bounded on large corpora


class TextVectorization(Layer):
    """Turns strings into sequences of token indices or into bag-of-words vectors.

    Args:
        max_tokens: the largest vocabulary, padding and OOV tokens included.
            Defaults to None (no limit).
        standardize: "lower_and_strip_punctuation", "lower",
            "strip_punctuation", None, or a callable (see the module doc).
            Defaults to "lower_and_strip_punctuation".
        split: "whitespace", "character", None, or a callable. Defaults to
            "whitespace".
        ngrams: None, an int n (1- to n-grams) or a tuple of widths. Defaults to None.
        output_mode: "int", "multi_hot", "count" or "tf_idf" ("one_hot" only
            with split=None). Defaults to "int".
        output_sequence_length: in "int" mode, pad or cut every output to
            this length. Defaults to None (the longest document of the batch).
        pad_to_max_tokens: in the vector modes, make vectors `max_tokens`
            long even if the vocabulary is smaller. Defaults to False.
        vocabulary: a list or array of strings, or a text file path with
            one a line. Defaults to None (call `adapt`).
        idf_weights: in "tf_idf" mode with a `vocabulary`, one weight per entry.
        sparse: only False is supported (accepted for compatibility).
        ragged: only False is supported (outputs are padded arrays).
        encoding: how `bytes` inputs are decoded. Defaults to "utf-8".
        name: the layer name.
    """

    _string_input = True

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                 output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None, **kwargs):
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(f"TextVectorization: standardize must be one of {_STANDARDIZE}, None or a callable. "
                             f"Received: standardize={standardize!r}.")
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(f"TextVectorization: split must be one of {_SPLIT}, None or a callable. Received: "
                             f"split={split!r}.")
        output_mode = check_mode("TextVectorization", output_mode, _MODES)
        if output_mode == "one_hot" and split is not None:
            raise ValueError("TextVectorization: output_mode='one_hot' encodes one token per string, so it needs "
                             "split=None. Received: split={split!r}. Use output_mode='multi_hot' for documents.")
        if not (ngrams is None or (isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams > 0) or (
                isinstance(ngrams, tuple) and ngrams and all(isinstance(n, int) and n > 0 for n in ngrams))):
            raise ValueError(f"TextVectorization: ngrams must be None, a positive integer, or a tuple of positive "
                             f"integers. Received: ngrams={ngrams!r}.")
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError(f"TextVectorization: output_sequence_length only applies when output_mode='int' "
                             f"(it pads or cuts sequences of indices). Received: output_sequence_length="
                             f"{output_sequence_length!r} with output_mode={output_mode!r}. Remove it, or use "
                             "output_mode='int'.")
        if output_sequence_length is not None and (not isinstance(output_sequence_length, (int, np.integer)) or
                                                   isinstance(output_sequence_length, bool) or
                                                   output_sequence_length < 1):
            raise ValueError(f"TextVectorization: output_sequence_length must be None or a positive integer. "
                             f"Received: output_sequence_length={output_sequence_length!r}.")
        if ragged:
            raise ValueError("TextVectorization: ragged=True is not supported (numkeras has no ragged tensors). "
                             "Received: ragged=True. Leave it False: outputs are padded with 0.")
        if sparse:
            raise ValueError("TextVectorization: sparse=True is not supported (numkeras has no sparse tensors). "
                             "Received: sparse=True. Leave it False.")
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = None if output_sequence_length is None else int(output_sequence_length)
        self._ragged = False
        self._encoding = encoding
        self._lookup_layer = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, mask_token="",
                                          output_mode=output_mode, encoding=encoding,
                                          has_input_vocabulary=has_input_vocabulary, vocabulary_size=vocabulary_size,
                                          name=f"{self.name}_lookup")
        self._byte_index_version = None
        self._hash_table_version = None
        self.built = True

    # -- the vocabulary (held by the StringLookup) ------------------------------------
    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary as a list; with `include_special_tokens`, a token's position is its index."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replaces the vocabulary (and, in "tf_idf" mode, the IDF weights). See StringLookup.set_vocabulary."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def vocabulary_size(self):
        """The size of the vocabulary, padding and OOV tokens included."""
        return self._lookup_layer.vocabulary_size()

    # -- text to tokens ------------------------------------------------------------
    def _documents(self, inputs):
        """The input strings: a 1-D array of documents (split set) or the array as given (split=None)."""
        values = as_string_array(inputs, self._encoding, f"TextVectorization {self.name!r}")
        if values.ndim == 0:
            values = values.reshape(1)
        if self._split is not None and values.ndim > 1:
            if values.ndim > 2 or values.shape[-1] != 1:
                raise ValueError(f"TextVectorization {self.name!r}: to split strings into tokens the input must "
                                 f"be of shape (batch,) or (batch, 1). Received: inputs of shape {values.shape}.")
            values = values[:, 0]
        return values

    def _standardized(self, docs):
        """Each string of the array `docs`, standardized, as UTF-8 bytes (a list, in order)."""
        mode = self._standardize
        if callable(mode):
            result = mode(docs)
            docs = as_string_array(result, self._encoding, f"TextVectorization {self.name!r}'s standardize")
            mode = None
        flat = [d.encode("utf-8") for d in docs.reshape(-1).tolist()]
        if mode == "lower_and_strip_punctuation":
            return [d.lower().translate(None, _PUNCTUATION) for d in flat]
        if mode == "lower":
            return [d.lower() for d in flat]
        if mode == "strip_punctuation":
            return [d.translate(None, _PUNCTUATION) for d in flat]
        return flat

    def _tokens(self, docs, widths=None):
        """One list of tokens (UTF-8 bytes) per document of `docs`; split=None keeps each row's strings. `widths`
        replaces the layer's n-gram widths."""
        standardized = self._standardized(docs)
        split = self._split
        if split is None:
            width = docs[0].size if docs.ndim > 1 and len(docs) else 1
            rows = [standardized[i:i + width] for i in range(0, len(standardized), width)]
        elif split == "whitespace":
            rows = [d.split() for d in standardized]
        elif split == "character":
            rows = [[c.encode("utf-8") for c in d.decode("utf-8")] for d in standardized]
        else:
            result = split(np.array([d.decode("utf-8") for d in standardized], dtype=str))
            rows = [[str(t).encode("utf-8") if not isinstance(t, bytes) else t
                     for t in np.asarray(unwrap(row), dtype=object).reshape(-1).tolist()] for row in result]
            if len(rows) != len(standardized):
                raise ValueError(f"TextVectorization {self.name!r}: the split callable returned {len(rows)} token "
                                 f"sequences for {len(standardized)} documents; it must return one per document.")
        widths = self._ngrams if widths is None else widths
        if widths is not None:
            rows = [_ngrams(row, widths) for row in rows]
        return rows

    # -- adapt ---------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and, in "tf_idf" mode, the IDF weights) from a corpus.

        Tokens are ranked by how often they occur, ties broken by the token
        (high to low, by UTF-8 bytes); the `max_tokens` most frequent are kept.

        Args:
            data: a list or array of strings, or an iterable of batches of
                strings (a dataset or generator; `(x, y)` batches count `x`).
            batch_size: accepted for Keras compatibility; arrays are read in
                chunks either way.
            steps: the number of batches to read from an iterable. Defaults
                to None (all).

        Raises:
            ValueError: the corpus holds no token, or the layer was given a vocabulary.
        """
        lookup = self._lookup_layer
        lookup._check_adaptable()
        counts, documents = collections.Counter(), collections.Counter()
        tfidf = self._output_mode == "tf_idf"
        num_documents = 0
        for batch in adapt_batches(data, steps):
            docs = self._documents(batch)
            options = self._compiled_options()
            found = None if not self._compiled_counting() else text_kernels.count_tokens(
                docs, lower=options["lower"], strip=options["strip"])
            widths = self._ngrams
            if found is not None:  # the batch's distinct tokens and their counts, in one compiled pass
                tokens, token_counts, document_counts = found
                counts.update(dict(zip(tokens, token_counts.tolist())))
                if tfidf:
                    documents.update(dict(zip(tokens, document_counts.tolist())))
                # The longer n-grams are still counted in Python; each holds a space, so none is also a word.
                widths = tuple(w for w in (widths or (1,)) if w != 1)
            if widths != ():
                for start in range(0, len(docs), _CHUNK):
                    rows = self._tokens(docs[start:start + _CHUNK], widths)
                    counts.update(itertools.chain.from_iterable(rows))
                    if tfidf:
                        documents.update(itertools.chain.from_iterable(set(row) for row in rows))
            num_documents += len(docs)
        if not counts:
            raise ValueError(f"TextVectorization {self.name!r}.adapt() found no tokens: the corpus is empty (or "
                             "every document is empty after standardization). Pass at least one non-empty string.")
        # Ranked as UTF-8 bytes (the order of their code points, and TensorFlow's); only the kept are decoded.
        lookup._finalize_counts(counts, documents, num_documents, decode=lambda token: token.decode("utf-8"))

    # -- call ----------------------------------------------------------------------
    def _byte_index(self):
        """The lookup table keyed by UTF-8 bytes (rebuilt when the vocabulary changes)."""
        lookup = self._lookup_layer
        if self._byte_index_version != lookup._version:
            self._bytes_table = {t.encode("utf-8"): i for t, i in lookup._call_index.items()}
            self._byte_index_version = lookup._version
        return self._bytes_table

    def _convert_input(self, x):
        return x

    def _hash_table(self):
        """The vocabulary as the compiled path's table (text_kernels.py), or None where that path does not apply."""
        if (self._split != "whitespace" or not (self._standardize is None or self._standardize in _STANDARDIZE)
                or self._output_mode == "one_hot" or self.use_python_tokenizer):
            return None
        lookup = self._lookup_layer
        if self._hash_table_version != lookup._version:
            tokens = [t.encode("utf-8") for t in lookup._call_index]
            self._hash_table_cache = text_kernels.vocabulary_table(tokens, list(lookup._call_index.values()))
            self._hash_table_version = lookup._version
        return self._hash_table_cache

    def _compiled_counting(self):
        """Whether adapt may count unigrams with the compiled kernel: a whitespace split, built-in standardization,
        and words among the n-gram widths."""
        return (self._split == "whitespace" and (self._standardize is None or self._standardize in _STANDARDIZE)
                and (self._ngrams is None or 1 in self._ngrams) and not self.use_python_tokenizer)

    def _compiled_options(self):
        mode = self._standardize
        return {"lower": mode in ("lower", "lower_and_strip_punctuation"),
                "strip": mode in ("strip_punctuation", "lower_and_strip_punctuation"),
                "oov": self._lookup_layer._oov_start_index(), "widths": self._ngrams or (1,)}

    def _indices(self, docs, cut):
        """Yields, per chunk of documents, (token indices, document of each, chunk size) in Keras's token order."""
        oov = self._lookup_layer._oov_start_index()
        table = self._hash_table()
        for start in range(0, len(docs), _CHUNK):
            chunk = docs[start:start + _CHUNK]
            found = None if table is None else text_kernels.whitespace_indices(
                chunk, table, cut=-1 if cut is None else cut, **self._compiled_options())
            if found is not None:  # the compiled pass over the chunk's bytes
                indices, doc = found
            else:  # token by token in Python: the reference, for any standardize and split
                words = self._byte_index()
                rows = self._tokens(chunk)
                if cut is not None:
                    rows = [row[:cut] for row in rows]
                flat = list(itertools.chain.from_iterable(rows))
                indices = np.fromiter(map(words.get, flat, itertools.repeat(oov)), np.int64, count=len(flat))
                doc = np.repeat(np.arange(len(rows)), [len(row) for row in rows])
            yield indices, doc, len(chunk)

    def _compiled_call(self, docs):
        """The output computed by the compiled kernel writing straight into it, or None where it declines."""
        table = self._hash_table()
        mode, cut = self._output_mode, self._output_sequence_length
        if table is None or (mode == "int" and cut is None):
            return None
        if mode == "int":
            out = np.zeros((len(docs), cut), np.int64)
        else:
            out = np.zeros((len(docs), self._lookup_layer._output_depth()), floatx())
        kernel_mode = {"int": "int", "multi_hot": "multi_hot"}.get(mode, "count")
        done = text_kernels.whitespace_indices(docs, table, cut=-1 if cut is None else cut, out=out, mode=kernel_mode,
                                               **self._compiled_options())
        if done is None:
            return None
        if mode == "tf_idf":
            out *= self._lookup_layer.idf_weights[:out.shape[1]]
        return Tensor(out)

    use_python_tokenizer = False  # True: always the per-token Python path (tests compare it with the compiled one)

    def call(self, inputs):
        lookup = self._lookup_layer
        lookup._check_ready()
        docs = self._documents(inputs)
        cut = self._output_sequence_length if self._output_mode == "int" else None
        if self._output_mode == "one_hot":
            ids = np.concatenate([i for i, _, _ in self._indices(docs, None)] or [np.zeros(0, np.int64)])
            return Tensor(lookup._encode(ids.reshape(docs.shape)))
        compiled = self._compiled_call(docs)
        if compiled is not None:
            return compiled
        parts, offset = [], 0
        for indices, doc, size in self._indices(docs, cut):
            parts.append((indices, doc + offset))
            offset += size
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        doc = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        counts = np.bincount(doc, minlength=offset)
        if self._output_mode == "int":
            position = np.arange(len(doc)) - np.repeat(np.cumsum(counts) - counts, counts)
            width = cut if cut is not None else int(counts.max(initial=0))
            kept = position < width
            out = np.zeros((offset, width), np.int64)
            out[doc[kept], position[kept]] = ids[kept]
            return Tensor(out)
        depth = lookup._output_depth()
        kept = (ids >= 0) & (ids < depth)
        codes = doc[kept] * depth + ids[kept]
        counts = np.bincount(codes, minlength=offset * depth).reshape(offset, depth)
        if self._output_mode == "multi_hot":
            return Tensor((counts > 0).astype(floatx()))
        out = counts.astype(floatx())
        if self._output_mode == "tf_idf":
            out = out * lookup.idf_weights[:depth]
        return Tensor(out)

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        return (input_shape[0], self._lookup_layer._output_depth())

    def compute_output_spec(self, inputs):
        dtype = "int64" if self._output_mode == "int" else floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype)

    # -- saving (Keras writes the vocabulary beside this layer and its StringLookup) --
    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def _asset_files(self):
        return self._lookup_layer._asset_files()

    def _load_asset_files(self, files):
        self._lookup_layer._load_asset_files(files)

    def get_config(self):
        lookup = self._lookup_layer
        config = {"max_tokens": lookup.max_tokens, "standardize": self._standardize, "split": self._split,
                  "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
                  "output_sequence_length": self._output_sequence_length,
                  "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": False, "ragged": False,
                  "vocabulary": lookup.get_config()["vocabulary"], "idf_weights": lookup.get_config()["idf_weights"],
                  "encoding": self._encoding, "vocabulary_size": self.vocabulary_size() if lookup._tokens else None}
        for key in ("standardize", "split"):
            if callable(config[key]):
                from numkeras.saving.serialization_lib import serialize_keras_object
                config[key] = serialize_keras_object(config[key])
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                from numkeras.saving.serialization_lib import deserialize_keras_object
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)


def _ngrams(tokens, widths):
    """All n-grams of `tokens` for each width in turn, words joined by one space (tf.strings.ngrams' order)."""
    out = []
    for n in widths:
        if n == 1:
            out.extend(tokens)
        else:  # n shifted views zipped: each tuple is one n-gram
            out.extend(map(b" ".join, zip(*[tokens[i:] for i in range(n)])))
    return out
