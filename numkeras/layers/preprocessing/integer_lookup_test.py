import numpy as np
import pytest

from numkeras.layers.preprocessing import IntegerLookup


def test_lookup_invert_and_floormod_oov_buckets():
    layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    np.testing.assert_array_equal(layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy(), [[1, 3, 4], [4, 0, 2]])
    inverse = IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)
    np.testing.assert_array_equal(inverse(np.array([[1, 3, 4], [4, 0, 2]])).numpy(),
                                  [[12, 1138, 42], [42, -1, 36]])
    buckets = IntegerLookup(vocabulary=[7], num_oov_indices=3)
    np.testing.assert_array_equal(buckets(np.array([7, 10, 11, 12])).numpy(), [3, 1, 2, 0])  # 10 % 3 = 1, ...


def test_mask_token_adapt_and_tf_idf():
    layer = IntegerLookup(mask_token=0)
    layer.adapt(np.array([[3, 3, 0, 5], [5, 5, 9, 0]]))
    assert layer.get_vocabulary() == [0, -1, 5, 3, 9]  # the mask token is not counted
    np.testing.assert_array_equal(layer(np.array([0, 5, 4])).numpy(), [0, 2, 1])
    with pytest.raises(ValueError, match="only vocabulary_dtype='int64'"):
        IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match="expects integer inputs"):
        IntegerLookup(vocabulary=[1])(np.array(["a"]))
