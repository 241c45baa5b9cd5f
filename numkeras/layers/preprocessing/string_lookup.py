"""StringLookup: strings to integer indices (or one-hot, multi-hot, count, TF-IDF vectors) through a vocabulary.

The vocabulary rules, the OOV indices and the order `adapt` learns are
IndexLookup's (index_lookup.py). Inputs are NumPy arrays of `str` (or
`bytes`, decoded with `encoding`, or objects holding either) or nested
Python lists; a model takes them through `Input(shape=..., dtype="string")`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.StringLookup(vocabulary=["a", "b", "c"])
    >>> layer(np.array([["a", "c", "z"]])).numpy()
    array([[1, 3, 0]])
"""
import numpy as np

from numkeras.engine.tensor import unwrap
from numkeras.layers.preprocessing.farmhash import hash_bucket
from numkeras.layers.preprocessing.index_lookup import IndexLookup


def as_string_array(data, encoding="utf-8", who="StringLookup"):
    """`data` (strings, bytes, lists of them, a Tensor holding them) as a NumPy array of `str`."""
    values = np.asarray(unwrap(data))
    if values.dtype.kind == "U" or values.size == 0:
        return values.astype(str, copy=False)
    if values.dtype.kind == "U":
        return values
    if values.dtype.kind == "S":
        return np.char.decode(values, encoding)
    if values.dtype.kind == "O":
        flat = [v.decode(encoding) if isinstance(v, bytes) else v for v in values.reshape(-1).tolist()]
        bad = next((v for v in flat if not isinstance(v, str)), None)
        if bad is None:
            return np.array(flat, dtype=str).reshape(values.shape) if flat else values.astype(str)
        values = np.asarray(bad)
    raise ValueError(f"{who} expects strings. Received values of dtype {values.dtype}. Convert them first, e.g. "
                     "np.asarray(values).astype(str).")


class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary given or learned with `adapt`.

    Args:
        max_tokens: the largest vocabulary, mask and OOV tokens included.
            Defaults to None (no limit).
        num_oov_indices: how many indices out-of-vocabulary strings share
            (hashed by FarmHash Fingerprint64 when more than one; with 0 an
            unknown string is an error). Defaults to 1.
        mask_token: a string that marks padding: index 0 in 'int' mode (and
            dropped from the other encodings). Defaults to None (no mask).
        oov_token: the string `invert=True` returns for OOV indices.
            Defaults to "[UNK]".
        vocabulary: a list or array of strings, or the path of a text file
            with one a line. Defaults to None (call `adapt`).
        idf_weights: in 'tf_idf' mode with a `vocabulary`, one weight per entry.
        invert: map indices back to strings. Defaults to False.
        output_mode: "int" (indices), "one_hot", "multi_hot", "count" or
            "tf_idf" (vectors of the vocabulary's size). Defaults to "int".
        pad_to_max_tokens: in the vector modes, make vectors `max_tokens`
            long even if the vocabulary is smaller. Defaults to False.
        sparse: accepted for Keras compatibility; only False is supported.
        encoding: how `bytes` inputs are decoded. Defaults to "utf-8".
        name: the layer name.
    """

    _string_input = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, **kwargs):
        if mask_token is not None and not isinstance(mask_token, (str, bytes)):
            raise TypeError(f"StringLookup: `mask_token` must be a string or None. Received: mask_token={mask_token!r} "
                            f"(of type {type(mask_token).__name__}). Pass e.g. mask_token='' or leave it None.")
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)  # always strings
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         vocabulary_dtype="string", **kwargs)

    def _to_token(self, value):
        if isinstance(value, bytes):
            return value.decode(self.encoding)
        return str(value)

    def _as_values(self, data):
        return as_string_array(data, self.encoding, f"StringLookup {self.name!r}")

    def _oov_buckets(self, tokens):
        return np.array(hash_bucket(tokens, self.num_oov_indices), dtype=np.int64)

    def _inverted_array(self, tokens):
        return tokens.astype(str)

    def get_config(self):
        config = {**super().get_config(), "encoding": self.encoding}
        del config["vocabulary_dtype"]
        return config
