import json

import numpy as np
import pytest

from numkeras import layers, models
from numkeras.models.functional import Functional
from numkeras.saving.functional_config import functional_from_config, functional_get_config

X = [np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4), np.linspace(0, 1, 8, dtype="float32").reshape(2, 4)]


def histories(config):
    """{layer name: [keras_history of each input of each call]} as in the config."""
    out = {}
    for layer in config["layers"]:
        calls = []
        for node in layer["inbound_nodes"]:
            arg = node["args"][0]
            calls.append([t["config"]["keras_history"] for t in (arg if isinstance(arg, list) else [arg])])
        out[layer["name"]] = calls
    return out


def shared_model():
    i1, i2 = layers.Input((4,), name="i1"), layers.Input((4,), name="i2")
    shared = layers.Dense(4, name="sh")
    merged = layers.Concatenate(name="cc")([shared(i1), layers.Dense(4, name="p")(shared(i2))])
    return models.Model([i1, i2], layers.Dense(1, name="o")(merged)), shared, (i1, i2)


def test_config_matches_what_keras_writes_for_shared_layers():
    model, _, _ = shared_model()
    config = json.loads(json.dumps(functional_get_config(model)))
    # As Keras 3.15 writes the same graph:
    assert [layer["name"] for layer in config["layers"]] == ["i1", "i2", "sh", "p", "cc", "o"]
    assert histories(config) == {"i1": [], "i2": [], "sh": [[["i1", 0, 0]], [["i2", 0, 0]]], "p": [[["sh", 1, 0]]],
                                 "cc": [[["sh", 0, 0], ["p", 0, 0]]], "o": [[["cc", 0, 0]]]}
    assert config["input_layers"] == [["i1", 0, 0], ["i2", 0, 0]]
    assert config["output_layers"] == ["o", 0, 0]
    node = config["layers"][3]["inbound_nodes"][0]
    assert node["kwargs"] == {} and node["args"][0]["class_name"] == "__keras_tensor__"
    assert node["args"][0]["config"]["shape"] == [None, 4] and node["args"][0]["config"]["dtype"] == "float32"


def test_calls_in_other_models_are_not_counted():
    model, shared, (i1, _) = shared_model()
    second = models.Model(i1, shared(i1))  # the third call of `shared`
    config = functional_get_config(second)
    assert histories(config)["sh"] == [[["i1", 0, 0]]]
    assert config["output_layers"] == ["sh", 0, 0]


def test_from_config_rebuilds_the_graph_with_shared_layers():
    model, _, _ = shared_model()
    clone = Functional.from_config(json.loads(json.dumps(model.get_config())))
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert len(clone.get_layer("sh")._inbound_nodes) == 2  # still one layer called twice
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone.predict(X, verbose=0), model.predict(X, verbose=0))


def test_dict_inputs_and_outputs_and_nested_models():
    inner_in = layers.Input((4,), name="inner_in")
    inner = models.Model(inner_in, layers.Dense(3, name="inner_dense")(inner_in), name="inner")
    a, b = layers.Input((4,), name="a"), layers.Input((4,), name="b")
    model = models.Model({"a": a, "b": b}, {"left": inner(a), "right": layers.Dense(1, name="r")(b)})
    config = json.loads(json.dumps(model.get_config()))
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    assert config["output_layers"] == {"left": ["inner", 1, 0], "right": ["r", 0, 0]}  # Keras counts from 1 here
    assert histories(config)["r"] == [[["b", 0, 0]]]
    clone = Functional.from_config(config)
    clone.set_weights(model.get_weights())
    data = {"a": X[0], "b": X[1]}
    for key in ("left", "right"):
        np.testing.assert_array_equal(clone.predict(data, verbose=0)[key], model.predict(data, verbose=0)[key])


def test_invalid_configs_are_reported():
    model, _, _ = shared_model()
    config = model.get_config()
    with pytest.raises(ValueError, match="input_layers"):
        functional_from_config(Functional, {k: v for k, v in config.items() if k != "input_layers"})
    broken = json.loads(json.dumps(config))
    broken["layers"][5]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["nowhere", 0, 0]
    with pytest.raises(ValueError, match="'nowhere'"):
        functional_from_config(Functional, broken)
    looped = json.loads(json.dumps(config))
    looped["layers"][3]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["o", 0, 0]
    with pytest.raises(ValueError, match="loops"):
        functional_from_config(Functional, looped)
    legacy = json.loads(json.dumps(config))
    legacy["layers"][5]["inbound_nodes"] = [[["cc", 0, 0, {}]]]
    with pytest.raises(ValueError, match="Unsupported node format"):
        functional_from_config(Functional, legacy)


def test_duplicate_layer_names_cannot_be_serialized():
    x = layers.Input((2,), name="x")
    model = models.Model(x, layers.Dense(1, name="same")(layers.Dense(2, name="same")(x)))
    with pytest.raises(ValueError, match='The name "same" is used 2 times'):
        model.get_config()
