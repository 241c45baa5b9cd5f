"""IndexLookup: the vocabulary core StringLookup, IntegerLookup and TextVectorization share.

A vocabulary is a list of tokens; token `i` of it maps to index
`token_start + i`, after the reserved indices:

- in `"int"` mode, the mask token (if any) at index 0;
- then `num_oov_indices` out-of-vocabulary (OOV) indices. With one, every
  unknown token maps to it; with several, an unknown token's bucket is
  `hash(token) % num_oov_indices` (FarmHash Fingerprint64 for strings, as
  TensorFlow's `to_hash_bucket_fast`; `value % num_oov_indices` for
  integers, Keras's default 'floormod'); with none, an unknown token is an
  error.

`adapt` counts tokens and keeps the most frequent, ordered by count (high
to low) with ties broken by the token itself, high to low. That is Keras's
rule (`np.lexsort((tokens, counts))[::-1]` over TensorFlow's export of its
hash table): strings compare as UTF-8 bytes, which is the order of their
code points, so among equally frequent words "b" comes before "a".
`"tf_idf"` weights are `log(1 + num_documents / (1 + document_frequency))`
per token; the reserved indices get the mean weight.

The vocabulary is saved in `.keras` files as Keras saves it: a text file
`assets/<layer path>/vocabulary.txt` (one token a line, reserved tokens
first), and TF-IDF weights as the variable "idf_weights".

Example:
    >>> from numkeras import layers
    >>> layer = layers.StringLookup()
    >>> layer.adapt(["b", "a", "c", "a", "b"])
    >>> layer.get_vocabulary()
    ['[UNK]', 'b', 'a', 'c']
"""
import collections

import numpy as np

from numkeras.backend import floatx
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.layers.preprocessing.category_encoding import check_mode, encode_categorical, encoded_shape

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_DROPPED = -1  # the index a mask token gets outside "int" mode: encodings skip it
VOCABULARY_FILENAME = "vocabulary.txt"


def adapt_batches(data, steps=None):
    """The batches `adapt` reads from `data`: one for an array or list, each batch of any other iterable.

    A batch given as an `(x, y)` or `(x, y, sample_weight)` tuple of arrays
    (what datasets yield) counts only `x`.
    """
    from numkeras.utils.py_dataset import PyDataset
    if isinstance(data, (list, np.ndarray, Tensor, str, bytes)) or (
            isinstance(data, tuple) and not _is_xy(data)):
        yield data
        return
    if isinstance(data, PyDataset):
        data = (data[i] for i in range(len(data)))
    elif not hasattr(data, "__iter__"):
        raise TypeError(f"adapt() accepts a list, a NumPy array, or an iterable of batches (a dataset, a "
                        f"generator). Received: data of type {type(data).__name__}.")
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        yield batch[0] if _is_xy(batch) else batch


def ranked_tokens(counts, limit=None):
    """The keys of the dict `counts` by count, ties by key, both high to low; the first `limit` (None: all).

    Only the keys that can make the cut are sorted: those counted at least as often as the `limit`-th
    largest count (a bigram vocabulary of millions is mostly counted once and never sorted).
    """
    items = counts.items()
    if limit is not None and limit < len(counts):
        if limit == 0:
            return []
        values = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
        threshold = np.partition(values, len(values) - limit)[len(values) - limit]
        items = [(key, count) for key, count in items if count >= threshold]
    return [key for key, _ in sorted(items, key=lambda kv: (kv[1], kv[0]), reverse=True)[:limit]]


def _is_xy(batch):
    return isinstance(batch, tuple) and len(batch) in (2, 3) and all(
        b is None or isinstance(b, (np.ndarray, Tensor)) for b in batch) and batch[0] is not None


class IndexLookup(Layer):
    """Base class of StringLookup and IntegerLookup: maps tokens to indices through a vocabulary.

    Not a Keras name; see StringLookup and IntegerLookup for the arguments.
    """

    _string_input = False  # StringLookup sets it: models accept string arrays for it

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", name=None, **kwargs):
        kind = type(self).__name__
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        salt = kwargs.pop("salt", None)
        if salt is not None:
            raise ValueError(f"{kind}: salt (SipHash for OOV buckets) is not supported. Received: salt={salt!r}. "
                             "Leave it None.")
        kwargs.pop("dtype", None)  # the layer's dtype is its vocabulary's; Keras ignores it too
        super().__init__(name=name, **kwargs)
        if max_tokens is not None and (not isinstance(max_tokens, (int, np.integer)) or max_tokens <= 1):
            raise ValueError(f"{kind}: max_tokens, if set, must be an integer greater than 1. Received: "
                             f"max_tokens={max_tokens!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{kind}: pad_to_max_tokens=True needs max_tokens (the padded size). Received: "
                             "max_tokens=None.")
        if not isinstance(num_oov_indices, (int, np.integer)) or num_oov_indices < 0:
            raise ValueError(f"{kind}: num_oov_indices must be an integer >= 0. Received: num_oov_indices="
                             f"{num_oov_indices!r}.")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{kind}: oov_method must be 'floormod' or 'farmhash'. Received: oov_method="
                             f"{oov_method!r}.")
        output_mode = check_mode(kind, output_mode, _MODES)
        if invert and output_mode != "int":
            raise ValueError(f"{kind}: invert=True maps indices back to tokens, so output_mode must be 'int'. "
                             f"Received: output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{kind}: sparse=True is not supported (numkeras has no sparse tensors). Received: "
                             "sparse=True. Leave sparse=False for a dense output.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{kind}: idf_weights are only used when output_mode='tf_idf'. Received: "
                             f"output_mode={output_mode!r} with idf_weights.")
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None and vocabulary is not None:
            raise ValueError(f"{kind}: with output_mode='tf_idf', a vocabulary given in the constructor needs "
                             "idf_weights too (one weight per vocabulary entry).")
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.oov_method = oov_method
        self.input_vocabulary = None if isinstance(vocabulary, str) else vocabulary
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = bool(has_input_vocabulary)
        self._frozen_vocab_size = vocabulary_size
        self._tokens = []  # the learned or given tokens, without the reserved ones
        self._index = {}  # token -> index
        self._call_index = {} if mask_token is None else {mask_token: 0 if output_mode == "int" else _DROPPED}
        self._version = 0  # bumped whenever the vocabulary changes (TextVectorization caches on it)
        self.idf_weights = None  # float array over the whole output depth, in 'tf_idf' mode
        self._reset_counts()
        self.built = True
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- the reserved indices ----------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, the mask and OOV indices included."""
        return self._token_start_index() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary as a list: a token's position is its index when `include_special_tokens`.

        Args:
            include_special_tokens: whether to include the mask and OOV
                tokens first. Defaults to True.
        """
        if not include_special_tokens:
            return list(self._tokens)
        return [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices + list(
            self._tokens)

    def _output_depth(self):
        if self.pad_to_max_tokens:
            return self.max_tokens
        if not self._tokens and self._frozen_vocab_size:  # rebuilt from a config, vocabulary not loaded yet
            return self._frozen_vocab_size
        return self.vocabulary_size()

    # -- setting a vocabulary ------------------------------------------------------
    def _to_token(self, value):
        """One vocabulary entry in the layer's key type (str for strings, int for integers)."""
        raise NotImplementedError

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replaces the vocabulary (and, in 'tf_idf' mode, the IDF weights).

        Args:
            vocabulary: a list, tuple or 1-D array of tokens, or the path of
                a text file with one token a line. It may start with the
                reserved tokens (mask, then OOV) in their order; they are not
                needed.
            idf_weights: in 'tf_idf' mode (only), one weight per vocabulary
                entry.
        """
        kind = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{kind}.set_vocabulary(): output_mode='tf_idf' needs idf_weights too (one weight "
                             "per vocabulary entry).")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{kind}.set_vocabulary(): idf_weights are only used when output_mode='tf_idf'. "
                             f"Received: output_mode={self.output_mode!r}.")
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError(f"{kind}: output_mode='tf_idf' cannot read its vocabulary from a file; pass it "
                                 "as a list with idf_weights.")
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = f.read().splitlines()
        vocabulary = [self._to_token(v) for v in np.asarray(unwrap(vocabulary), dtype=object).reshape(-1)] if (
            not isinstance(vocabulary, list)) else [self._to_token(v) for v in vocabulary]
        if not vocabulary:
            raise ValueError(f"{kind}.set_vocabulary(): the vocabulary is empty. Pass at least one token.")
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        found_special = len(special) > 0 and vocabulary[:len(special)] == special
        tokens = vocabulary[len(special):] if found_special else vocabulary
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(f"{kind}.set_vocabulary(): the vocabulary repeats {repeated[:10]}. Each token must "
                             "appear once.")
        for reserved, what in ((self.mask_token, "mask_token"), (self.oov_token if self.invert else None,
                                                                  "oov_token")):
            if reserved is not None and reserved in tokens:
                raise ValueError(f"{kind}.set_vocabulary(): the vocabulary holds the {what} {reserved!r} at "
                                 f"position {vocabulary.index(reserved)}. Leave reserved tokens out, or put them "
                                 f"only at the start in this order: {special}.")
        size = len(special) + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(f"{kind}.set_vocabulary(): the vocabulary has {size} entries (reserved ones "
                             f"included), more than max_tokens={self.max_tokens}.")
        idf = None
        if idf_weights is not None:
            idf = np.asarray(unwrap(idf_weights), dtype=np.float64)
            if idf.ndim != 1 or len(idf) != len(vocabulary):
                raise ValueError(f"{kind}.set_vocabulary(): idf_weights must be 1-D with one weight per vocabulary "
                                 f"entry ({len(vocabulary)}). Received shape {idf.shape}.")
            if not found_special:  # the reserved indices get the mean weight, as in Keras
                idf = np.concatenate([np.full(len(special), idf.mean()), idf])
        self._install(tokens, idf)

    def _install(self, tokens, idf):
        """Makes `tokens` (list of keys, no reserved ones) the vocabulary, with `idf` over the reserved ones too."""
        start = self._token_start_index()
        self._tokens = list(tokens)
        self._index = {t: start + i for i, t in enumerate(self._tokens)}
        self._call_index = self._index
        if self.mask_token is not None:
            self._call_index = {**self._index, self.mask_token: 0 if self.output_mode == "int" else _DROPPED}
        if idf is not None:
            if self.pad_to_max_tokens and len(idf) < self.max_tokens:
                idf = np.concatenate([idf, np.zeros(self.max_tokens - len(idf))])
            self.idf_weights = idf.astype(floatx())
        self._version += 1
        self._record_vocabulary_size()

    def _record_vocabulary_size(self):
        size = self.vocabulary_size()
        if (self.output_mode != "int" and not self.pad_to_max_tokens and self._frozen_vocab_size is not None
                and getattr(self, "_called", False) and size != self._frozen_vocab_size):
            raise RuntimeError(f"{type(self).__name__}: with output_mode={self.output_mode!r} and "
                               "pad_to_max_tokens=False the vocabulary size cannot change after the layer was "
                               f"called (it was {self._frozen_vocab_size}, now {size}).")
        self._frozen_vocab_size = size

    # -- adapt -------------------------------------------------------------------
    def _reset_counts(self):
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    def adapt(self, data, steps=None):
        """Learns the vocabulary (and, in 'tf_idf' mode, the IDF weights) from `data`.

        Tokens are ranked by count, ties broken by the token, high to low;
        the `max_tokens` most frequent are kept (reserved tokens included).

        Args:
            data: a list or array of tokens (each row of a 2-D array is one
                document for TF-IDF; a 1-D array is one token per document),
                or an iterable of batches (a dataset, a generator; a 1-D
                batch is one document).
            steps: the number of batches to read from an iterable. Defaults
                to None (all of them).
        """
        self._check_adaptable()
        self._reset_counts()
        for batch in adapt_batches(data, steps):
            whole = batch is data
            self.update_state(batch, _documents_are_rows=whole)
        self.finalize_state()

    def _check_adaptable(self):
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer {self.name!r}: it was given a vocabulary (in its constructor or "
                             "by set_vocabulary()). Create it without one to learn a vocabulary.")

    def update_state(self, data, _documents_are_rows=False):
        """Adds the tokens of one batch to the counts (`finalize_state` turns them into the vocabulary)."""
        self._check_adaptable()
        values = self._as_values(data)
        if values.ndim == 0:
            values = values.reshape(1)
        if values.ndim == 1:
            values = values[:, None] if _documents_are_rows else values[None]
        flat = values.reshape(-1).tolist()
        self._token_counts.update(flat)
        if self.output_mode == "tf_idf":
            width = values[0].size if len(values) else 0
            for row in range(len(values)):
                self._document_counts.update(set(flat[row * width:(row + 1) * width]))
            self._num_documents += len(values)

    def finalize_state(self):
        """Turns the counts gathered by `update_state` into the vocabulary (and IDF weights)."""
        self._finalize_counts(self._token_counts, self._document_counts, self._num_documents)
        self._reset_counts()

    def _finalize_counts(self, token_counts, document_counts, num_documents, decode=None):
        """Ranks the counted tokens into the vocabulary; `decode` turns the kept keys into tokens (bytes to str)."""
        for reserved in (self.mask_token, self.oov_token):
            if reserved is not None:
                token_counts.pop(reserved if decode is None else str(reserved).encode("utf-8"), None)
        if not token_counts:
            raise ValueError(f"{type(self).__name__}.adapt() found no tokens in the data (an empty corpus, or only "
                             "reserved tokens), so there is no vocabulary to learn. Pass data with at least one "
                             "token.")
        limit = None if self.max_tokens is None else max(self.max_tokens - self._token_start_index(), 0)
        keys = ranked_tokens(token_counts, limit)
        idf = None
        if self.output_mode == "tf_idf":
            frequency = np.array([document_counts.get(t, 0) for t in keys], dtype=np.float64)
            weights = np.log(1.0 + num_documents / (1.0 + frequency))
            idf = np.concatenate([np.full(self._token_start_index(), weights.mean()), weights])
        self._install(keys if decode is None else [decode(k) for k in keys], idf)

    # -- lookups -----------------------------------------------------------------
    def _as_values(self, data):
        """`data` as a NumPy array of the layer's key type."""
        raise NotImplementedError

    def _lookup(self, values):
        """Indices (int64, shaped like `values`) of the array `values` of keys."""
        return self._lookup_tokens(values.reshape(-1).tolist()).reshape(values.shape)

    def _lookup_tokens(self, flat):
        """Indices of a flat list of tokens (keys): vocabulary, mask, then OOV handling."""
        index = self._call_index
        missing = -2
        ids = np.fromiter(map(index.get, flat, [missing] * len(flat)), dtype=np.int64, count=len(flat))
        oov = np.flatnonzero(ids == missing)
        if oov.size:
            if self.num_oov_indices == 0:
                unknown = sorted({repr(flat[i]) for i in oov[:20]})
                raise ValueError(f"{type(self).__name__} {self.name!r}: with num_oov_indices=0 every input must be "
                                 f"in the vocabulary, but found out-of-vocabulary values {', '.join(unknown)}. "
                                 "Set num_oov_indices=1 to map them to an OOV index.")
            if self.num_oov_indices == 1:
                ids[oov] = self._oov_start_index()
            else:
                ids[oov] = self._oov_start_index() + self._oov_buckets([flat[i] for i in oov])
        return ids

    def _oov_buckets(self, tokens):
        raise NotImplementedError

    def _invert(self, indices):
        """Tokens for an integer array of indices (the inverse lookup)."""
        indices = np.asarray(indices)
        if indices.dtype.kind not in "iu":
            raise ValueError(f"{type(self).__name__} {self.name!r} has invert=True: it maps integer indices to "
                             f"tokens. Received inputs of dtype {indices.dtype}.")
        table = np.array(self.get_vocabulary(), dtype=object)
        flat = indices.reshape(-1)
        valid = (flat >= self._token_start_index()) & (flat < len(table))
        out = np.full(flat.shape, self.oov_token, dtype=object)
        out[valid] = table[flat[valid]]
        if self.mask_token is not None:
            out[flat == 0] = self.mask_token
        return self._inverted_array(out.reshape(indices.shape))

    def _inverted_array(self, tokens):
        return tokens

    def _convert_input(self, x):
        return x  # call() reads strings and integers itself

    def call(self, inputs):
        if self.invert:
            return Tensor(self._invert(unwrap(inputs)))
        self._check_ready()
        values = self._as_values(inputs)
        if values.ndim == 0:
            return Tensor(self._lookup(values.reshape(1)).reshape(()) if self.output_mode == "int" else
                          self._encode(self._lookup(values.reshape(1))))
        indices = self._lookup(values)
        if self.output_mode == "int":
            return Tensor(indices)
        return Tensor(self._encode(indices))

    def _check_ready(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens and not self._tokens:
            raise RuntimeError(f"{type(self).__name__} {self.name!r}: with output_mode={self.output_mode!r} and "
                               "pad_to_max_tokens=False the layer needs its vocabulary before it is called. Pass "
                               "vocabulary= to the constructor or call adapt() with sample data.")
        self._called = True

    def _encode(self, indices):
        """Encodes lookup indices in the layer's output mode (a float array of depth `_output_depth()`)."""
        if indices.ndim > 2 or (indices.ndim == 2 and self.output_mode == "one_hot" and indices.shape[-1] != 1):
            raise ValueError(f"{type(self).__name__} {self.name!r}: in output_mode={self.output_mode!r} the "
                             f"output rank is at most 2. Received inputs of shape {indices.shape}.")
        depth = self._output_depth()
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_categorical(indices, mode, depth, floatx())
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise RuntimeError(f"{type(self).__name__} {self.name!r}: output_mode='tf_idf' needs IDF weights: "
                                   "call adapt() or set_vocabulary(vocabulary, idf_weights).")
            out = out * self.idf_weights[:depth]
        return out

    # -- shapes ------------------------------------------------------------------
    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(input_shape, self.output_mode, self._output_depth())

    def compute_output_spec(self, inputs):
        if self.invert:
            dtype = "string" if self.vocabulary_dtype == "string" else "int64"
        else:
            dtype = "int64" if self.output_mode == "int" else floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype)

    # -- saving: the vocabulary as an asset file, the IDF weights as a variable -----
    def save_own_variables(self, store):
        """Keras's hook: stores the IDF weights (in 'tf_idf' mode) under "idf_weights"."""
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store):
        """Keras's hook: reads the IDF weights back (the vocabulary follows from the asset file)."""
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = np.asarray(store["idf_weights"], dtype=floatx())

    def _asset_files(self):
        """{file name: bytes} saved beside the layer in a `.keras` archive (a learned vocabulary)."""
        if self.input_vocabulary is not None or not self._tokens:
            return {}
        text = "\n".join(str(t) for t in self.get_vocabulary(include_special_tokens=True))
        return {VOCABULARY_FILENAME: text.encode("utf-8")}

    def _load_asset_files(self, files):
        """Restores the vocabulary from `_asset_files`' output (read back from an archive)."""
        if self.input_vocabulary is not None or VOCABULARY_FILENAME not in files:
            return
        lines = files[VOCABULARY_FILENAME].decode("utf-8").split("\n")
        while lines and lines[-1] == "":
            lines.pop()
        tokens = [self._to_token(line) for line in lines]
        special = self._token_start_index()
        idf = None
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            idf = np.asarray(self.idf_weights, dtype=np.float64)[:len(tokens)]
        self._install(tokens[special:], idf)

    def get_config(self):
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token, "mask_token": self.mask_token,
                "output_mode": self.output_mode, "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": _listify(self.input_idf_weights), "vocabulary": _listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size if self._tokens else None,
                "oov_method": self.oov_method, "salt": None}


def _listify(value):
    if value is None:
        return None
    value = unwrap(value)
    return np.asarray(value).tolist() if isinstance(value, np.ndarray) else list(value)
