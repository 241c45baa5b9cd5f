import numpy as np
import pytest

from numkeras.layers.preprocessing import Hashing
from numkeras.layers.preprocessing.hashing import siphash24

LETTERS = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])


def test_bins_match_tensorflow_documented_outputs():
    # Keras's Hashing docstring (outputs of TensorFlow's to_hash_bucket_fast / _strong).
    assert Hashing(3)(LETTERS).numpy().ravel().tolist() == [1, 0, 1, 1, 2]
    masked = Hashing(3, mask_value="")(np.array([["A"], ["B"], [""], ["C"], ["D"]]))
    assert masked.numpy().ravel().tolist() == [1, 1, 0, 2, 2]
    assert Hashing(3, salt=[133, 137])(LETTERS).numpy().ravel().tolist() == [1, 2, 1, 0, 2]
    assert Hashing(3, salt=133)(LETTERS).numpy().ravel().tolist() == [0, 0, 2, 1, 0]


def test_siphash_reference_vector():
    # SipHash-2-4 paper (Aumasson & Bernstein), appendix A: key 00..0f, message 00..0e.
    key = bytes(range(16))
    assert siphash24(int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little"),
                     bytes(range(15))) == 0xa129ca6149be45e5


def test_integers_hash_as_their_decimal_text_and_encodings():
    ints = Hashing(7)(np.array([[12], [3]])).numpy()
    strings = Hashing(7)(np.array([["12"], ["3"]])).numpy()
    np.testing.assert_array_equal(ints, strings)
    multi = Hashing(4, output_mode="multi_hot")(np.array([["a", "a", "b"]])).numpy()
    assert multi.shape == (1, 4) and multi.sum() in (1.0, 2.0) and multi.max() == 1.0
    assert Hashing(4, output_mode="one_hot").compute_output_shape((None, 1)) == (None, 4)


def test_errors_and_config():
    with pytest.raises(ValueError, match="num_bins must be a positive integer"):
        Hashing(0)
    with pytest.raises(ValueError, match="salt must be an int or a pair"):
        Hashing(3, salt="x")
    layer = Hashing(5, salt=3, mask_value="")
    clone = Hashing.from_config(layer.get_config())
    np.testing.assert_array_equal(clone(LETTERS).numpy(), layer(LETTERS).numpy())
