import json

import numpy as np
import pytest

from numkeras import initializers, layers, losses, metrics, models, optimizers, regularizers
from numkeras.saving import (FileFormatError, deserialize_keras_object, load_model, register_keras_serializable,
                             serialize_keras_object)
from numkeras.saving.object_registration import GLOBAL_CUSTOM_NAMES, GLOBAL_CUSTOM_OBJECTS


def round_trip(obj, **kwargs):
    return deserialize_keras_object(json.loads(json.dumps(serialize_keras_object(obj))), **kwargs)


def test_builtins_are_written_under_keras_module_names():
    assert serialize_keras_object(layers.Dense(2))["module"] == "keras.layers"
    assert serialize_keras_object(optimizers.Adam())["module"] == "keras.optimizers"
    assert serialize_keras_object(losses.MeanSquaredError())["module"] == "keras.losses"
    assert serialize_keras_object(metrics.AUC())["module"] == "keras.metrics"
    assert serialize_keras_object(initializers.HeNormal(seed=1))["module"] == "keras.initializers"
    assert serialize_keras_object(regularizers.L2(0.1))["module"] == "keras.regularizers"
    assert serialize_keras_object(losses.mean_squared_error) == {
        "module": "keras.losses", "class_name": "function", "config": "mean_squared_error",
        "registered_name": "mean_squared_error"}
    assert serialize_keras_object(models.Sequential())["module"] == "keras"
    assert serialize_keras_object(np.arange(3)) == {"class_name": "__numpy__",
                                                    "config": {"value": [0, 1, 2], "dtype": "int64"}}
    assert serialize_keras_object((1, np.float32(2.5))) == [1, 2.5]


def test_builtins_round_trip():
    dense = round_trip(layers.Dense(3, activation="relu", kernel_regularizer="l2", name="d"))
    assert (dense.units, dense.name, type(dense.kernel_regularizer).__name__) == (3, "d", "L2")
    adam = round_trip(optimizers.Adam(learning_rate=0.5, amsgrad=True))
    assert (adam.learning_rate, adam.amsgrad) == (0.5, True)
    assert round_trip(losses.mean_squared_error) is losses.mean_squared_error
    assert type(round_trip(initializers.HeNormal(seed=3))).__name__ == "HeNormal"
    np.testing.assert_array_equal(round_trip(np.ones((2, 2), "float32")), np.ones((2, 2), "float32"))


def test_a_built_layer_records_its_build_config_and_is_rebuilt():
    dense = layers.Dense(4)
    models.Sequential([layers.Input((3,)), dense])
    config = serialize_keras_object(dense)
    assert config["build_config"] == {"input_shape": [None, 3]}
    restored = deserialize_keras_object(config)
    assert restored.built and restored.kernel.shape == (3, 4)


def test_keras_written_configs_load():
    # As Keras 3.15 writes a Dense layer: a dtype policy and arguments numkeras does not have, at defaults.
    config = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
              "config": {"name": "dense", "trainable": True,
                         "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                                   "registered_name": None, "shared_object_id": 1},
                         "units": 3, "activation": "relu", "use_bias": True,
                         "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                                "config": {"seed": None, "input_axes": None, "output_axes": None},
                                                "registered_name": None},
                         "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                              "registered_name": None},
                         "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                         "bias_constraint": None, "quantization_config": None},
              "build_config": {"input_shape": [None, 4]}}
    dense = deserialize_keras_object(config)
    assert (dense.units, dense.dtype, dense.kernel.shape) == (3, "float32", (4, 3))
    input_layer = deserialize_keras_object({"module": "keras.layers", "class_name": "InputLayer", "config": {
        "batch_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "input_layer",
        "optional": False}, "registered_name": None})
    assert input_layer.batch_shape == (None, 4)
    # Keras's renormalization arguments, at their defaults
    norm = deserialize_keras_object({"module": "keras.layers", "class_name": "BatchNormalization", "config": {
        "name": "bn", "axis": -1, "momentum": 0.9, "epsilon": 0.001, "center": True, "scale": True,
        "synchronized": False, "renorm": False, "renorm_clipping": None, "renorm_momentum": 0.99}})
    assert (norm.name, norm.momentum) == ("bn", 0.9)


def test_a_keras_only_argument_with_a_real_value_is_not_silently_dropped():
    config = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
              "config": {"units": 2, "lora_rank": 4}}
    with pytest.raises(TypeError, match="lora_rank"):
        deserialize_keras_object(config)


def test_names_in_a_file_never_import_modules():
    with pytest.raises(TypeError, match="Could not locate class 'system'"):
        deserialize_keras_object({"module": "os", "class_name": "system", "config": {}, "registered_name": None})
    with pytest.raises(TypeError, match="Could not locate function 'load_model'"):
        deserialize_keras_object({"module": "keras.models", "class_name": "function", "config": "load_model",
                                  "registered_name": None})
    with pytest.raises(ValueError, match="lambda"):
        deserialize_keras_object({"class_name": "__lambda__", "config": {"value": "Zm9v"}})


def test_lambdas_are_not_serialized():
    with pytest.raises(ValueError, match="Cannot serialize a lambda"):
        serialize_keras_object(lambda x: x)


def test_custom_objects_and_registration(tmp_path):
    def scaled_tanh(x):
        from numkeras import ops
        return ops.tanh(x) * 2.0

    class Scale(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = models.Sequential([layers.Input((3,)), layers.Dense(2, activation=scaled_tanh), Scale(3.0)])
    model.save(tmp_path / "m.keras")
    config = serialize_keras_object(model)
    assert config["config"]["layers"][2]["registered_name"] == "Scale"
    with pytest.raises(FileFormatError, match="(?s)scaled_tanh.*custom_objects"):
        load_model(tmp_path / "m.keras")
    with pytest.raises(FileFormatError, match="Could not locate class 'Scale'"):
        load_model(tmp_path / "m.keras", custom_objects={"scaled_tanh": scaled_tanh})
    loaded = load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale, "scaled_tanh": scaled_tanh})
    assert loaded.layers[0].activation is scaled_tanh and loaded.layers[1].factor == 3.0
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))

    register_keras_serializable(package="SerializationTest")(Scale)
    register_keras_serializable(package="SerializationTest")(scaled_tanh)
    try:
        assert serialize_keras_object(Scale())["registered_name"] == "SerializationTest>Scale"
        model.save(tmp_path / "registered.keras")
        loaded = load_model(tmp_path / "registered.keras")
        assert type(loaded.layers[1]) is Scale and loaded.layers[0].activation is scaled_tanh
    finally:
        for obj in (Scale, scaled_tanh):
            del GLOBAL_CUSTOM_OBJECTS[GLOBAL_CUSTOM_NAMES.pop(obj)]


def test_custom_loss_and_metric_functions_in_the_compile_config(tmp_path):
    def my_loss(y_true, y_pred):
        from numkeras import ops
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    model = models.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(learning_rate=0.1, momentum=0.9), loss=my_loss,
                  metrics=[metrics.MeanAbsoluteError(name="mae_metric")])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileFormatError, match="my_loss"):
        load_model(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras", custom_objects={"my_loss": my_loss})
    assert loaded.loss is my_loss
    assert loaded._objectives._specs[2][0].name == "mae_metric"
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert load_model(tmp_path / "m.keras", compile=False).compiled is False


def test_lambda_layers_need_safe_mode_off(tmp_path):
    model = models.Sequential([layers.Input((3,)), layers.Lambda(lambda t: t * 2.0 + 1.0)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileFormatError, match="safe_mode"):
        load_model(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras", safe_mode=False)
    np.testing.assert_array_equal(loaded.predict(np.ones((1, 3), "float32"), verbose=0), [[3.0, 3.0, 3.0]])
