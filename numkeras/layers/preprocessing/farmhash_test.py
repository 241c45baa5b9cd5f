import numpy as np

from numkeras.layers.preprocessing.farmhash import fingerprint64, hash_bucket

# FarmHash's own self-test (src/farmhash.cc, farmhashnaTest): Hash64 of data[i*i : i*i + i] for the
# pseudorandom bytes its Setup() writes. The expected values are those the test lists (its 5th and 6th
# numbers of each group, high and low 32 bits), chosen to cover every length branch: 0, 1-3, 4-7, 8-16,
# 17-32, 33-64 and the 64-byte loop (one and several rounds).
_EXPECTED = {0: 0x9ae16a3b2f90404f, 1: 0x541150e87f415e96, 2: 0xf3786a4b25827c1, 3: 0xef923a7a1af78eab,
             5: 0x831f448bdc5600b3, 8: 0xa0f10149a0e538d6, 13: 0x851fff285561dca0, 16: 0x3ead5f21d344056,
             17: 0x6abbfde37ee03b5b, 24: 0x36a097aa49519d97, 32: 0x782fa1b08b475e7, 33: 0x9deb3da5e16b5b8,
             50: 0x7e1714daf34531b9, 64: 0xdef74bf4c9f1bc1b, 65: 0x3cceab392bc39b3f, 100: 0x5ad36f677825ce0,
             128: 0xf4a9a248b462909d, 129: 0xd4f7c858d78153b6, 200: 0x40f32eb90e5caa01, 298: 0x2031c84bc57a1a9f}


def _farmhash_test_data(size):
    """The bytes FarmHash's self-test hashes (its Setup(): a 64-bit generator, one byte per step)."""
    mask, k0 = (1 << 64) - 1, 0xc3a5c85c97cb3127
    a, b = 9, 777
    out = bytearray(size)
    for i in range(size):
        a = (a + b) & mask
        b = (b + a) & mask
        a = ((a ^ (a >> 41)) * k0) & mask
        b = ((b ^ (b >> 41)) * k0 + i) & mask
        out[i] = (b >> 37) & 0xFF
    return bytes(out)


def test_matches_farmhash_self_test_vectors():
    data = _farmhash_test_data(298 * 298 + 298)
    for i, expected in _EXPECTED.items():
        assert fingerprint64(data[i * i:i * i + i]) == expected, i


def test_hash_bucket_matches_tensorflow_examples_and_is_stable():
    # tf.strings.to_hash_bucket_fast(["A".."E"], 3), as Keras's Hashing docstring shows it.
    assert hash_bucket(list("ABCDE"), 3) == [1, 0, 1, 1, 2]
    assert hash_bucket(["é"], 1 << 62) == [fingerprint64("é".encode()) % (1 << 62)]
    assert hash_bucket([b"A"], 3) == hash_bucket(["A"], 3)
    assert all(0 <= h < 7 for h in hash_bucket([str(i) for i in np.arange(50)], 7))
