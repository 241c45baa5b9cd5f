import json

from numkeras import layers, losses, metrics, models, optimizers
from numkeras.optimizers import schedules
from numkeras.saving.compile_config import compile_from_config, get_compile_config


def model():
    return models.Sequential([layers.Input((3,)), layers.Dense(2)])


def test_uncompiled_models_have_no_compile_config():
    assert get_compile_config(model()) is None
    assert get_compile_config(layers.Dense(2)) is None


def test_instances_schedules_and_names_round_trip():
    original = model()
    schedule = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    original.compile(optimizer=optimizers.SGD(learning_rate=schedule, momentum=0.5),
                     loss=losses.Huber(delta=2.0), metrics=["mae", metrics.RootMeanSquaredError(name="rmse")])
    config = json.loads(json.dumps(get_compile_config(original)))
    assert config["loss"]["class_name"] == "Huber" and config["loss"]["module"] == "keras.losses"
    assert config["metrics"][0] == "mae" and config["metrics"][1]["config"]["name"] == "rmse"
    assert config["optimizer"]["config"]["learning_rate"]["class_name"] == "ExponentialDecay"
    restored = model()
    compile_from_config(restored, config)
    assert restored.compiled and type(restored.optimizer) is optimizers.SGD and restored.optimizer.momentum == 0.5
    assert type(restored.optimizer._learning_rate) is schedules.ExponentialDecay
    assert type(restored.loss) is losses.Huber and restored.loss.get_config() == original.loss.get_config()
    assert restored._objectives._specs[2][0] == "mae"


def test_weighted_metrics_round_trip():
    original = model()
    original.compile(optimizer="sgd", loss="mse", metrics=["mae"], weighted_metrics=["mse", metrics.MeanAbsoluteError()])
    config = json.loads(json.dumps(get_compile_config(original)))
    assert config["weighted_metrics"][0] == "mse"
    assert config["weighted_metrics"][1]["class_name"] == "MeanAbsoluteError"
    restored = model()
    compile_from_config(restored, config)
    assert restored._objectives.weighted_metrics[0] == "mse"
    assert type(restored._objectives.weighted_metrics[1]) is metrics.MeanAbsoluteError


def test_keras_compile_configs_compile():
    # As Keras 3.15 writes it (jit_compile and friends are accepted and have no effect here).
    config = {"optimizer": {"module": "keras.optimizers", "class_name": "Adam", "registered_name": None,
                            "config": {"name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": None,
                                       "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                                       "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
                                       "loss_scale_factor": None, "gradient_accumulation_steps": None,
                                       "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}},
              "loss": "categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
              "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": True}
    restored = model()
    compile_from_config(restored, config)
    assert type(restored.optimizer) is optimizers.Adam and restored.loss == "categorical_crossentropy"
    assert abs(restored.optimizer.learning_rate - 0.001) < 1e-9
