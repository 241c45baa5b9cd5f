import numpy as np
import pytest

from numkeras import layers, models
from numkeras.models import clone_model

X = np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4)


def test_clone_sequential_has_new_layers_and_same_architecture():
    model = models.Sequential([layers.Input((4,), name="inp"), layers.Dense(5, activation="relu"), layers.Dense(2)],
                              name="seq")
    clone = clone_model(model)
    assert clone.name == "seq" and clone.input.shape == (None, 4)
    assert [type(l) for l in clone.layers] == [type(l) for l in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert not clone.compiled
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict(X, verbose=0), model.predict(X, verbose=0))


def test_clone_functional_keeps_shared_layers_shared():
    a, b = layers.Input((4,), name="a"), layers.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    model = models.Model([a, b], layers.Concatenate()([shared(a), shared(b)]))
    clone = clone_model(model)
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert clone.get_layer("shared") is not shared and len(clone.get_layer("shared")._inbound_nodes) == 2
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict([X, -X], verbose=0), model.predict([X, -X], verbose=0))


def test_clone_function_and_input_tensors():
    inputs = layers.Input((4,))
    model = models.Model(inputs, layers.Dense(2, name="out")(layers.Dense(3, activation="relu")(inputs)))
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        config = layer.get_config()
        if isinstance(layer, layers.Dense):
            config["use_bias"] = False
        return type(layer).from_config(config)

    new_input = layers.Input((4,), name="fresh")
    clone = clone_model(model, input_tensors=new_input, clone_function=clone_function)
    assert len(seen) == 2 and clone.inputs[0] is new_input
    assert all(l.bias is None for l in clone.layers if isinstance(l, layers.Dense))
    calls = []
    clone_model(model, call_function=lambda layer, *args, **kwargs: calls.append(layer.name) or layer(*args,
                                                                                                      **kwargs))
    assert len(calls) == 2 and calls[-1] == "out"


def test_clone_nested_models_recursively():
    inner = models.Sequential([layers.Input((4,)), layers.Dense(3)], name="inner")
    model = models.Sequential([layers.Input((4,)), inner, layers.Dense(1)])
    names = []
    clone = clone_model(model, clone_function=lambda l: names.append(l.name) or type(l).from_config(l.get_config()),
                        recursive=True)
    assert "inner" not in names and len(names) == 2  # the nested model's layers were passed instead
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict(X, verbose=0), model.predict(X, verbose=0))


def test_subclassed_models_reject_clone_function():
    class Custom(models.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="only supported for Sequential and functional"):
        clone_model(Custom(), clone_function=lambda l: l)
