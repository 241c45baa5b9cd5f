"""Hashing: values (strings or integers) to bins by a fixed hash, the same on every run and machine.

The bin of a value is TensorFlow's, hence Keras's: `Fingerprint64(text) %
num_bins`, where Fingerprint64 is FarmHash's (farmhash.py, checked against
FarmHash's own test vectors) and `text` is the string's UTF-8 bytes, or the
decimal text of an integer (floats are truncated to integers first). With
a `salt` the hash is SipHash-2-4 keyed by the two salt integers, TensorFlow's
`to_hash_bucket_strong`. With a `mask_value`, that value maps to bin 0 and
the others to `1 + hash % (num_bins - 1)`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]])).numpy().ravel()
    array([1, 0, 1, 1, 2])
"""
import numpy as np

from numkeras.backend import floatx
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.layers.preprocessing.category_encoding import check_mode, encode_categorical, encoded_shape
from numkeras.layers.preprocessing.farmhash import fingerprint64

_MODES = ("int", "one_hot", "multi_hot", "count")
_M = (1 << 64) - 1


def siphash24(key0, key1, data):
    """SipHash-2-4 of `data` (bytes) under the 128-bit key (key0, key1): an unsigned 64-bit int.

    The algorithm of Aumasson and Bernstein (2012); key0 and key1 are the
    key's two little-endian 64-bit halves, as TensorFlow passes a salt.
    """
    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & _M

    def rounds(v0, v1, v2, v3, n):
        for _ in range(n):
            v0 = (v0 + v1) & _M
            v1 = rotl(v1, 13) ^ v0
            v0 = rotl(v0, 32)
            v2 = (v2 + v3) & _M
            v3 = rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _M
            v3 = rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _M
            v1 = rotl(v1, 17) ^ v2
            v2 = rotl(v2, 32)
        return v0, v1, v2, v3

    k0, k1 = key0 & _M, key1 & _M
    v0, v1 = k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d
    v2, v3 = k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573
    n = len(data)
    tail = n - n % 8
    blocks = [int.from_bytes(data[i:i + 8], "little") for i in range(0, tail, 8)]
    blocks.append(int.from_bytes(data[tail:], "little") | ((n & 0xFF) << 56))
    for m in blocks:
        v3 ^= m
        v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 2)
        v0 ^= m
    v2 ^= 0xFF
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def _as_text(values):
    """Each value's bytes as TensorFlow hashes it: UTF-8 for strings, decimal text for integers."""
    if values.dtype.kind == "f":
        values = values.astype(np.int64)
    if values.dtype.kind in "iub":
        return [str(int(v)).encode() for v in values.reshape(-1).tolist()]
    out = []
    for v in values.reshape(-1).tolist():
        if isinstance(v, bytes):
            out.append(v)
        elif isinstance(v, str):
            out.append(v.encode("utf-8"))
        elif isinstance(v, (int, np.integer, float, np.floating)):
            out.append(str(int(v)).encode())
        else:
            raise ValueError(f"Hashing accepts strings and numbers. Received a value of type {type(v).__name__}.")
    return out


class Hashing(Layer):
    """Hashes strings or integers into `num_bins` bins (FarmHash Fingerprint64, or SipHash with a salt).

    Args:
        num_bins: the number of bins, the mask bin included.
        mask_value: a value that maps to bin 0 (the others then use bins 1
            to num_bins - 1). Defaults to None (no mask).
        salt: an int or a pair of ints: hash with SipHash-2-4 keyed by them.
            Defaults to None (FarmHash Fingerprint64).
        output_mode: "int" (bin indices), "one_hot", "multi_hot" or "count".
            Defaults to "int".
        sparse: only False is supported (accepted for compatibility).
    """

    _string_input = True

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        output_mode = check_mode("Hashing", output_mode, _MODES)
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else floatx()
        super().__init__(**kwargs)
        if not isinstance(num_bins, (int, np.integer)) or isinstance(num_bins, bool) or num_bins <= 0:
            raise ValueError(f"Hashing: num_bins must be a positive integer. Received: num_bins={num_bins!r}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(f"Hashing: with output_mode='int' the dtype must be 'int32' or 'int64'. Received: "
                             f"dtype={self.dtype!r}.")
        if sparse:
            raise ValueError("Hashing: sparse=True is not supported (numkeras has no sparse tensors). Received: "
                             "sparse=True. Leave it False.")
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2 and all(isinstance(s, int) for s in salt):
                salt = [int(s) for s in salt]
            elif isinstance(salt, int) and not isinstance(salt, bool):
                salt = [salt, salt]
            else:
                raise ValueError(f"Hashing: salt must be an int or a pair of ints. Received: salt={salt!r}.")
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = salt
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = False

    def _convert_input(self, x):
        return x

    def _bins(self, values):
        bins = self.num_bins
        masked = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            masked = (values == np.asarray(self.mask_value, dtype=values.dtype)) if values.dtype.kind in "US" else (
                values == self.mask_value)
        texts = _as_text(values)
        if self.strong_hash:
            hashed = [siphash24(self.salt[0], self.salt[1], t) % bins for t in texts]
        else:
            hashed = [fingerprint64(t) % bins for t in texts]
        out = np.array(hashed, dtype=np.int64).reshape(values.shape)
        if masked is not None:
            out = np.where(masked, 0, out + 1)
        return out

    def call(self, inputs):
        values = np.asarray(unwrap(inputs))
        if values.dtype.kind == "O":
            values = np.array([v.decode() if isinstance(v, bytes) else v for v in values.reshape(-1).tolist()],
                              dtype=object).reshape(values.shape)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values[..., 0]
        bins = self._bins(values)
        if self.output_mode == "int":
            return Tensor(bins.astype(self.dtype))
        return Tensor(encode_categorical(bins, self.output_mode, self.num_bins, self.dtype))

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if self.output_mode == "one_hot":
            return encoded_shape(input_shape, "one_hot", self.num_bins)
        return tuple(input_shape[:-1]) + (self.num_bins,) if len(input_shape) else (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": self.sparse}
