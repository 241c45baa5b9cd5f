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
# The columns of a table slot (int64; a hash is stored as its bit pattern): the hash, the entry's length, where
# its bytes are, its vocabulary index (-1: an empty slot), its first 8 bytes packed; counting adds the count,
# the number of documents and the last document counted.
_HASH, _LEN, _AT, _ID, _HEAD, _COUNT, _DOCS, _LAST = range(8)
_SLOT = 8


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
    slots = np.zeros((size, _SLOT), np.int64)  # one 64-byte row per slot: a probe reads one cache line
    slots[:, _ID] = -1
    kernel(words, np.cumsum(lengths), np.asarray(ids, dtype=np.int64), slots)
    return words, slots


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
    n = kernel(buf, np.cumsum(lengths), byte_classes(lower, strip), table[0], table[1], int(oov), widths, int(cut),
               code, out_ids, out_doc, out_int, out_float)
    return (out_ids[:n], out_doc[:n]) if code == 0 else out


def count_tokens(encoded_docs, lower, strip):
    """(distinct whitespace tokens as bytes, their counts, how many documents hold each), or None to decline.

    What `adapt` counts for unigrams, in one compiled pass: tokens are told apart by hash, length and bytes.
    """
    kernel = compiled_kernels.compiled(_define, "count_documents") if compiled_kernels.is_enabled() else None
    if kernel is None:
        return None
    lengths = np.fromiter(map(len, encoded_docs), dtype=np.int64, count=len(encoded_docs))
    buf = np.frombuffer(b"".join(encoded_docs) + b"\0", dtype=np.uint8)
    text = np.empty(len(buf), np.uint8)
    found = kernel(buf, np.cumsum(lengths), byte_classes(lower, strip), text)
    at, size, counts, documents = found[:, _AT], found[:, _LEN], found[:, _COUNT], found[:, _DOCS]
    data = text.tobytes()
    tokens = [data[a:a + n] for a, n in zip(at.tolist(), size.tolist())]
    return tokens, counts, documents


def _define(jit):
    base = np.uint64(0x9E3779B97F4A7C15)  # odd: a polynomial hash of the bytes, modulo 2**64
    space = np.uint64(ord(" ") + 1)
    mixer = np.uint64(0xFF51AFD7ED558CCD)
    hash_, len_, at_, id_, head_, count_, docs_, last_ = _HASH, _LEN, _AT, _ID, _HEAD, _COUNT, _DOCS, _LAST

    @jit
    def shift_for(size):
        """64 - log2(size): the shift that leaves a slot number of a table of `size` (a power of two) slots."""
        k = 0
        while (1 << k) < size:
            k += 1
        return np.uint64(64 - k)

    @jit
    def home(h, shift):
        """The first slot to probe for hash `h`: the mixed hash's high bits (a polynomial hash modulo 2**64 has
        weak low bits)."""
        return np.int64(((h ^ (h >> np.uint64(31))) * mixer) >> shift)

    @jit
    def build_table(words, ends, ids, slots):
        mask = len(slots) - 1
        shift = shift_for(len(slots))
        start = 0
        for k in range(len(ends)):
            h, head = np.uint64(0), np.uint64(0)
            for p in range(start, ends[k]):
                h = h * base + (np.uint64(words[p]) + np.uint64(1))
                if p - start < 8:
                    head |= np.uint64(words[p]) << np.uint64(8 * (p - start))
            i = home(h, shift)
            while slots[i, id_] >= 0:
                i = (i + 1) & mask
            slots[i, hash_], slots[i, len_], slots[i, at_] = np.int64(h), ends[k] - start, start
            slots[i, id_], slots[i, head_] = ids[k], np.int64(head)
            start = ends[k]

    @jit
    def scan(buf, begin, end, classes, text, m, t_hash, t_at, t_len, t_head):
        """Standardizes and splits buf[begin:end] into `text` from position m; records each token's hash, place,
        length and first 8 bytes. Returns (tokens found, new m)."""
        count, h, length, head = 0, np.uint64(0), 0, np.uint64(0)
        for p in range(begin, end + 1):
            if p < end:
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
            if length > 0:  # whitespace or the end closes a token
                t_hash[count], t_at[count], t_len[count], t_head[count] = h, m - length, length, head
                count += 1
                h, length, head = np.uint64(0), 0, np.uint64(0)
        return count, m

    @jit
    def same_bytes(words, a, text, b, length):
        for r in range(8, length):  # the first 8 are compared packed
            if words[a + r] != text[b + r]:
                return False
        return True

    @jit
    def index_documents(buf, ends, classes, words, slots, oov, widths, cut, mode, out_ids, out_doc, out_int,
                        out_float):
        mask = len(slots) - 1
        shift = shift_for(len(slots))
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
        t_head = np.empty(longest, np.uint64)
        n = 0
        start = 0
        for d in range(len(ends)):
            count, _ = scan(buf, start, ends[d], classes, text, 0, t_hash, t_at, t_len, t_head)
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
                    i = home(g, shift)
                    while slots[i, id_] >= 0:
                        if slots[i, hash_] == np.int64(g) and slots[i, len_] == gl:  # confirm with the bytes
                            if w == 1:
                                same = slots[i, head_] == np.int64(t_head[j]) and same_bytes(
                                    words, slots[i, at_], text, t_at[j], gl)
                            else:
                                p, same = slots[i, at_], True
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
                                found = slots[i, id_]
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

    @jit
    def count_documents(buf, ends, classes, text):
        size = 1 << 16
        slots = np.zeros((size, 8), np.int64)
        slots[:, id_] = -1
        mask, shift = size - 1, shift_for(size)
        used = 0
        longest = 0
        start = 0
        for k in range(len(ends)):
            longest = max(longest, ends[k] - start + 1)
            start = ends[k]
        t_hash = np.empty(longest, np.uint64)
        t_at = np.empty(longest, np.int64)
        t_len = np.empty(longest, np.int64)
        t_head = np.empty(longest, np.uint64)
        m = 0
        start = 0
        for d in range(len(ends)):
            count, m_end = scan(buf, start, ends[d], classes, text, m, t_hash, t_at, t_len, t_head)
            start = ends[d]
            keep_to = m  # bytes of the new distinct tokens are moved down to here
            for j in range(count):
                if 2 * (used + 1) > size:  # keep the table at most half full: double it
                    old = slots
                    size *= 2
                    slots = np.zeros((size, 8), np.int64)
                    slots[:, id_] = -1
                    mask, shift = size - 1, shift_for(size)
                    for k in range(len(old)):
                        if old[k, id_] >= 0:
                            i = home(np.uint64(old[k, hash_]), shift)
                            while slots[i, id_] >= 0:
                                i = (i + 1) & mask
                            slots[i] = old[k]
                h, length, at = t_hash[j], t_len[j], t_at[j]
                i = home(h, shift)
                while slots[i, id_] >= 0:
                    if (slots[i, hash_] == np.int64(h) and slots[i, len_] == length
                            and slots[i, head_] == np.int64(t_head[j])
                            and same_bytes(text, slots[i, at_], text, at, length)):
                        break
                    i = (i + 1) & mask
                if slots[i, id_] < 0:  # a new token: keep its bytes
                    for r in range(length):
                        text[keep_to + r] = text[at + r]
                    slots[i, hash_], slots[i, len_], slots[i, at_] = np.int64(h), length, keep_to
                    slots[i, id_], slots[i, head_], slots[i, last_] = used, np.int64(t_head[j]), -1
                    keep_to += length
                    used += 1
                slots[i, count_] += 1
                if slots[i, last_] != d:
                    slots[i, last_] = d
                    slots[i, docs_] += 1
            m = keep_to
        return slots[slots[:, id_] >= 0]

    return {"build_table": build_table, "index_documents": index_documents, "count_documents": count_documents}
