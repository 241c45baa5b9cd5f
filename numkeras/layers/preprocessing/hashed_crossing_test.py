import numpy as np
import pytest

from numkeras import layers, models
from numkeras.layers.preprocessing import HashedCrossing


def test_bins_match_tensorflow_cross_hashed():
    # Values printed by tf.sparse.cross_hashed (TensorFlow 2.21) for these features: the first five with
    # 5 bins are also Keras's docstring example; the large bucket count checks the full 64-bit value.
    f1, f2 = np.array(["A", "B", "A", "B", "A", "xyz", ""]), np.array([101, 101, 101, 102, 102, -5, 0])
    assert HashedCrossing(5)((f1, f2)).numpy().tolist() == [1, 4, 1, 1, 3, 3, 0]
    assert HashedCrossing(1000003)((f1, f2)).numpy().tolist() == [486008, 568784, 486008, 914470, 123925,
                                                                  461511, 644345]
    three = HashedCrossing(999983)([np.array([["a"], ["b"]]), np.array([["c"], ["d"]]), np.array([[3], [4]])])
    assert three.numpy().tolist() == [[22313], [630888]]


def test_one_hot_shapes_errors_and_model_use():
    layer = HashedCrossing(4, output_mode="one_hot")
    out = layer((np.array([["a"], ["b"]]), np.array([[1], [2]]))).numpy()
    assert out.shape == (2, 4) and out.sum(axis=1).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="at least two features"):
        HashedCrossing(3)([np.array(["a"])])
    with pytest.raises(ValueError, match="equal shapes"):
        HashedCrossing(3)([np.array(["a"]), np.array([1, 2])])
    with pytest.raises(ValueError, match="strings or integers"):
        HashedCrossing(3)([np.array([0.5]), np.array([1])])
    a, b = layers.Input(shape=(1,), dtype="string"), layers.Input(shape=(1,), dtype="int64")
    model = models.Model([a, b], HashedCrossing(6, output_mode="one_hot")([a, b]))
    assert model.outputs[0].shape == (None, 6)
    features = [np.array([["a"]]), np.array([[1]])]
    np.testing.assert_array_equal(model.predict(features, verbose=0),
                                  HashedCrossing(6, output_mode="one_hot")(features).numpy())
    assert HashedCrossing.from_config(layer.get_config()).num_bins == 4
