"""TextVectorization's default pipeline as one compiled pass over the batch's text (numba, when installed).

For `split="whitespace"` and a built-in `standardize` (or None), the kernels
read the batch where NumPy keeps it: a `<U` array is UTF-32, one row of
code points per document, NUL-padded, so no Python string is made or
encoded per document. Each code point is encoded to UTF-8 on the fly and
every step works on those bytes: lowercase ASCII letters, drop ASCII
punctuation, end a token at ASCII whitespace. One loop does them all,
hashing each token as it goes (a 64-bit polynomial hash of its bytes),
forms the n-grams from the tokens' hashes (words joined by one space), and
looks each up in an open-addressing table of the vocabulary hashed the
same way. A probe reads a 16-bit tag per slot (the tags of a 20,000-token
vocabulary fit the L2 cache); only a matching tag leads to the entry,
where a hit is confirmed by comparing the bytes, so the lookup is exact, as
a dictionary's.

As every compiled kernel (`numkeras.backend.compiled_kernels`), an entry
point returns None when it declines (kernels off, numba absent, another
split or standardize, a lone surrogate that UTF-8 cannot encode);
TextVectorization then runs its per-token Python code, the reference, and
`text_vectorization_test.py` checks the two give identical outputs on
corpora with Unicode, punctuation, tabs, NUL characters, empty documents
and n-grams.

Example:
    >>> table = vocabulary_table([b"the", b"cat"], [2, 3])
    >>> found = whitespace_indices(np.array(["The cat, the dog"]), table, lower=True, strip=True, oov=1)
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
# A vocabulary table (`vocabulary_table`) keeps only a 16-bit tag and an entry number per slot: a probe reads 6
# bytes, so the slots of a 20,000-token vocabulary stay in the L2 cache. Its entries, in vocabulary order (the most
# frequent first, after `adapt`), hold the hash, the first 8 bytes, where the bytes are, and the length.
_E_HASH, _E_HEAD, _E_AT, _E_LEN = range(4)


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
    tags = np.zeros(size, np.uint16)  # per slot: a 16-bit fingerprint of the hash (0: an empty slot)
    where = np.zeros(size, np.int32)  # per slot: the entry it holds
    entries = np.zeros((len(tokens), 4), np.int64)  # per entry, in the order given: _E_HASH, _E_HEAD, _E_AT, _E_LEN
    kernel(words, np.cumsum(lengths), tags, where, entries)
    return words, tags, where, entries, np.asarray(ids, dtype=np.int64)


def code_points(docs):
    """A 1-D NumPy array of `str` as a (documents, width) uint32 array of its code points: a view, no copy, when the
    array is contiguous and native-endian. (NumPy stores `<U` strings as UTF-32, NUL-padded to the width.)"""
    width = docs.dtype.itemsize // 4
    if width == 0 or docs.size == 0:
        return np.zeros((len(docs), 1), np.uint32)
    docs = np.ascontiguousarray(docs, dtype=f"U{width}")
    return docs.view(np.uint32).reshape(len(docs), width)


def whitespace_indices(docs, table, lower, strip, oov, widths=(1,), cut=-1, out=None, mode="indices"):
    """The vocabulary indices of each document's whitespace tokens (or their n-grams), or None to decline.

    Args:
        docs: the documents, a 1-D NumPy array of `str`.
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
    codes = code_points(docs)
    widths = np.asarray(widths, dtype=np.int64)
    code = ("indices", "int", "count", "multi_hot").index(mode)
    capacity = 1
    if code == 0:  # a token is at least a code point and a separator
        capacity = int(((np.char.str_len(docs).astype(np.int64) + 1) // 2).sum()) * len(widths) + 1
    out_ids, out_doc = np.empty(capacity, np.int64), np.empty(capacity, np.int64)
    out_int = out if code == 1 else np.zeros((1, 1), np.int64)
    out_float = out if code >= 2 else np.zeros((1, 1), np.float32)
    n = kernel(codes, byte_classes(lower, strip), *table, int(oov), widths, int(cut), code, out_ids,
               out_doc, out_int, out_float)
    if n < 0:  # a lone surrogate: the Python path raises UTF-8's error
        return None
    return (out_ids[:n], out_doc[:n]) if code == 0 else out


def count_tokens(docs, lower, strip):
    """(distinct whitespace tokens as bytes, their counts, how many documents hold each), or None to decline.

    What `adapt` counts for unigrams of `docs` (a 1-D NumPy array of `str`), in one compiled pass: tokens are
    told apart by hash, length and bytes.
    """
    kernel = compiled_kernels.compiled(_define, "count_documents") if compiled_kernels.is_enabled() else None
    if kernel is None:
        return None
    found, text, ok = kernel(code_points(docs), byte_classes(lower, strip))
    if not ok:
        return None
    at, size, counts, documents = found[:, _AT], found[:, _LEN], found[:, _COUNT], found[:, _DOCS]
    data = text.tobytes()
    tokens = [data[a:a + n] for a, n in zip(at.tolist(), size.tolist())]
    return tokens, counts, documents


def _define(jit):
    base = np.uint64(0x9E3779B97F4A7C15)  # odd: a polynomial hash of the bytes, modulo 2**64
    space = np.uint64(ord(" ") + 1)
    mixer = np.uint64(0xFF51AFD7ED558CCD)
    hash_, len_, at_, id_, head_, count_, docs_, last_ = _HASH, _LEN, _AT, _ID, _HEAD, _COUNT, _DOCS, _LAST
    e_hash, e_head, e_at, e_len = _E_HASH, _E_HEAD, _E_AT, _E_LEN

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
    def tag(h):
        """A 16-bit fingerprint of hash `h` from other bits of the mixed hash than `home`'s, never 0 (empty)."""
        t = np.uint16((((h ^ (h >> np.uint64(31))) * mixer) >> np.uint64(16)) & np.uint64(0xFFFF))
        return t if t != 0 else np.uint16(1)

    @jit
    def build_table(words, ends, tags, where, entries):
        mask = len(tags) - 1
        shift = shift_for(len(tags))
        start = 0
        for k in range(len(ends)):
            h, head = np.uint64(0), np.uint64(0)
            for p in range(start, ends[k]):
                h = h * base + (np.uint64(words[p]) + np.uint64(1))
                if p - start < 8:
                    head |= np.uint64(words[p]) << np.uint64(8 * (p - start))
            i = home(h, shift)
            while tags[i] != 0:
                i = (i + 1) & mask
            tags[i], where[i] = tag(h), k
            entries[k, e_hash], entries[k, e_head], entries[k, e_at], entries[k, e_len] = (
                np.int64(h), np.int64(head), start, ends[k] - start)
            start = ends[k]

    @jit
    def doc_end(codes, d):
        """Where document d's code points end: NumPy's `<U` strings are padded with NULs, which are not theirs."""
        e = codes.shape[1]
        while e > 0 and codes[d, e - 1] == 0:
            e -= 1
        return e

    @jit
    def scan(codes, d, classes, text, m, t_hash, t_at, t_len, t_head):
        """Standardizes and splits document d (a row of code points) into `text` (UTF-8) from position m; records
        each token's hash, place, length and first 8 bytes. Returns (tokens found, new m); -1 tokens when the
        document holds a code point that UTF-8 cannot encode (a lone surrogate), for Python to report."""
        count, h, length, head = 0, np.uint64(0), 0, np.uint64(0)
        end = doc_end(codes, d)
        for p in range(end + 1):
            if p < end:
                cp = np.int64(codes[d, p])
                if cp < 128:
                    c = classes[cp]
                    if c == -1:  # punctuation, stripped
                        continue
                    if c >= 0:
                        text[m] = c
                        m += 1
                        h = h * base + np.uint64(c + 1)
                        length += 1
                        continue
                else:  # a multi-byte UTF-8 sequence: never punctuation, whitespace or an ASCII capital
                    if cp < 0x800:
                        n = 2
                        lead = 0xC0 | (cp >> 6)
                    elif cp < 0x10000:
                        if 0xD800 <= cp < 0xE000:
                            return -1, m
                        n = 3
                        lead = 0xE0 | (cp >> 12)
                    elif cp < 0x110000:
                        n = 4
                        lead = 0xF0 | (cp >> 18)
                    else:
                        return -1, m
                    for k in range(n):
                        b = lead if k == 0 else 0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F)
                        text[m] = b
                        m += 1
                        h = h * base + np.uint64(b + 1)
                        length += 1
                    continue
            if length > 0:  # whitespace or the end closes a token: its first 8 bytes, packed, are compared first
                head = np.uint64(0)
                for r in range(min(length, 8)):
                    head |= np.uint64(text[m - length + r]) << np.uint64(8 * r)
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
    def index_documents(codes, classes, words, tags, where, entries, ids, oov, widths, cut, mode, out_ids, out_doc,
                        out_int, out_float):
        mask = len(tags) - 1
        shift = shift_for(len(tags))
        longest = codes.shape[1]
        powers = np.empty(4 * longest + 2 if widths.max() > 1 else 1, np.uint64)  # base**k, for the n-grams
        powers[0] = 1
        for k in range(1, len(powers)):
            powers[k] = powers[k - 1] * base
        text = np.empty(4 * longest, np.uint8)  # the current document, standardized, tokens back to back
        t_hash = np.empty(longest + 1, np.uint64)
        t_at = np.empty(longest + 1, np.int64)
        t_len = np.empty(longest + 1, np.int64)
        t_head = np.empty(longest + 1, np.uint64)
        n = 0
        for d in range(codes.shape[0]):
            count, _ = scan(codes, d, classes, text, 0, t_hash, t_at, t_len, t_head)
            if count < 0:
                return -1
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
                    i, fingerprint = home(g, shift), tag(g)
                    while tags[i] != 0:  # an entry is read only when the tag matches
                        k = where[i] if tags[i] == fingerprint else -1
                        if k >= 0 and entries[k, e_hash] == np.int64(g) and entries[k, e_len] == gl:  # and the bytes
                            if w == 1:
                                same = entries[k, e_head] == np.int64(t_head[j]) and same_bytes(
                                    words, entries[k, e_at], text, t_at[j], gl)
                            else:
                                p, same = entries[k, e_at], True
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
                                found = ids[k]
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
    def count_documents(codes, classes):
        size = 1 << 16
        slots = np.zeros((size, 8), np.int64)
        slots[:, id_] = -1
        mask, shift = size - 1, shift_for(size)
        used = 0
        longest = codes.shape[1]
        text = np.empty(max(1 << 16, 8 * longest), np.uint8)  # the distinct tokens' bytes, then the document's
        t_hash = np.empty(longest + 1, np.uint64)
        t_at = np.empty(longest + 1, np.int64)
        t_len = np.empty(longest + 1, np.int64)
        t_head = np.empty(longest + 1, np.uint64)
        m = 0
        for d in range(codes.shape[0]):
            if m + 4 * longest > len(text):  # room for this document's bytes after the distinct tokens'
                grown = np.empty(2 * len(text) + 4 * longest, np.uint8)
                grown[:m] = text[:m]
                text = grown
            count, m_end = scan(codes, d, classes, text, m, t_hash, t_at, t_len, t_head)
            if count < 0:
                return slots[:0], text[:0], False
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
        return slots[slots[:, id_] >= 0], text[:m], True

    return {"build_table": build_table, "index_documents": index_documents, "count_documents": count_documents}
