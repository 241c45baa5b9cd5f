"""Sequential: building, layers, summary."""
import numpy as np
import pytest

from numkeras import layers, models


def seed_model():
    return models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
                              layers.Dense(10, activation="softmax")])


def test_built_from_input_shape_with_keras_param_count():
    model = seed_model()
    assert model.built and model.count_params() == 407_050
    assert model.input_shape == (None, 784) and model.output_shape == (None, 10)
    assert [l.output_shape for l in model.layers] == [(None, 512), (None, 10)]


def test_add_and_pop():
    model = models.Sequential()
    model.add(layers.Input(shape=(4,)))
    model.add(layers.Dense(3))
    model.add(layers.Dense(2))
    assert len(model.layers) == 2 and model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    model.pop()
    assert len(model.layers) == 1 and model.output_shape == (None, 3)
    with pytest.raises(TypeError, match="Layer instance"):
        model.add(layers.Dense)


def test_builds_on_first_call_without_input_shape():
    model = models.Sequential([layers.Dense(8, activation="relu"), layers.Dense(2)])
    assert not model.built
    out = model(np.ones((3, 5), "float32"))
    assert out.shape == (3, 2) and model.built and model.count_params() == 5 * 8 + 8 + 8 * 2 + 2


def test_summary_prints_keras_table(capsys):
    model = seed_model()
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential' in text
    assert "(None, 512)" in text and "401,920" in text and "5,130" in text
    assert "Total params: 407,050 (1.55 MB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text


def test_get_layer():
    model = seed_model()
    assert model.get_layer(index=1) is model.layers[1]
    assert model.get_layer(model.layers[0].name) is model.layers[0]
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("nope")
