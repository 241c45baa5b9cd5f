"""HashedCrossing: crosses two or more categorical features into one hashed bin per sample.

A sample's bin is TensorFlow's `tf.sparse.cross_hashed`, hence Keras's:
start from the key 0xDECAFCAFFE, fold in each feature's hash in order with
FarmHash's FingerprintCat64 (strings hash by Fingerprint64 of their UTF-8
bytes, integers enter as their 64-bit two's-complement value), and take the
result modulo `num_bins`. The same features give the same bin on every run
and machine.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.HashedCrossing(num_bins=5)
    >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102]))).numpy()
    array([1, 4, 1, 1, 3])
"""
import numpy as np

from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.layers.preprocessing.category_encoding import check_mode, encode_categorical
from numkeras.layers.preprocessing.farmhash import fingerprint64

_M = (1 << 64) - 1
_KEY = 0xDECAFCAFFE  # TensorFlow's default hash_key for sparse.cross_hashed
_CAT_MUL = 0xc6a4a7935bd1e995


def fingerprint_cat64(first, second):
    """FarmHash's FingerprintCat64: combines two 64-bit fingerprints into one (order matters)."""
    result = first ^ _CAT_MUL
    product = (second * _CAT_MUL) & _M
    result ^= ((product ^ (product >> 47)) * _CAT_MUL) & _M
    result = (result * _CAT_MUL) & _M
    result = (((result ^ (result >> 47)) * _CAT_MUL) & _M)
    return result ^ (result >> 47)


def _feature_hashes(values, who):
    """Each value's 64-bit hash as cross_hashed takes it: Fingerprint64 for text, the value itself for integers."""
    if values.dtype.kind in "iub":
        return [int(v) & _M for v in values.reshape(-1).tolist()]
    if values.dtype.kind in "USO":
        out = []
        for v in values.reshape(-1).tolist():
            if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
                out.append(int(v) & _M)
            elif isinstance(v, (str, bytes)):
                out.append(fingerprint64(v.encode("utf-8") if isinstance(v, str) else v))
            else:
                raise ValueError(f"{who}: features must be strings or integers. Received a {type(v).__name__}.")
        return out
    raise ValueError(f"{who}: features must be strings or integers. Received values of dtype {values.dtype}.")


class HashedCrossing(Layer):
    """Hashes the combination of two or more categorical features into `num_bins` bins.

    Args:
        num_bins: the number of bins.
        output_mode: "int" (bin indices) or "one_hot". Defaults to "int".
        sparse: only False is supported (accepted for compatibility).
        name: the layer name.
        dtype: the output dtype. Defaults to "int64" in "int" mode, float32 otherwise.

    Call arguments:
        inputs: a list or tuple of at least two arrays, all of shape `()`,
            `(batch,)` or `(batch, 1)`, holding strings or integers.
    """

    _string_input = True

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        output_mode = check_mode("HashedCrossing", output_mode, ("int", "one_hot"))
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if not isinstance(num_bins, (int, np.integer)) or isinstance(num_bins, bool) or num_bins <= 0:
            raise ValueError(f"HashedCrossing: num_bins must be a positive integer. Received: num_bins={num_bins!r}.")
        if sparse:
            raise ValueError("HashedCrossing: sparse=True is not supported (numkeras has no sparse tensors). "
                             "Received: sparse=True. Leave it False.")
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = False

    def _convert_input(self, x):
        return x

    def _check(self, shapes):
        if len(shapes) < 2:
            raise ValueError(f"HashedCrossing {self.name!r} crosses at least two features: call it on a list or "
                             f"tuple of two or more arrays. Received {len(shapes)}.")
        first = tuple(shapes[0])
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(f"HashedCrossing {self.name!r}: every feature must have shape (), (batch,) or "
                             f"(batch, 1). Received shape {first}.")
        if any(tuple(s) != first for s in shapes[1:]):
            raise ValueError(f"HashedCrossing {self.name!r}: the features must have equal shapes. Received "
                             f"{[tuple(s) for s in shapes]}.")

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"HashedCrossing {self.name!r} crosses features: call it on a list or tuple of "
                             f"arrays. Received a {type(inputs).__name__}.")
        arrays = [np.asarray(unwrap(x)) for x in inputs]
        self._check([a.shape for a in arrays])
        columns = [_feature_hashes(a, f"HashedCrossing {self.name!r}") for a in arrays]
        bins = []
        for hashes in zip(*columns):
            value = _KEY
            for h in hashes:
                value = fingerprint_cat64(value, h)
            bins.append(value % self.num_bins)
        out = np.array(bins, dtype=np.int64).reshape(arrays[0].shape)
        if self.output_mode == "int":
            return Tensor(out.astype(self.dtype))
        return Tensor(encode_categorical(out, "one_hot", self.num_bins, self.dtype))

    def compute_output_shape(self, input_shape):
        self._check(list(input_shape))
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if not first:
            return (self.num_bins,)
        return (first if first[-1] != 1 else first[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape([tuple(t.shape) for t in inputs]), self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse}
