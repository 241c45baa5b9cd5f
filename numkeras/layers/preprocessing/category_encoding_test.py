import numpy as np
import pytest

from numkeras.layers.preprocessing import CategoryEncoding


def test_modes_against_hand_computed_vectors():
    x = np.array([[0, 1, 1], [3, 3, 2]])
    np.testing.assert_array_equal(CategoryEncoding(4, "count")(x).numpy(), [[1, 2, 0, 0], [0, 0, 1, 2]])
    np.testing.assert_array_equal(CategoryEncoding(4)(x).numpy(), [[1, 1, 0, 0], [0, 0, 1, 1]])
    one_hot = CategoryEncoding(4, "one_hot")(np.array([[2], [0]])).numpy()
    np.testing.assert_array_equal(one_hot, [[0, 0, 1, 0], [1, 0, 0, 0]])
    assert one_hot.dtype == np.float32


def test_count_weights_and_out_of_range_indices():
    layer = CategoryEncoding(3, "count")
    out = layer(np.array([[0, 2, 2, 7]]), count_weights=np.array([[0.5, 1.0, 2.0, 9.0]])).numpy()
    np.testing.assert_allclose(out, [[0.5, 0.0, 3.0]])  # index 7 is outside [0, 3): dropped
    with pytest.raises(ValueError, match="count_weights is only used"):
        CategoryEncoding(3)(np.array([[0]]), count_weights=np.array([[1.0]]))


def test_errors_shapes_and_config():
    with pytest.raises(ValueError, match="num_tokens must be set"):
        CategoryEncoding()
    with pytest.raises(ValueError, match="unknown output_mode.*'tf_idf'"):
        CategoryEncoding(3, output_mode="tf_idf")
    layer = CategoryEncoding(5, "one_hot")
    assert layer.compute_output_shape((None, 1)) == (None, 5)
    assert layer.compute_output_shape((None, 3)) == (None, 3, 5)
    assert CategoryEncoding.from_config(layer.get_config()).num_tokens == 5
