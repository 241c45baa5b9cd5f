import os

import numpy as np

from numkeras import layers, models
from numkeras.layers.preprocessing import StringLookup


def test_lookup_mask_invert_and_bytes():
    layer = StringLookup(vocabulary=["a", "b", "c"], mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "c"]
    out = layer(np.array([["a", "", "z"], [b"c", "b", "a"]], dtype=object)).numpy()
    np.testing.assert_array_equal(out, [[2, 0, 1], [4, 3, 2]])
    inverse = StringLookup(vocabulary=["a", "b", "c"], mask_token="", invert=True)
    np.testing.assert_array_equal(inverse(out).numpy(), [["a", "", "[UNK]"], ["c", "b", "a"]])


def test_vector_modes_and_vocabulary_with_special_tokens():
    layer = StringLookup(vocabulary=["[UNK]", "a", "b"], output_mode="count", pad_to_max_tokens=True, max_tokens=5)
    np.testing.assert_array_equal(layer(np.array([["a", "a", "q"]])).numpy(), [[1, 2, 0, 0, 0]])
    one_hot = StringLookup(vocabulary=["a", "b"], output_mode="one_hot")(np.array([["b"], ["x"]])).numpy()
    np.testing.assert_array_equal(one_hot, [[0, 0, 1], [1, 0, 0]])


def test_adapted_vocabulary_survives_config_and_keras_file(tmp_path):
    layer = StringLookup(output_mode="multi_hot")
    layer.adapt(np.array([["red", "blue"], ["blue", "green"]]))
    inputs = layers.Input(shape=(2,), dtype="string")
    model = models.Model(inputs, layers.Dense(1)(layer(inputs)))
    path = os.path.join(tmp_path, "lookup.keras")
    model.save(path)
    restored = models.load_model(path)
    x = np.array([["green", "red"], ["zz", "blue"]])
    assert restored.layers[1].get_vocabulary() == ["[UNK]", "blue", "red", "green"]
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
