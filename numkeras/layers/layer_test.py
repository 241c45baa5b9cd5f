"""The Layer base class: lifecycle, weights, subclassing."""
import numpy as np
import pytest

from numkeras import layers, ops


class Scale(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, inputs, training=None):
        self.seen_training = training
        return ops.multiply(inputs, self.w)


def test_build_on_first_call_and_weights_order():
    layer = Scale()
    assert not layer.built
    layer(np.ones((2, 3), "float32"), training=True)
    assert layer.built and layer.seen_training is True
    assert [w.name for w in layer.weights] == ["w", "count"]
    assert [w.name for w in layer.trainable_weights] == ["w"]
    assert [w.name for w in layer.non_trainable_weights] == ["count"]


def test_freezing_moves_weights_to_non_trainable():
    layer = Scale()
    layer(np.ones((1, 2), "float32"))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2


def test_get_set_weights_round_trip_and_errors():
    layer = Scale()
    layer(np.ones((1, 2), "float32"))
    layer.set_weights([np.array([2.0, 3.0]), np.array(5.0)])
    np.testing.assert_array_equal(layer.get_weights()[0], [2.0, 3.0])
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        layer.set_weights([np.ones(2)])
    with pytest.raises(ValueError, match="shape"):
        layer.set_weights([np.ones(3), np.array(1.0)])


def test_count_params_on_unbuilt_layer_explains():
    with pytest.raises(ValueError, match="isn't built"):
        layers.Dense(3).count_params()


def test_nested_layers_are_tracked():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = layers.Dense(2)

        def call(self, x):
            return self.inner(x)

    block = Block()
    block(np.ones((1, 3), "float32"))
    assert len(block.trainable_weights) == 2


def test_weights_go_layer_by_layer_as_in_keras():
    """Own weights (created trainable first), then each sublayer's; the trainable lists filter that order."""
    class Block(layers.Layer):
        def __init__(self):
            super().__init__(name="block")
            self.first = Scale(name="first")
            self.norm = layers.BatchNormalization(name="norm")

        def build(self, input_shape):
            self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")
            self.gain = self.add_weight(shape=(), initializer="ones", name="gain")

        def call(self, x):
            return ops.multiply(self.norm(self.first(x)), self.gain)

    block = Block()
    block(np.ones((2, 3), "float32"))
    paths = ["block/gain", "block/steps", "first/w", "first/count", "norm/gamma", "norm/beta", "norm/moving_mean",
             "norm/moving_variance"]
    assert [w.path for w in block.weights] == paths
    assert [w.path for w in block.trainable_weights] == ["block/gain", "first/w", "norm/gamma", "norm/beta"]
    assert [w.path for w in block.non_trainable_weights] == [
        "block/steps", "first/count", "norm/moving_mean", "norm/moving_variance"]
    block.first.trainable = False
    assert [w.path for w in block.weights] == paths
    assert [w.path for w in block.non_trainable_weights] == [
        "block/steps", "first/w", "first/count", "norm/moving_mean", "norm/moving_variance"]
    block.trainable = False
    block.norm.trainable = True  # as in Keras: trainable again for whatever holds `block`
    assert block.trainable_weights == []
    assert [w.path for w in block.norm.trainable_weights] == ["norm/gamma", "norm/beta"]
    values = [np.full(w.shape, i, "float32") for i, w in enumerate(block.weights)]
    block.set_weights(values)
    assert [float(np.ravel(v)[0]) for v in block.get_weights()] == list(range(len(paths)))


def test_unknown_kwarg_is_reported():
    with pytest.raises(TypeError, match="unitz"):
        layers.Dense(3, unitz=4)


def test_auto_names_are_unique_snake_case():
    a, b = layers.Dense(1), layers.Dense(1)
    assert a.name.startswith("dense") and b.name != a.name
    assert layers.Flatten().name.startswith("flatten")
