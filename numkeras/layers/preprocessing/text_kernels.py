"""TextVectorization's default pipeline as one compiled pass over the batch's bytes (numba, when installed).

For `split="whitespace"` and a built-in `standardize` (or None), every step
works on UTF-8 bytes one at a time: lowercase ASCII letters, drop ASCII
punctuation, end a token at ASCII whitespace. One loop does them all over
the documents joined into one byte array, hashing each token as it goes (a
64-bit polynomial hash of its bytes), forms the n-grams from the tokens'
hashes (words joined by one space), and looks each up in an open-addressing
table of the vocabulary hashed the same way. A hit is confirmed by
comparing the bytes, so the lookup is exact, as a dictionary's.

As every compiled kernel (`numkeras.backend.compiled_kernels`), an entry
point returns None when it declines (kernels off, numba absent, another
split or standardize); TextVectorization then runs its per-token Python
code, the reference, and `text_vectorization_test.py` checks the two give
identical outputs on corpora with Unicode, punctuation, tabs, NUL bytes,
empty documents and n-grams.

Example:
    >>> table = vocabulary_table([b"the", b"cat"], [2, 3])
    >>> found = whitespace_indices([b"The cat, the dog"], table, lower=True, strip=True, oov=1)
    >>> found is None or found[0].tolist() == [2, 3, 2, 1]
    True
"""
import numpy as np

from numkeras.backend import compiled_kernels

PUNCTUATION = b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"  # ASCII's 32, as Keras's regular expression
_IS_PUNCT = np.zeros(256, dtype=np.bool_)
_IS_PUNCT[list(PUNCTUATION)] = True
_IS_SPACE = np.zeros(256, dtype=np.bool_)
_IS_SPACE[list(b" \t\n\v\f\r")] = True  # tf.strings.split's whitespace (and bytes.split's)
_SKIP, _SPACE = -1, -2


def byte_classes(lower, strip):
    """What the scan does with each byte value: keep it as the value given (lowercased), skip it, or split."""
    out = np.arange(256, dtype=np.int16)
    if lower:
        out[ord("A"):ord("Z") + 1] += 32
    if strip:
        out[_IS_PUNCT] = _SKIP
    out[_IS_SPACE] = _SPACE
    return out


def vocabulary_table(tokens, ids):
    """An open-addressing table of `tokens` (bytes) -> `ids`, or None when the compiled kernels are off."""
    kernel = compiled_kernels.compiled(_define, "build_table") if compiled_kernels.is_enabled() else None
    if kernel is None:
        return None
    pairs = [(t, i) for t, i in zip(tokens, ids) if t]  # the empty mask token never matches a token
    tokens, ids = [t for t, _ in pairs], [i for _, i in pairs]
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    words = np.frombuffer(b"".join(tokens) + b"\0", dtype=np.uint8)
    size = 1 << max(4, int(2 * len(tokens)).bit_length())  # a power of two, at least twice the entries
    slots = (np.zeros(size, np.uint64), np.zeros(size, np.int64), np.zeros(size, np.int64), np.full(size, -1, np.int64),
             np.zeros(size, np.uint64))
    kernel(words, np.cumsum(lengths), np.asarray(ids, dtype=np.int64), *slots)
    return (words,) + slots


def whitespace_indices(encoded_docs, table, lower, strip, oov, widths=(1,), cut=-1, out=None, mode="indices"):
    """The vocabulary indices of each document's whitespace tokens (or their n-grams), or None to decline.

    Args:
        encoded_docs: the documents as UTF-8 bytes.
        table: `vocabulary_table`'s result.
        lower, strip: lowercase ASCII letters; drop ASCII punctuation.
        oov: the index of a token not in the table.
        widths: the n-gram widths, in order (1: the tokens themselves).
        cut: keep only the first `cut` indices of each document (-1: all).
        out: for the other modes, a zero array with a row per document that the kernel fills.
        mode: "indices": returns (indices, document of each), in order; "int": writes document d's indices
            into out[d, :cut]; "count" / "multi_hot": adds 1 to (sets to 1) out[d, index] for each index.
    """
    kernel = compiled_kernels.compiled(_define, "index_documents") if (
        table is not None and compiled_kernels.is_enabled()) else None
    if kernel is None:
        return None
    lengths = np.fromiter(map(len, encoded_docs), dtype=np.int64, count=len(encoded_docs))
    buf = np.frombuffer(b"".join(encoded_docs) + b"\0", dtype=np.uint8)
    widths = np.asarray(widths, dtype=np.int64)
    code = ("indices", "int", "count", "multi_hot").index(mode)
    capacity = int(((lengths + 1) // 2).sum()) * len(widths) + 1 if code == 0 else 1  # a token: a byte and a space
    out_ids, out_doc = np.empty(capacity, np.int64), np.empty(capacity, np.int64)
    out_int = out if code == 1 else np.zeros((1, 1), np.int64)
    out_float = out if code >= 2 else np.zeros((1, 1), np.float32)
    n = kernel(buf, np.cumsum(lengths), byte_classes(lower, strip), *table, int(oov), widths, int(cut), code, out_ids,
               out_doc, out_int, out_float)
    return (out_ids[:n], out_doc[:n]) if code == 0 else out


def _define(jit):
    base = np.uint64(0x9E3779B97F4A7C15)  # odd: a polynomial hash of the bytes, modulo 2**64
    space = np.uint64(ord(" ") + 1)

    @jit
    def build_table(words, ends, ids, slot_hash, slot_len, slot_at, slot_id, slot_head):
        mask = len(slot_id) - 1
        start = 0
        for k in range(len(ends)):
            h, head = np.uint64(0), np.uint64(0)
            for p in range(start, ends[k]):
                h = h * base + (np.uint64(words[p]) + np.uint64(1))
                if p - start < 8:
                    head |= np.uint64(words[p]) << np.uint64(8 * (p - start))
            i = np.int64(h & np.uint64(mask))
            while slot_id[i] >= 0:
                i = (i + 1) & mask
            slot_hash[i], slot_len[i], slot_at[i], slot_id[i], slot_head[i] = h, ends[k] - start, start, ids[k], head
            start = ends[k]

    @jit
    def index_documents(buf, ends, classes, words, slot_hash, slot_len, slot_at, slot_id, slot_head, oov, widths, cut,
                        mode, out_ids, out_doc, out_int, out_float):
        mask = len(slot_id) - 1
        longest = 0
        start = 0
        for k in range(len(ends)):
            longest = max(longest, ends[k] - start + 1)
            start = ends[k]
        powers = np.empty(longest + 2, np.uint64)  # base**k
        powers[0] = 1
        for k in range(1, longest + 2):
            powers[k] = powers[k - 1] * base
        text = np.empty(longest, np.uint8)  # the current document, standardized, tokens back to back
        t_hash = np.empty(longest, np.uint64)
        t_at = np.empty(longest, np.int64)
        t_len = np.empty(longest, np.int64)
        t_head = np.empty(longest, np.uint64)  # a token's first 8 bytes, packed: most words compare in one step
        n = 0
        start = 0
        for d in range(len(ends)):
            count, m, h, length, head = 0, 0, np.uint64(0), 0, np.uint64(0)
            for p in range(start, ends[d] + 1):
                if p < ends[d]:
                    c = classes[buf[p]]
                    if c == -1:  # punctuation, stripped
                        continue
                    if c >= 0:
                        text[m] = c
                        m += 1
                        h = h * base + np.uint64(c + 1)
                        if length < 8:
                            head |= np.uint64(c) << np.uint64(8 * length)
                        length += 1
                        continue
                if length > 0:  # whitespace or the document's end closes a token
                    t_hash[count], t_at[count], t_len[count], t_head[count] = h, m - length, length, head
                    count += 1
                    h, length, head = np.uint64(0), 0, np.uint64(0)
            start = ends[d]
            emitted = 0
            for w in widths:
                for j in range(count - w + 1):
                    if cut >= 0 and emitted >= cut:
                        break
                    g, gl = t_hash[j], t_len[j]
                    for q in range(j + 1, j + w):  # append " " + the next word: H(x + y) = H(x) B^len(y) + H(y)
                        g = g * powers[t_len[q] + 1] + space * powers[t_len[q]] + t_hash[q]
                        gl += t_len[q] + 1
                    found = oov
                    i = np.int64(g & np.uint64(mask))
                    while slot_id[i] >= 0:
                        if slot_hash[i] == g and slot_len[i] == gl:  # confirm: the entry's bytes spell the n-gram
                            same = True
                            if w == 1:
                                a, b = slot_at[i], t_at[j]
                                same = slot_head[i] == t_head[j]
                                for r in range(8, gl if same else 0):
                                    if words[a + r] != text[b + r]:
                                        same = False
                                        break
                            else:
                                p = slot_at[i]
                                for q in range(j, j + w):
                                    if q > j:
                                        same = words[p] == 32
                                        p += 1
                                    for r in range(t_len[q]):
                                        if not same or words[p + r] != text[t_at[q] + r]:
                                            same = False
                                            break
                                    p += t_len[q]
                                    if not same:
                                        break
                            if same:
                                found = slot_id[i]
                                break
                        i = (i + 1) & mask
                    if mode == 0:
                        out_ids[n] = found
                        out_doc[n] = d
                        n += 1
                    elif mode == 1:
                        out_int[d, emitted] = found
                    elif 0 <= found < out_float.shape[1]:
                        out_float[d, found] = out_float[d, found] + 1 if mode == 2 else 1
                    emitted += 1
        return n

    return {"build_table": build_table, "index_documents": index_documents}
