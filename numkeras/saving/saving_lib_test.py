import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

from numkeras import layers, models, optimizers, utils
from numkeras.models.functional import Functional
from numkeras.saving import FileFormatError, load_model, register_keras_serializable, save_model


@register_keras_serializable(package="SavingTest")
class TwoWayConcat(layers.Layer):
    """Stands in for layers.Concatenate where merging layers are not available."""

    def call(self, inputs):
        from numkeras import ops
        return ops.concatenate(list(inputs), axis=-1)


Concatenate = getattr(layers, "Concatenate", TwoWayConcat)


def two_in_two_out():
    utils.set_random_seed(1)
    a, b = layers.Input((4,), name="a"), layers.Input((3,), name="b")
    h = layers.Dense(8, activation="relu", name="h")(b)
    c = Concatenate(name="cat")([layers.Dense(5, activation="tanh", name="d1")(a), h])
    model = models.Model([a, b], [layers.Dense(3, activation="softmax", name="cls")(c),
                                  layers.Dense(1, name="reg")(c)], name="two_by_two")
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss=["categorical_crossentropy", "mse"],
                  loss_weights=[1.0, 0.5], metrics=[["accuracy"], ["mae"]])
    return model


def data(n=64):
    rs = np.random.RandomState(0)
    x = [rs.rand(n, 4).astype("float32"), rs.rand(n, 3).astype("float32")]
    y = [np.eye(3, dtype="float32")[rs.randint(0, 3, n)], rs.rand(n, 1).astype("float32")]
    return x, y


def sequential():
    utils.set_random_seed(2)
    model = models.Sequential([layers.Input((4,)), layers.Dense(6, activation="relu"), layers.Dropout(0.3),
                               layers.Dense(2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_functional_two_inputs_two_outputs_round_trip_is_bit_identical(tmp_path):
    x, y = data()
    model = two_in_two_out()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = load_model(path)
    for before, after in zip(model.predict(x, verbose=0), loaded.predict(x, verbose=0)):
        np.testing.assert_array_equal(before, after)
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers] or \
        sorted(l.name for l in loaded.layers) == sorted(l.name for l in model.layers)
    assert [type(l) for l in loaded.layers if l.name == "cat"] == [Concatenate]


def test_compile_config_and_optimizer_state_are_restored(tmp_path):
    x, y = data()
    model = two_in_two_out()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert loaded.compiled
    assert type(loaded.optimizer) is optimizers.Adam
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.loss == ["categorical_crossentropy", "mse"]
    assert loaded._objectives._specs == (["categorical_crossentropy", "mse"], [1.0, 0.5], [["accuracy"], ["mae"]])
    assert int(loaded.optimizer.iterations.numpy()) == 4
    original = {v.path: v.numpy() for v in model.optimizer.variables}
    restored = {v.path: v.numpy() for v in loaded.optimizer.variables}
    assert original.keys() == restored.keys()
    for key in original:
        np.testing.assert_array_equal(original[key], restored[key])
    history = loaded.evaluate(x, y, verbose=0, return_dict=True)
    assert set(history) == {"loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"}


def test_resumed_fit_equals_uninterrupted_fit(tmp_path):
    x, y = data()
    full = two_in_two_out()
    full.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    part = two_in_two_out()
    part.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    part.save(tmp_path / "ckpt.keras")
    resumed = load_model(tmp_path / "ckpt.keras")
    resumed.fit(x, y, epochs=2, initial_epoch=1, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(full.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_clone_from_config_with_loaded_weights_predicts_the_same(tmp_path):
    x, y = data()
    model = two_in_two_out()
    model.fit(x, y, epochs=1, verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    clone = Functional.from_config(model.get_config())
    clone.load_weights(tmp_path / "w.weights.h5")
    for before, after in zip(model.predict(x, verbose=0), clone.predict(x, verbose=0)):
        np.testing.assert_array_equal(before, after)


def test_sequential_round_trip(tmp_path):
    rs = np.random.RandomState(3)
    x, y = rs.rand(32, 4).astype("float32"), np.eye(2, dtype="float32")[rs.randint(0, 2, 32)]
    model = sequential()
    model.fit(x, y, epochs=2, verbose=0)
    save_model(model, str(tmp_path / "seq.keras"))
    loaded = load_model(str(tmp_path / "seq.keras"))
    assert isinstance(loaded, models.Sequential)
    assert [type(l).__name__ for l in loaded.layers] == ["Dense", "Dropout", "Dense"]
    assert loaded.layers[1].rate == 0.3
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert type(loaded.optimizer) is optimizers.RMSprop


def test_compile_false_gives_an_uncompiled_model_with_the_weights(tmp_path):
    model = sequential()
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_uncompiled_and_untrained_models_round_trip(tmp_path):
    model = models.Sequential([layers.Dense(3, input_shape=(2,)), layers.Dense(1)])
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    assert not loaded.compiled and loaded.built
    x = np.ones((2, 2), "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


def test_file_layout_follows_keras(tmp_path):
    x, y = data()
    model = two_in_two_out()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    assert {"keras_version", "date_saved"} <= set(metadata)
    assert set(config) == {"module", "class_name", "config", "registered_name", "build_config", "compile_config"}
    assert (config["module"], config["class_name"], config["registered_name"]) == \
        ("keras.src.models.functional", "Functional", "Functional")
    assert set(config["config"]) == {"name", "trainable", "layers", "input_layers", "output_layers"}
    assert config["config"]["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["config"]["output_layers"] == [["cls", 0, 0], ["reg", 0, 0]]
    assert set(config["compile_config"]) == {"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
                                             "run_eagerly", "steps_per_execution", "jit_compile"}
    assert weights["vars"].attrs["name"] == "two_by_two"
    # Keras 3.15 lists these layers as a, b, d1, h, cat, cls, reg; paths count per class.
    assert weights["layers/dense/vars"].attrs["name"] == "d1"
    assert weights["layers/dense_1/vars"].attrs["name"] == "h"
    assert weights["layers/dense_1/vars/0"].shape == (3, 8)
    assert weights["layers/input_layer_1/vars"].attrs["name"] == "b"
    assert len(weights["optimizer/vars"]) == 2 + 2 * 8
    assert weights["optimizer/vars/0"][()] == 2 and weights["optimizer/vars/0"].dtype == np.int64


def test_save_and_load_through_file_objects():
    model = sequential()
    buffer = io.BytesIO()
    model.save(buffer)
    buffer.seek(0)
    loaded = load_model(buffer)
    x = np.ones((2, 4), "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


def test_save_weights_and_load_weights(tmp_path):
    model = sequential()
    model.fit(np.ones((8, 4), "float32"), np.eye(2, dtype="float32")[[0, 1] * 4], verbose=0)
    model.save_weights(tmp_path / "m.weights.h5")
    other = sequential()
    other.load_weights(tmp_path / "m.weights.h5")
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(other.optimizer.iterations.numpy()) == 1
    model.save(tmp_path / "m.keras")
    third = sequential()
    third.load_weights(tmp_path / "m.keras")
    for a, b in zip(model.get_weights(), third.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_suffix_errors_match_keras(tmp_path):
    model = sequential()
    with pytest.raises(ValueError, match=r"The filename must end in `.weights.h5`. Received: filepath=.*m.h5"):
        model.save_weights(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="File format not supported"):
        model.load_weights(tmp_path / "m.npz")
    with pytest.raises(ValueError, match="Invalid keyword arguments"):
        model.load_weights(tmp_path / "m.weights.h5", bogus=1)
    with pytest.raises(ValueError, match="max_shard_size"):
        model.save_weights(tmp_path / "m.weights.h5", max_shard_size=1)


def test_unbuilt_models_and_mismatched_weights_raise(tmp_path):
    unbuilt = models.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="has not yet been built"):
        unbuilt.save_weights(tmp_path / "x.weights.h5")
    sequential().save_weights(tmp_path / "m.weights.h5")
    with pytest.raises(ValueError, match="has not yet been built"):
        unbuilt.load_weights(tmp_path / "m.weights.h5")
    wider = models.Sequential([layers.Input((4,)), layers.Dense(7), layers.Dense(2)])
    before = wider.get_weights()
    with pytest.raises(ValueError, match=r"has shape \(4, 7\), but the saved value has shape \(4, 6\)"):
        wider.load_weights(tmp_path / "m.weights.h5")
    for a, b in zip(before, wider.get_weights()):  # nothing was assigned
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="could not be loaded"):
        wider.load_weights(tmp_path / "m.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(before[0], wider.get_weights()[0])
    shorter = models.Sequential([layers.Input((4,)), layers.Dense(6)])
    shorter.load_weights(tmp_path / "m.weights.h5")  # as in Keras, groups the model does not have are ignored
    np.testing.assert_array_equal(shorter.get_weights()[0], sequential().get_weights()[0])
    no_bias = models.Sequential([layers.Input((4,)), layers.Dense(6, use_bias=False), layers.Dense(2)])
    with pytest.raises(ValueError, match=r"Layer 'dense.*' expected 1 variables, but received 2 variables"):
        no_bias.load_weights(tmp_path / "m.weights.h5")


def test_save_and_load_path_errors(tmp_path):
    model = sequential()
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        model.save(tmp_path / "model.zip")
    with pytest.raises(ValueError, match="not supported"):
        model.save(tmp_path / "model.keras", foo=1)
    with pytest.raises(ValueError, match="File not found"):
        load_model(tmp_path / "missing.keras")
    (tmp_path / "model.txt").write_text("hello")
    with pytest.raises(ValueError, match="File format not supported"):
        load_model(tmp_path / "model.txt")
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "missing.weights.h5")


def test_overwrite_false_asks_before_replacing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "m.keras"
    model = sequential()
    model.save(path)
    stamp = os.stat(path).st_mtime_ns
    answers = iter(["maybe", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    models.Sequential([layers.Dense(1, input_shape=(4,))]).save(path, overwrite=False)
    assert os.stat(path).st_mtime_ns == stamp
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    models.Sequential([layers.Dense(1, input_shape=(4,))]).save(path, overwrite=False)
    assert load_model(path).count_params() == 5
    assert "overwrite=True" in capsys.readouterr().out


def test_saving_an_unbuilt_model_warns_like_keras(tmp_path):
    model = models.Sequential([layers.Dense(2)])
    with pytest.warns(UserWarning, match="has not yet been built"):
        model.save(tmp_path / "m.keras")
    assert not load_model(tmp_path / "m.keras").built


def test_load_model_wraps_unknown_classes_in_file_format_error(tmp_path):
    @register_keras_serializable(package="SavingTestLocal")
    class Doubler(layers.Layer):
        def call(self, x):
            return x * 2

    model = models.Sequential([layers.Input((2,)), Doubler(name="doubler")])
    model.save(tmp_path / "m.keras")
    assert isinstance(load_model(tmp_path / "m.keras").layers[0], Doubler)
    from numkeras.saving.object_registration import GLOBAL_CUSTOM_NAMES, GLOBAL_CUSTOM_OBJECTS
    del GLOBAL_CUSTOM_OBJECTS["SavingTestLocal>Doubler"], GLOBAL_CUSTOM_NAMES[Doubler]
    with pytest.raises(FileFormatError, match="Could not locate class 'Doubler'.*custom_objects"):
        load_model(tmp_path / "m.keras")
    assert isinstance(load_model(tmp_path / "m.keras", custom_objects={"Doubler": Doubler}).layers[0], Doubler)


@register_keras_serializable(package="SavingTest")
class Subclassed(models.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layers.Dense(units, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_subclassed_model_round_trip_with_keras_paths(tmp_path):
    model = Subclassed(4)
    model.compile(optimizer="adam", loss="mse")
    x = np.linspace(0, 1, 16, dtype="float32").reshape(8, 2)
    model.fit(x, x[:, :1], verbose=0)
    model.save(tmp_path / "sub.keras")
    with zipfile.ZipFile(tmp_path / "sub.keras") as archive:
        paths = []
        h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r").visit(paths.append)
    # As Keras 3.15 lays out this model: attributes in sorted order, `layers` reaching `out` first.
    assert {"hidden/vars/0", "layers/dense_1/vars/0", "optimizer/vars/9", "vars"} <= set(paths)
    loaded = load_model(tmp_path / "sub.keras")
    assert type(loaded) is Subclassed and loaded.units == 4
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
