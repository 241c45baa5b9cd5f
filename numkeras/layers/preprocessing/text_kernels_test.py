import collections

import numpy as np
import pytest

from numkeras.backend import compiled_kernels
from numkeras.layers.preprocessing import text_kernels

DOCS = np.array(["The cat, the DOG!", "", "  \t ", "caf\u00e9 caf\u00e9s a\x00b a\x00b", "x-y x y\r\nz",
                 "supercalifragilistic supercalifragilistic! super",
                 "\u00dcber \u65e5\u672c \U0001f600x \u00c9T\u00c9"])


def _python_tokens(doc, lower, strip):
    doc = doc.encode("utf-8")
    if lower:
        doc = doc.lower()
    if strip:
        doc = doc.translate(None, text_kernels.PUNCTUATION)
    return doc.split()


def test_kernels_decline_when_switched_off():
    before = compiled_kernels.is_enabled()
    compiled_kernels.set_enabled(False)
    try:
        assert text_kernels.vocabulary_table([b"a"], [2]) is None
        assert text_kernels.count_tokens(DOCS, True, True) is None
        assert text_kernels.whitespace_indices(DOCS, None, True, True, 1) is None
    finally:
        compiled_kernels.set_enabled(before)


@pytest.mark.parametrize("lower,strip", [(True, True), (False, False), (True, False), (False, True)])
def test_counts_and_indices_match_python_tokenization(lower, strip):
    if not compiled_kernels.is_enabled():  # numba absent: the kernels decline, the Python path runs instead
        assert text_kernels.count_tokens(DOCS, lower, strip) is None
        return
    rows = [_python_tokens(d, lower, strip) for d in DOCS]
    tokens, counts, documents = text_kernels.count_tokens(DOCS, lower, strip)
    assert dict(zip(tokens, counts.tolist())) == collections.Counter(t for row in rows for t in row)
    assert dict(zip(tokens, documents.tolist())) == collections.Counter(t for row in rows for t in set(row))
    vocabulary = sorted(set(t for row in rows for t in row))[::2] + [b"x y", b"the cat"]
    index = {t: i + 2 for i, t in enumerate(vocabulary)}
    table = text_kernels.vocabulary_table(vocabulary, list(index.values()))
    ids, doc = text_kernels.whitespace_indices(DOCS, table, lower, strip, oov=1, widths=(1, 2))
    expected = [index.get(t, 1) for row in rows for t in row + [a + b" " + b for a, b in zip(row, row[1:])]]
    assert ids.tolist() == expected
    assert doc.tolist() == [d for d, row in enumerate(rows) for _ in range(max(2 * len(row) - 1, 0))]
    counts_out = text_kernels.whitespace_indices(DOCS, table, lower, strip, oov=1, widths=(1, 2), mode="count",
                                                 out=np.zeros((len(DOCS), len(vocabulary) + 2), "float32"))
    expected_counts = np.zeros_like(counts_out)
    np.add.at(expected_counts, (doc, ids), 1)
    np.testing.assert_array_equal(counts_out, expected_counts)
