import pytest

from numkeras import models
from numkeras.saving.legacy_config import keras3_compile_objects, keras3_model_config, keras3_optimizer_config
from numkeras.saving.serialization_lib import deserialize_keras_object


def test_keras2_layer_configs_get_modules_and_keras3_arguments():
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8], "dtype": "float32",
                                                "sparse": False, "ragged": False, "name": "in"}},
        {"class_name": "Dense", "config": {"name": "d", "units": 2, "dtype": {
            "class_name": "Policy", "config": {"name": "float32"}},
            "kernel_initializer": {"class_name": "VarianceScaling", "config": {
                "scale": 2.0, "mode": "fan_in", "distribution": "normal", "seed": None}},
            "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.1}},
            "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}}},
        {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [1]}}]}}
    out = keras3_model_config(config)
    assert out["module"] == "keras" and config["config"]["layers"][0]["config"]["batch_input_shape"] == [None, 8]
    first, dense, bn = out["config"]["layers"]
    assert first["config"]["batch_shape"] == [None, 8] and "batch_input_shape" not in first["config"]
    assert dense["module"] == "keras.layers" and dense["config"]["dtype"] == "float32"
    assert dense["config"]["kernel_initializer"]["module"] == "keras.initializers"
    assert dense["config"]["kernel_initializer"]["config"]["distribution"] == "truncated_normal"
    assert dense["config"]["kernel_regularizer"]["module"] == "keras.regularizers"
    assert dense["config"]["kernel_constraint"]["module"] == "keras.constraints"
    assert bn["config"]["axis"] == 1
    model = deserialize_keras_object(out)
    assert isinstance(model, models.Sequential) and model.layers[0].kernel_regularizer is not None
    assert model.layers[0].kernel_initializer.distribution == "truncated_normal"


def test_keras2_inbound_nodes_become_keras3_nodes():
    config = {"class_name": "Model", "config": {"name": "m", "layers": [
        {"name": "a", "class_name": "InputLayer", "config": {"batch_input_shape": [None, 2], "name": "a"},
         "inbound_nodes": []},
        {"name": "b", "class_name": "InputLayer", "config": {"batch_input_shape": [None, 2], "name": "b"},
         "inbound_nodes": []},
        {"name": "add", "class_name": "Add", "config": {"name": "add"},
         "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]},
        {"name": "d", "class_name": "Dense", "config": {"name": "d", "units": 1},
         "inbound_nodes": [[["add", 0, 0, {}]]]}],
        "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["d", 0, 0]]}}
    out = keras3_model_config(config)
    add_node = out["config"]["layers"][2]["inbound_nodes"][0]
    assert [t["config"]["keras_history"] for t in add_node["args"][0]] == [["a", 0, 0], ["b", 0, 0]]
    assert out["config"]["layers"][3]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == ["add", 0, 0]
    model = deserialize_keras_object(out)
    assert [layer.name for layer in model.layers] == ["a", "b", "add", "d"]


def test_bad_configs_are_named():
    with pytest.raises(ValueError, match="'class_name' and 'config'"):
        keras3_model_config(["not", "a", "dict"])
    with pytest.raises(ValueError, match="Unsupported inbound node"):
        keras3_model_config({"class_name": "Model", "config": {"layers": [
            {"class_name": "Dense", "config": {}, "inbound_nodes": ["oops"]}], "input_layers": [],
            "output_layers": []}})


def test_keras2_lambda_bytecode_is_refused_with_the_way_out():
    config = {"class_name": "Sequential", "config": [{"class_name": "Lambda", "config": {
        "name": "lam", "function": ["4wEAAAAAAAAAAQ", None, None], "function_type": "lambda"}}]}
    with pytest.raises(ValueError, match=r"'lam' was saved by Keras 2 as Python bytecode.*load_weights"):
        keras3_model_config(config)


def test_legacy_optimizer_and_compile_objects():
    out = keras3_optimizer_config({"class_name": "RMSprop", "config": {
        "lr": 0.001, "rho": 0.9, "decay": 0.0, "epsilon": 1e-07, "is_legacy_optimizer": False, "jit_compile": True}})
    assert out["config"] == {"learning_rate": 0.001, "rho": 0.9, "epsilon": 1e-07}
    optimizer = deserialize_keras_object(out)
    assert type(optimizer).__name__ == "RMSprop" and optimizer.get_config()["rho"] == 0.9
    assert keras3_optimizer_config({"class_name": "Custom>Adam", "config": {"learning_rate": 0.1}})["class_name"] \
        == "Adam"
    loss = keras3_compile_objects({"class_name": "BinaryCrossentropy", "config": {
        "reduction": "auto", "name": "binary_crossentropy", "from_logits": True}}, "losses")
    assert loss["module"] == "keras.losses" and loss["config"]["reduction"] == "sum_over_batch_size"
    assert deserialize_keras_object(loss).from_logits is True
    metrics = keras3_compile_objects([[{"class_name": "MeanMetricWrapper", "config": {
        "name": "acc", "dtype": "float32", "fn": "binary_accuracy"}}]], "metrics")
    assert metrics == [["acc"]]
