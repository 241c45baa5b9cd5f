"""tests/r_package_data.py decodes R's serialization format: checked on bytes written here by hand."""
import bz2
import gzip
import lzma
import struct
import zlib

import numpy as np
import pytest

from tests import r_package_data
from tests.r_package_data import RVector, unserialize

HAS_ATTR, HAS_TAG = 1 << 9, 1 << 10


def i32(*values):
    return struct.pack(f">{len(values)}i", *values)


def header(version=3):
    out = b"X\n" + i32(version, 0x040201, 0x030500)
    return out + (i32(5) + b"UTF-8" if version == 3 else b"")


def char(text):
    if text is None:
        return i32(9, -1)
    raw = text.encode()
    return i32(9 | (1 << 15), len(raw)) + raw  # CHARSXP flagged UTF-8


def strings(*texts, flags=0):
    return i32(16 | flags, len(texts)) + b"".join(char(t) for t in texts)


def symbol(name):
    return i32(1) + char(name)


def attribute(tag, value, last=True):
    """One pairlist cell tagged `tag` (a symbol written out in full, or a reference)."""
    return i32(2 | HAS_TAG) + tag + value + (i32(254) if last else b"")


def test_a_character_vector_with_a_missing_value():
    assert unserialize(header() + strings("Emma", None, "é")) == ["Emma", None, "é"]


def test_integers_doubles_and_a_version_2_header():
    assert unserialize(header(2) + i32(13, 3, 1, -2, 7)).tolist() == [1, -2, 7]
    doubles = unserialize(header() + i32(14, 2) + struct.pack(">2d", 0.5, -3.25))
    assert doubles.dtype == np.float64 and doubles.tolist() == [0.5, -3.25]


def test_a_data_frame_with_a_factor_a_compact_row_sequence_and_a_symbol_reference():
    factor = (i32(13 | HAS_ATTR | (1 << 8), 3, 2, 1, 2)
              + attribute(symbol("levels"), strings("great", "other"), last=False)
              + attribute(symbol("class"), strings("factor")))
    numbers = i32(14, 3) + struct.pack(">3d", 1.0, 2.0, 3.0)
    compact_rows = (i32(238) + i32(2) + symbol("compact_intseq") + i32(2) + symbol("base")
                    + i32(2) + i32(13, 1, 13) + i32(254)  # info: class, package, type
                    + i32(14, 3) + struct.pack(">3d", 3.0, 1.0, 1.0) + i32(254))  # state: n, start, step
    class_reference = i32(255 | (2 << 8))  # the second symbol read ("levels", then "class")
    frame = (i32(19 | HAS_ATTR | (1 << 8), 2) + factor + numbers
             + attribute(symbol("names"), strings("score", "x"), last=False)
             + attribute(class_reference, strings("data.frame"), last=False)
             + attribute(symbol("row.names"), compact_rows))
    obj = unserialize(header() + frame)
    assert isinstance(obj, RVector) and obj.attributes["row.names"].tolist() == [1, 2, 3]
    table = r_package_data._as_python(obj)
    assert table["score"] == ["other", "great", "other"]
    assert table["x"].tolist() == [1.0, 2.0, 3.0]


def test_every_compression_of_a_lazy_load_database():
    data = header() + strings("a")
    size = struct.pack(">I", len(data))
    xz = lzma.compress(data, format=lzma.FORMAT_RAW,
                       filters=[{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}])
    for blob in (size + zlib.compress(data), size + b"1" + zlib.compress(data), size + b"2" + bz2.compress(data),
                 size + b"Z" + xz, size + b"0" + data):
        assert unserialize(r_package_data._decompress(blob)) == ["a"]
    with pytest.raises(ValueError, match="header says"):
        r_package_data._decompress(struct.pack(">I", 99) + b"0" + data)


def test_a_whole_package_directory(tmp_path, monkeypatch):
    """An index naming two objects, a database holding them, found through the unpacked library."""
    first, second = header() + strings("x", "y"), header() + i32(13, 1, 42)
    blobs = [struct.pack(">I", len(d)) + zlib.compress(d) for d in (first, second)]
    offsets = [(0, len(blobs[0])), (len(blobs[0]), len(blobs[1]))]
    entries = b"".join(i32(13, 2, *pair) for pair in offsets)
    variables = (i32(19 | HAS_ATTR, 2) + entries + attribute(symbol("names"), strings("letters", "answer")))
    index = (i32(19 | HAS_ATTR, 3) + variables + i32(19, 0) + i32(10, 1, 1)
             + attribute(symbol("names"), strings("variables", "references", "compressed")))
    data_dir = tmp_path / "toy" / "data"
    data_dir.mkdir(parents=True)
    (data_dir / "Rdata.rdx").write_bytes(gzip.compress(header() + index))
    (data_dir / "Rdata.rdb").write_bytes(b"".join(blobs))
    monkeypatch.setattr(r_package_data, "UNPACKED_LIBRARY", str(tmp_path))
    assert r_package_data.read_object("toy", "letters") == ["x", "y"]
    assert r_package_data.read_object("toy", "answer").tolist() == [42]
    with pytest.raises(KeyError, match="has no data set 'missing'"):
        r_package_data.read_object("toy", "missing")
    with pytest.raises(FileNotFoundError, match="make dataset-r"):
        r_package_data.read_object("absent", "letters")
