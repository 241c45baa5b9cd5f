import pytest

from numkeras import layers, losses


def test_a_layer_round_trips_with_its_weights_settings():
    dense = layers.Dense(4, activation="tanh", use_bias=False, name="proj")
    clone = layers.deserialize(layers.serialize(dense))
    assert type(clone) is layers.Dense and clone is not dense
    assert (clone.units, clone.use_bias, clone.name) == (4, False, "proj")
    assert clone.get_config() == dense.get_config()


def test_custom_layers_need_custom_objects():
    class Twice(layers.Layer):
        def call(self, x):
            return x * 2

    config = layers.serialize(Twice())
    with pytest.raises(TypeError, match="Twice"):
        layers.deserialize(config)
    assert type(layers.deserialize(config, custom_objects={"Twice": Twice})) is Twice


def test_a_config_that_is_not_a_layer_is_refused():
    with pytest.raises(ValueError, match="MeanSquaredError"):
        layers.deserialize(losses.serialize(losses.MeanSquaredError()))
