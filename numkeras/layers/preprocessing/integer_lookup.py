"""IntegerLookup: integer values to indices (or one-hot, multi-hot, count, TF-IDF vectors) through a vocabulary.

The vocabulary rules, the OOV indices and the order `adapt` learns are
IndexLookup's (index_lookup.py); an out-of-vocabulary value's bucket is
`value % num_oov_indices` (Keras's default `oov_method="floormod"`), or
FarmHash Fingerprint64 of its decimal text with `oov_method="farmhash"`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy()
    array([[1, 3, 4],
           [4, 0, 2]])
"""
import numbers
import numpy as np

from numkeras.engine.tensor import unwrap
from numkeras.layers.preprocessing.farmhash import hash_bucket
from numkeras.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integers to indices through a vocabulary given or learned with `adapt`.

    Args:
        max_tokens: the largest vocabulary, mask and OOV tokens included.
            Defaults to None (no limit).
        num_oov_indices: how many indices out-of-vocabulary values share
            (with 0 an unknown value is an error). Defaults to 1.
        mask_token: an integer that marks padding: index 0 in 'int' mode
            (dropped from the other encodings). Defaults to None.
        oov_token: the value `invert=True` returns for OOV indices.
            Defaults to -1.
        vocabulary: a list or array of integers, or the path of a text file
            with one a line. Defaults to None (call `adapt`).
        vocabulary_dtype: only "int64" (Keras's only choice).
        idf_weights: in 'tf_idf' mode with a `vocabulary`, one weight per entry.
        invert: map indices back to values. Defaults to False.
        output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
            Defaults to "int".
        sparse: accepted for Keras compatibility; only False is supported.
        pad_to_max_tokens: in the vector modes, make vectors `max_tokens`
            long. Defaults to False.
        oov_method: "floormod" or "farmhash" (see above). Defaults to "floormod".
        name: the layer name.
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", name=None, **kwargs):
        if mask_token is not None and (isinstance(mask_token, bool) or not isinstance(mask_token, numbers.Integral)):
            raise TypeError(f"IntegerLookup: `mask_token` must be an integer or None. Received: "
                            f"mask_token={mask_token!r} (of type {type(mask_token).__name__}). Pass e.g. mask_token=0.")
        if vocabulary_dtype != "int64":
            raise ValueError(f"IntegerLookup: only vocabulary_dtype='int64' is supported. Received: "
                             f"vocabulary_dtype={vocabulary_dtype!r}.")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token), vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, name=name,
                         vocabulary_dtype="int64", **kwargs)

    def _to_token(self, value):
        if isinstance(value, (str, bytes)):
            value = value.strip()
        try:
            number = float(value)
            if number != int(number):
                raise ValueError
        except (TypeError, ValueError):
            raise ValueError(f"IntegerLookup {self.name!r}: vocabulary entries must be integers. Received: "
                             f"{value!r}.") from None
        return int(number)

    def _as_values(self, data):
        values = np.asarray(unwrap(data))
        if values.dtype.kind == "f" and np.all(values == np.round(values)):
            values = values.astype(np.int64)
        if values.dtype.kind not in "iub":
            raise ValueError(f"IntegerLookup {self.name!r} expects integer inputs. Received values of dtype "
                             f"{values.dtype}.")
        return values.astype(np.int64, copy=False)

    def _oov_buckets(self, tokens):
        if self.oov_method == "farmhash":
            return np.array(hash_bucket([str(t) for t in tokens], self.num_oov_indices), dtype=np.int64)
        return np.mod(np.array(tokens, dtype=np.int64), self.num_oov_indices)

    def _inverted_array(self, tokens):
        return tokens.astype(np.int64)
