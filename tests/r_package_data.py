"""Reads the data sets that Debian's R packages ship, without R.

The end-to-end sequence tests (tests/sequence_program_test.py) train on real data from two small
Debian packages, `r-cran-modeldata` and `r-cran-janeaustenr` (MIT). `make test` fetches their
`.deb` files with `apt-get download` and unpacks them with `dpkg-deb -x` into
`.venv/debian-r-data` (installing them with apt would pull in all of R); a system-wide install in
`/usr/lib/R/site-library` is found too.

An R package keeps its data in a lazy-load database: `data/Rdata.rdx` is a gzipped serialized
index (name -> offset and length in `Rdata.rdb`), and each object in `Rdata.rdb` is a 4-byte length
followed by a zlib, bzip2 or xz stream of R's serialization format (XDR: big-endian integers and
doubles, character strings with their byte length). `read_object` decodes the subset of that
format a data set uses: vectors (logical, integer, double, character, list), their attributes,
pairlists, symbols and references, and R's compact integer sequences. A data frame comes back as
a dict of columns; a factor as its level names per row.
"""
import bz2
import gzip
import lzma
import os
import struct
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNPACKED_LIBRARY = os.path.join(ROOT, ".venv", "debian-r-data", "usr", "lib", "R", "site-library")
SYSTEM_LIBRARY = "/usr/lib/R/site-library"

# R's SEXP type codes, and the pseudo-types of its serialization format.
_SYMSXP, _LISTSXP, _LANGSXP, _CHARSXP, _LGLSXP = 1, 2, 6, 9, 10
_INTSXP, _REALSXP, _STRSXP, _VECSXP, _EXPRSXP = 13, 14, 16, 19, 20
_ALTREP, _ATTRLIST, _ATTRLANG = 238, 239, 240
_EMPTYENV, _BASEENV, _BASENAMESPACE, _MISSINGARG, _UNBOUND, _GLOBALENV = 242, 241, 250, 251, 252, 253
_NILVALUE, _REFSXP = 254, 255


class RVector:
    """An R vector with attributes (names, class, levels ...)."""

    def __init__(self, value, attributes):
        self.value = value
        self.attributes = attributes


class _Unserializer:
    def __init__(self, data):
        self.data = data
        self.at = 0
        self.references = []

    def _int(self):
        (value,) = struct.unpack_from(">i", self.data, self.at)
        self.at += 4
        return value

    def _bytes(self, n):
        out = self.data[self.at:self.at + n]
        self.at += n
        return out

    def _length(self):
        n = self._int()
        if n == -1:  # a long vector: the length follows as two 32-bit halves
            n = (self._int() << 32) + self._int()
        return n

    def read(self):
        if self._bytes(2) != b"X\n":
            raise ValueError("not R's XDR serialization format (expected it to start with 'X\\n')")
        version = self._int()
        self._int(), self._int()  # the writer's R version, the oldest reader's
        if version == 3:
            self._bytes(self._int())  # the native encoding's name
        return self._item()

    def _attributes(self, flags):
        if not flags & (1 << 9):
            return {}
        return dict(self._item())

    def _item(self):
        flags = self._int()
        kind = flags & 0xFF
        if kind in (_NILVALUE, _EMPTYENV, _BASEENV, _BASENAMESPACE, _MISSINGARG, _UNBOUND, _GLOBALENV):
            return None
        if kind == _REFSXP:
            index = flags >> 8 or self._int()
            return self.references[index - 1]
        if kind == _SYMSXP:
            symbol = self._item()
            self.references.append(symbol)
            return symbol
        if kind in (_LISTSXP, _LANGSXP, _ATTRLIST, _ATTRLANG):  # pairlist: [(tag, value), ...]
            self._attributes(flags)
            tag = self._item() if flags & (1 << 10) else None
            head = [(tag, self._item())]
            rest = self._item()
            return head + (rest or [])
        if kind == _CHARSXP:
            n = self._int()
            return None if n == -1 else self._bytes(n).decode("utf-8", errors="replace")
        if kind == _ALTREP:
            return self._altrep()
        if kind in (_LGLSXP, _INTSXP):
            n = self._length()
            value = np.frombuffer(self._bytes(4 * n), dtype=">i4").astype(np.int64)
        elif kind == _REALSXP:
            n = self._length()
            value = np.frombuffer(self._bytes(8 * n), dtype=">f8").astype(np.float64)
        elif kind in (_STRSXP, _VECSXP, _EXPRSXP):
            value = [self._item() for _ in range(self._length())]
        else:
            raise ValueError(f"R object of SEXP type {kind} is not supported (at byte {self.at})")
        attributes = self._attributes(flags)
        return RVector(value, attributes) if attributes else value

    def _altrep(self):
        info, state, attributes = self._item(), self._item(), self._item()
        class_name = info[0][1]
        if class_name == "compact_intseq":
            n, start, step = state
            value = (start + step * np.arange(int(n))).astype(np.int64)
        elif class_name == "compact_realseq":
            n, start, step = state
            value = start + step * np.arange(int(n))
        elif class_name.startswith("wrap_"):
            value = state[0]
        else:
            raise ValueError(f"R's ALTREP class {class_name!r} is not supported")
        return RVector(value, dict(attributes)) if attributes else value


def unserialize(data):
    """Decodes one object in R's XDR serialization format (`serialize(x, NULL)`)."""
    return _Unserializer(data).read()


def _decompress(blob):
    (size,) = struct.unpack(">I", blob[:4])
    kind, body = blob[4:5], blob[5:]
    if kind == b"Z":  # R's xz: a raw LZMA2 stream at preset 9e
        out = lzma.decompress(body, format=lzma.FORMAT_RAW,
                              filters=[{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}])
    elif kind == b"2":
        out = bz2.decompress(body)
    elif kind == b"1":
        out = zlib.decompress(body)
    elif kind == b"0":
        out = body
    else:  # compress=1 databases hold a zlib stream straight after the length
        out = zlib.decompress(blob[4:])
    if len(out) != size:
        raise ValueError(f"decompressed {len(out)} bytes, the header says {size}")
    return out


def find_package(package):
    """Returns the folder of R `package`, or None if neither the unpacked nor the system copy exists."""
    for library in (UNPACKED_LIBRARY, SYSTEM_LIBRARY):
        folder = os.path.join(library, package)
        if os.path.isfile(os.path.join(folder, "data", "Rdata.rdx")):
            return folder
    return None


def read_object(package, name):
    """Reads the data set `name` of the installed R `package`.

    Returns:
        A data frame as a dict {column: values} (numbers as float64 or int64 arrays, strings as
        lists, factors as lists of their level names); a plain vector as an array or a list.
    """
    folder = find_package(package)
    if folder is None:
        raise FileNotFoundError(f"R package {package!r} was found neither in {UNPACKED_LIBRARY} nor in "
                                f"{SYSTEM_LIBRARY}: run `make dataset-r` (it unpacks Debian's r-cran-* packages)")
    prefix = os.path.join(folder, "data", "Rdata")
    with open(prefix + ".rdx", "rb") as f:
        index = unserialize(gzip.decompress(f.read()))
    sections = dict(zip(index.attributes["names"], index.value))
    variables = dict(zip(sections["variables"].attributes["names"], sections["variables"].value))
    if name not in variables:
        raise KeyError(f"R package {package!r} has no data set {name!r}; it has {sorted(variables)}")
    offset, length = (int(v) for v in variables[name])
    with open(prefix + ".rdb", "rb") as f:
        f.seek(offset)
        obj = unserialize(_decompress(f.read(length)))
    return _as_python(obj)


def _as_python(obj):
    if not isinstance(obj, RVector):
        return obj
    classes = obj.attributes.get("class") or []
    if "factor" in classes:
        levels = obj.attributes["levels"]
        return [None if code < 1 else levels[code - 1] for code in obj.value]
    if "data.frame" in classes:
        return {column: _as_python(values) for column, values in zip(obj.attributes["names"], obj.value)}
    return obj.value
