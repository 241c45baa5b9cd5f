"""Reader for the IDX format of MNIST and Fashion-MNIST, gzipped or not.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number
of dimensions), one big-endian uint32 per dimension, then the values in C
order. Every field is checked, so a corrupt or truncated file gives a clear
error instead of a wrongly shaped array.
"""

import gzip
import zlib

import numpy as np

# IDX type codes and the big-endian dtypes they stand for.
_DTYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

# The four files of an MNIST-style dataset, as their publishers name them.
IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def read_idx(path):
    """Reads an IDX file (`.gz` or raw) into a writable NumPy array.

    Args:
        path: Path to the file. Gzip is detected from its first bytes.

    Returns:
        An array of the shape and type the header gives (uint8 for MNIST),
        in native byte order.

    Raises:
        ValueError: The file is not valid IDX, or is truncated or too long.

    Example:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> _ = path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    path = str(path)
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    try:
        with (gzip.open if gzipped else open)(path, "rb") as f:
            return _parse(f, path)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise ValueError(f"{path} is a corrupt or truncated gzip file ({e}); delete it and fetch it again.") from e


def _parse(f, path):
    magic = f.read(4)
    if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] not in _DTYPES or magic[3] == 0:
        raise ValueError(
            f"{path} is not an IDX file: expected a magic number 00 00 <type> <ndim>, "
            f"received {magic.hex(' ') or 'an empty file'}."
        )
    ndim = magic[3]
    header = f.read(4 * ndim)
    if len(header) < 4 * ndim:
        raise ValueError(f"{path} is truncated: its header ends before its {ndim} dimension sizes.")
    shape = tuple(int(d) for d in np.frombuffer(header, ">u4"))
    dtype = np.dtype(_DTYPES[magic[2]])
    data = np.empty(shape, dtype)
    buf = memoryview(data).cast("B")
    got = 0
    while got < len(buf):
        n = f.readinto(buf[got:])
        if not n:
            break
        got += n
    if got < len(buf):
        raise ValueError(
            f"{path} is truncated: its header promises shape {shape} "
            f"({len(buf)} bytes of data) but only {got} bytes follow."
        )
    if f.read(1):
        raise ValueError(f"{path} has more data than its header's shape {shape} allows; the file is corrupt.")
    return data.astype(dtype.newbyteorder("="), copy=False)


def load_image_split(paths):
    """Reads the four `IDX_FILES` at `paths` into `(x_train, y_train), (x_test, y_test)`.

    Checks that the images are uint8 of shape (n, 28, 28) and the labels
    uint8 of shape (n,), with the same n.
    """
    x_train, y_train, x_test, y_test = (read_idx(p) for p in paths)
    check_image_split(x_train, y_train, paths[0], paths[1])
    check_image_split(x_test, y_test, paths[2], paths[3])
    return (x_train, y_train), (x_test, y_test)


def check_image_split(x, y, x_source, y_source):
    """Raises ValueError unless x is uint8 (n, 28, 28) and y is uint8 (n,)."""
    if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"{x_source}: expected uint8 images of shape (n, 28, 28), received {x.dtype} {x.shape}.")
    if y.dtype != np.uint8 or y.shape != (len(x),):
        raise ValueError(
            f"{y_source}: expected uint8 labels of shape ({len(x)},) to match {x_source}, "
            f"received {y.dtype} {y.shape}."
        )
