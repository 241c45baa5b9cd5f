"""Reads the pickles inside dataset files without running code from them.

IMDB and Reuters store ragged word sequences as NumPy object arrays, which
`.npz` files can only hold as pickles, and the CIFAR batches are pickled
dicts. `pickle.load` would call whatever function a file names, so a
tampered download could run any command. `RestrictedUnpickler` hands out only
the few callables that rebuild NumPy arrays and dtypes and refuses every other
name, so the worst a bad file can do is fail to load.
"""

import io
import pickle
import zipfile

import numpy as np

# The functions that rebuild an ndarray (protocols 0-4, and 5's out-of-band
# buffers) and a NumPy scalar, taken from NumPy's own pickling so that no
# deprecated `numpy.core` module is imported.
_reconstruct = np.empty(0).__reduce__()[0]
_frombuffer = np.empty(0).__reduce_ex__(5)[0]
_scalar = np.int64(0).__reduce__()[0]


def _latin1_encode(text, encoding="latin1"):
    # Protocol-2 pickles written by Python 3 store bytes as
    # `_codecs.encode(text, 'latin1')`; other codecs are refused, since a
    # codec can be any code that registered itself.
    if encoding not in ("latin1", "latin-1") or not isinstance(text, str):
        raise pickle.UnpicklingError(f"Refusing _codecs.encode with encoding {encoding!r} in a dataset file.")
    return text.encode("latin1")


# Every name a dataset pickle may use, in NumPy 1 (`numpy.core`) and NumPy 2
# (`numpy._core`) spelling, and what it resolves to.
_ALLOWED = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.multiarray", "scalar"): _scalar,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("_codecs", "encode"): _latin1_encode,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that can only rebuild NumPy arrays and plain Python data.

    Lists, dicts, tuples, strings, bytes and numbers need no lookups; any
    other global (`os.system`, `builtins.eval`, ...) raises
    `pickle.UnpicklingError` before it can be called.

    Example:

    >>> import io, pickle
    >>> blob = pickle.dumps({"data": np.arange(3, dtype=np.uint8)})
    >>> RestrictedUnpickler(io.BytesIO(blob)).load()
    {'data': array([0, 1, 2], dtype=uint8)}
    """

    def find_class(self, module, name):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"Refusing to load `{module}.{name}` from a dataset file: only NumPy "
                "arrays and plain Python data are allowed. The file is corrupt or "
                "has been tampered with; delete it and download it again."
            ) from None


def load_npz(path, keys):
    """Reads the arrays `keys` of the `.npz` file at `path` into a dict.

    Numeric arrays are read with pickles disabled; object arrays (ragged
    sequences) through `RestrictedUnpickler`.

    Raises:
        ValueError: The file is not a valid `.npz`, lacks one of `keys`, or
            holds a pickle that names anything but NumPy arrays.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            missing = [k for k in keys if f"{k}.npy" not in names]
            if missing:
                raise ValueError(f"it has no array named {', '.join(missing)}")
            return {k: _read_npy(io.BytesIO(archive.read(f"{k}.npy"))) for k in keys}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError) as e:
        raise ValueError(
            f"{path} is not a valid dataset .npz file with arrays {', '.join(keys)} ({e}); "
            "delete it and load the data again."
        ) from e


def _read_npy(f):
    version = np.lib.format.read_magic(f)
    # Version 3 differs from 2 only in the header's text encoding.
    read_header = np.lib.format.read_array_header_1_0 if version[0] == 1 else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read_header(f)
    if not dtype.hasobject:
        f.seek(0)
        return np.lib.format.read_array(f, allow_pickle=False)
    # What follows the header of an object array is a pickle of the array.
    array = RestrictedUnpickler(f, encoding="latin1").load()
    if not isinstance(array, np.ndarray) or array.shape != shape:
        raise ValueError(f"an object array's pickle does not match its header's shape {shape}")
    return array
