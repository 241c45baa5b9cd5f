import io
import json
import warnings

import h5py
import numpy as np
import pytest

from numkeras import layers, models, optimizers, saving, utils
from numkeras.saving import FileFormatError
from numkeras.saving.legacy_h5 import HDF5_OBJECT_HEADER_LIMIT, load_attributes, save_attributes
from numkeras.utils import keras2_idioms
from numkeras.utils.keras2_idioms import Keras2IdiomWarning


@pytest.fixture(autouse=True)
def quiet_notes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Keras2IdiomWarning)
        yield


def compiled_sequential():
    utils.set_random_seed(3)
    model = models.Sequential([layers.Input((4,)), layers.Dense(6, activation="relu", name="dense"),
                               layers.BatchNormalization(),
                               layers.Dense(3, activation="softmax", name="probs")])
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def xy(n=32):
    rs = np.random.RandomState(0)
    return rs.rand(n, 4).astype("float32"), np.eye(3, dtype="float32")[rs.randint(0, 3, n)]


def test_compiled_sequential_round_trip_restores_weights_compile_and_optimizer(tmp_path):
    model = compiled_sequential()
    x, y = xy()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "m.h5")
    restored = models.load_model(tmp_path / "m.h5")
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert restored.compiled and type(restored.optimizer).__name__ == "Adam"
    assert restored.loss == "categorical_crossentropy"
    assert int(restored.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy()) == 8
    for a, b in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a.data), np.asarray(b.data))
    # The optimizer state crossed: one more epoch gives both the same weights and history.
    h1 = model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    h2 = restored.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    assert h1.history == h2.history
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_functional_round_trip_and_file_layout(tmp_path):
    utils.set_random_seed(4)
    a, b = layers.Input((4,), name="a"), layers.Input((3,), name="b")
    h = layers.Concatenate(name="cat")([layers.Dense(5, name="da")(a), layers.Dense(2, name="db")(b)])
    model = models.Model([a, b], [layers.Dense(2, name="out1")(h), layers.Dense(1, name="out2")(h)])
    model.save(tmp_path / "f.h5")
    restored = saving.load_model(tmp_path / "f.h5")
    xs = [np.ones((2, 4), "float32"), np.full((2, 3), 0.5, "float32")]
    for p, q in zip(model.predict(xs, verbose=0), restored.predict(xs, verbose=0)):
        np.testing.assert_array_equal(p, q)
    assert not restored.compiled
    with h5py.File(tmp_path / "f.h5") as f:
        assert json.loads(f.attrs["model_config"])["class_name"] == "Functional"
        assert "training_config" not in f.attrs and "optimizer_weights" not in f
        assert load_attributes(f["model_weights"], "layer_names") == [layer.name for layer in model.layers]
        assert load_attributes(f["model_weights/da"], "weight_names") == ["da/kernel", "da/bias"]
        np.testing.assert_array_equal(f["model_weights/da/da/kernel"][()], model.get_layer("da").kernel.numpy())
        assert load_attributes(f["model_weights/cat"], "weight_names") == []


def test_nested_partly_frozen_model_stores_trainable_then_frozen_weights(tmp_path):
    utils.set_random_seed(5)
    base = models.Sequential([layers.Input((5,)), layers.Dense(4, name="b1"), layers.BatchNormalization(name="bn"),
                              layers.Dense(3, name="b2")], name="base")
    base.get_layer("b1").trainable = False
    model = models.Sequential([layers.Input((5,)), base, layers.Dense(2, name="head")])
    model.save(tmp_path / "n.h5")
    with h5py.File(tmp_path / "n.h5") as f:
        names = load_attributes(f["model_weights/base"], "weight_names")
    assert names == ["base/" + n for n in (  # as Keras stores a layer: trainable, then non-trainable
        "bn/gamma", "bn/beta", "b2/kernel", "b2/bias", "b1/kernel", "b1/bias", "bn/moving_mean", "bn/moving_variance")]
    restored = models.load_model(tmp_path / "n.h5")
    assert not restored.layers[0].get_layer("b1").trainable
    x = np.random.RandomState(0).rand(3, 5).astype("float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_include_optimizer_false_and_uncompiled_loads_uncompiled(tmp_path):
    model = compiled_sequential()
    model.fit(*xy(), epochs=1, verbose=0)
    model.save(tmp_path / "m.h5", include_optimizer=False)
    assert not models.load_model(tmp_path / "m.h5").compiled
    assert models.load_model(tmp_path / "m.h5", compile=True).count_params() == model.count_params()
    model.save(tmp_path / "c.h5")
    assert not models.load_model(tmp_path / "c.h5", compile=False).compiled


def test_save_h5_is_noted_once_with_the_keras3_spelling(tmp_path):
    model = compiled_sequential()
    keras2_idioms._forget_for_tests()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.save(tmp_path / "a.h5")
        model.save(tmp_path / "b.h5")
    notes = [w for w in caught if issubclass(w.category, Keras2IdiomWarning)]
    assert len(notes) == 1 and "model.save('name.keras')" in str(notes[0].message)


def test_save_is_atomic(tmp_path, monkeypatch):
    model = compiled_sequential()
    model.save(tmp_path / "m.h5")
    before = (tmp_path / "m.h5").read_bytes()
    from numkeras.saving import legacy_h5

    def broken(*args):
        raise OSError("disk full")
    monkeypatch.setattr(legacy_h5, "_write_subset", broken)
    with pytest.raises(OSError, match="disk full"):
        model.save(tmp_path / "m.h5")
    assert (tmp_path / "m.h5").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.h5"]


def test_duplicate_layer_names_are_refused_by_name(tmp_path):
    model = models.Sequential([layers.Input((2,)), layers.Dense(2, name="twin"), layers.Dense(2, name="twin")])
    with pytest.raises(ValueError, match="'twin' is used 2 times"):
        model.save(tmp_path / "m.h5")
    assert not (tmp_path / "m.h5").exists()


def test_save_to_and_load_from_file_objects():
    model = compiled_sequential()
    buffer = io.BytesIO()
    from numkeras.saving.legacy_h5 import save_model_to_hdf5
    save_model_to_hdf5(model, buffer)
    buffer.seek(0)
    restored = saving.load_model(buffer)  # recognised by HDF5's signature
    np.testing.assert_array_equal(model.get_weights()[0], restored.get_weights()[0])


def test_long_attribute_lists_are_split_into_chunks(tmp_path):
    names = [f"layer_{i:05d}_{'x' * 200}".encode() for i in range(400)]  # ~84 KB, past HDF5's 64 KB header limit
    with h5py.File(tmp_path / "a.h5", "w") as f:
        save_attributes(f, "layer_names", names)
        assert "layer_names" not in f.attrs and "layer_names0" in f.attrs and "layer_names1" in f.attrs
        assert all(f.attrs[k].nbytes <= HDF5_OBJECT_HEADER_LIMIT for k in f.attrs)
        assert load_attributes(f, "layer_names") == [n.decode() for n in names]
        save_attributes(f, "short", [b"a", b"b"])
        assert load_attributes(f, "short") == ["a", "b"] and load_attributes(f, "missing") == []


# -- files in Keras 2's exact shape, written by hand -----------------------------
def glorot(seed=None):
    return {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform",
                                                        "seed": seed}}


def dense_config(name, units, activation, **extra):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
            "use_bias": True, "kernel_initializer": glorot(), "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None, **extra}


def write_keras2_file(path, model_config, layer_weights, training_config=None, optimizer_weights=None):
    """A file as Keras 2.x's save_model wrote it: bytes attributes, `name/kernel:0` weight names."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.2.4"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([name.encode() for name, _ in layer_weights])
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = b"2.2.4"
        for name, weights in layer_weights:
            sub = group.create_group(name)
            sub.attrs["weight_names"] = np.array([f"{name}/{w}:0".encode() for w, _ in weights], dtype="S")
            for w, value in weights:
                sub.create_dataset(f"{name}/{w}:0", data=value)
        if optimizer_weights is not None:
            sub = f.create_group("optimizer_weights")
            sub.attrs["weight_names"] = np.array([n.encode() for n, _ in optimizer_weights])
            for n, value in optimizer_weights:
                sub.create_dataset(n, data=value)


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


KERAS2_TRAINING_CONFIG = {"optimizer_config": {"class_name": "RMSprop", "config": {
    "lr": 0.0001, "rho": 0.9, "decay": 0.0, "epsilon": 1e-07}}, "loss": "binary_crossentropy", "metrics": ["acc"],
    "sample_weight_mode": None, "loss_weights": None}


@pytest.mark.parametrize("form", ["list", "dict"])
def test_keras2_sequential_file_loads_and_predicts(tmp_path, form):
    rs = np.random.RandomState(0)
    w1, b1 = rs.randn(4, 5).astype("float32"), rs.randn(5).astype("float32")
    w2, b2 = rs.randn(5, 1).astype("float32"), rs.randn(1).astype("float32")
    layer_list = [{"class_name": "Dense", "config": dense_config("dense_1", 5, "relu", batch_input_shape=[None, 4])},
                  {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": True, "rate": 0.5,
                                                       "noise_shape": None, "seed": None}},
                  {"class_name": "Dense", "config": dense_config("dense_2", 1, "sigmoid")}]
    config = {"class_name": "Sequential",
              "config": layer_list if form == "list" else {"name": "sequential_1", "layers": layer_list}}
    write_keras2_file(tmp_path / "k2.h5", config,
                      [("dense_1", [("kernel", w1), ("bias", b1)]), ("dropout_1", []),
                       ("dense_2", [("kernel", w2), ("bias", b2)])],
                      training_config=KERAS2_TRAINING_CONFIG)
    model = models.load_model(str(tmp_path / "k2.h5"))
    x = rs.randn(3, 4).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), sigmoid(relu(x @ w1 + b1) @ w2 + b2), rtol=1e-5)
    assert [layer.name for layer in model.layers] == ["dense_1", "dropout_1", "dense_2"]
    assert model.compiled and type(model.optimizer).__name__ == "RMSprop"
    np.testing.assert_allclose(model.optimizer.get_config()["learning_rate"], 1e-4, rtol=1e-6)
    history = model.fit(x, np.ones((3, 1), "float32"), epochs=1, verbose=0)
    assert sorted(history.history) == ["acc", "loss"]  # Keras 2's metric name carries through


def test_keras2_functional_file_with_nested_list_inbound_nodes(tmp_path):
    rs = np.random.RandomState(1)
    wa, ba = rs.randn(3, 2).astype("float32"), rs.randn(2).astype("float32")
    wb, bb = rs.randn(3, 2).astype("float32"), rs.randn(2).astype("float32")
    wo, bo = rs.randn(4, 1).astype("float32"), rs.randn(1).astype("float32")
    gamma, beta = rs.rand(4).astype("float32") + 0.5, rs.randn(4).astype("float32")
    mean, var = rs.randn(4).astype("float32"), rs.rand(4).astype("float32") + 0.5
    config = {"class_name": "Model", "config": {"name": "model_1", "layers": [
        {"name": "input_1", "class_name": "InputLayer", "config": {
            "batch_input_shape": [None, 3], "dtype": "float32", "sparse": False, "name": "input_1"},
         "inbound_nodes": []},
        {"name": "dense_a", "class_name": "Dense", "config": dense_config("dense_a", 2, "tanh"),
         "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"name": "dense_b", "class_name": "Dense", "config": dense_config("dense_b", 2, "linear"),
         "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"name": "concatenate_1", "class_name": "Concatenate", "config": {
            "name": "concatenate_1", "trainable": True, "axis": -1},
         "inbound_nodes": [[["dense_a", 0, 0, {}], ["dense_b", 0, 0, {}]]]},
        {"name": "bn", "class_name": "BatchNormalization", "config": {
            "name": "bn", "trainable": True, "axis": [1], "momentum": 0.99, "epsilon": 0.001, "center": True,
            "scale": True, "beta_initializer": {"class_name": "Zeros", "config": {}},
            "gamma_initializer": {"class_name": "Ones", "config": {}},
            "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
            "moving_variance_initializer": {"class_name": "Ones", "config": {}},
            "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None},
         "inbound_nodes": [[["concatenate_1", 0, 0, {}]]]},
        {"name": "out", "class_name": "Dense", "config": dense_config(
            "out", 1, "linear", kernel_regularizer={"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}}),
         "inbound_nodes": [[["bn", 0, 0, {}]]]}],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}}
    write_keras2_file(tmp_path / "f2.h5", config, [
        ("input_1", []), ("dense_a", [("kernel", wa), ("bias", ba)]), ("dense_b", [("kernel", wb), ("bias", bb)]),
        ("concatenate_1", []),
        ("bn", [("gamma", gamma), ("beta", beta), ("moving_mean", mean), ("moving_variance", var)]),
        ("out", [("kernel", wo), ("bias", bo)])])
    model = models.load_model(tmp_path / "f2.h5")
    x = rs.randn(5, 3).astype("float32")
    h = np.concatenate([np.tanh(x @ wa + ba), x @ wb + bb], axis=-1)
    expected = ((h - mean) / np.sqrt(var + 1e-3) * gamma + beta) @ wo + bo
    predicted = model.predict(x, verbose=0)
    predicted = predicted[0] if isinstance(predicted, list) else predicted
    np.testing.assert_allclose(predicted, expected, rtol=1e-5, atol=1e-5)
    assert model.get_layer("bn").axis in (1, -1, [1], [-1])
    assert model.get_layer("out").kernel_regularizer is not None


def test_keras2_optimizer_weights_that_do_not_fit_warn_and_start_fresh(tmp_path):
    w = np.ones((2, 1), "float32")
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Dense", "config": dense_config("d", 1, "sigmoid", batch_input_shape=[None, 2])}]}}
    write_keras2_file(tmp_path / "o.h5", config, [("d", [("kernel", w), ("bias", np.zeros(1, "float32"))])],
                      training_config=KERAS2_TRAINING_CONFIG,
                      optimizer_weights=[("training/RMSprop/Variable:0", np.zeros((2, 1), "float32"))])
    with pytest.warns(UserWarning, match="freshly initialized optimizer"):
        model = models.load_model(tmp_path / "o.h5")
    assert model.compiled and int(model.optimizer.iterations.numpy()) == 0
    np.testing.assert_array_equal(model.get_weights()[0], w)


def test_weights_only_h5_file_names_load_weights(tmp_path):
    model = models.Sequential([layers.Input((2,)), layers.Dense(3, name="d")])
    kernel, bias = np.arange(6, dtype="float32").reshape(2, 3), np.ones(3, "float32")
    with h5py.File(tmp_path / "w.h5", "w") as f:  # what Keras 2's model.save_weights('w.h5') wrote
        f.attrs["layer_names"] = np.array([b"d"])
        f.attrs["backend"], f.attrs["keras_version"] = b"tensorflow", b"2.2.4"
        g = f.create_group("d")
        g.attrs["weight_names"] = np.array([b"d/kernel:0", b"d/bias:0"])
        g["d/kernel:0"], g["d/bias:0"] = kernel, bias
    with pytest.raises(FileFormatError, match=r"holds only weights.*model.load_weights"):
        models.load_model(tmp_path / "w.h5")
    model.load_weights(tmp_path / "w.h5")  # ... which reads it
    np.testing.assert_array_equal(model.get_weights()[0], kernel)
    (tmp_path / "x.weights.h5").touch()
    with pytest.raises(ValueError, match="holds only weights"):
        models.load_model(tmp_path / "x.weights.h5")


def test_mismatched_weights_change_nothing(tmp_path):
    model = compiled_sequential()
    model.save(tmp_path / "m.h5")
    other = models.Sequential([layers.Input((4,)), layers.Dense(6), layers.BatchNormalization(), layers.Dense(4)])
    before = other.get_weights()
    with pytest.raises(ValueError, match=r"Shape mismatch in layer #2.*\(6, 4\).*\(6, 3\)"):
        other.load_weights(tmp_path / "m.h5")
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)
    fewer = models.Sequential([layers.Input((4,)), layers.Dense(3)])
    with pytest.raises(ValueError, match="Layer count mismatch"):
        fewer.load_weights(tmp_path / "m.h5")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "no_config", "bad_json", "no_weights", "link",
                                    "missing_dataset"])
def test_corrupt_files_raise_file_format_error(tmp_path, damage):
    path = tmp_path / "m.h5"
    compiled_sequential().save(path)
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:600])
    elif damage == "garbage":
        path.write_bytes(b"not an hdf5 file at all" * 10)
    else:
        with h5py.File(path, "a") as f:
            if damage == "no_config":
                del f.attrs["model_config"]
            elif damage == "bad_json":
                f.attrs["model_config"] = b'{"class_name": "Sequential", "config": '
            elif damage == "no_weights":
                del f["model_weights"]
            elif damage == "link":
                del f["model_weights/dense/dense/kernel"]
                f["model_weights/dense/dense/kernel"] = h5py.SoftLink("/model_weights/dense/dense/bias")
            elif damage == "missing_dataset":
                del f["model_weights/dense/dense/kernel"]
    with pytest.raises(FileFormatError):
        models.load_model(path)


def test_keras2_convnet_file_as_the_first_edition_saves_it(tmp_path):
    """cats_and_dogs_small_1.h5's layout (Keras 2.2.4): Conv2D/MaxPooling2D/Flatten/Dropout/Dense, smaller images."""
    conv = {"trainable": True, "dtype": "float32", "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
            "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu", "use_bias": True,
            "kernel_initializer": glorot(), "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}
    pool = {"trainable": True, "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
            "data_format": "channels_last"}
    config = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
        {"class_name": "Conv2D", "config": {**conv, "name": "conv2d_1", "filters": 4,
                                            "batch_input_shape": [None, 10, 10, 3]}},
        {"class_name": "MaxPooling2D", "config": {**pool, "name": "max_pooling2d_1"}},
        {"class_name": "Conv2D", "config": {**conv, "name": "conv2d_2", "filters": 6}},
        {"class_name": "MaxPooling2D", "config": {**pool, "name": "max_pooling2d_2"}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True, "data_format": "channels_last"}},
        {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": True, "rate": 0.5,
                                             "noise_shape": None, "seed": None}},
        {"class_name": "Dense", "config": dense_config("dense_1", 1, "sigmoid")}]}}
    rs = np.random.RandomState(7)
    shapes = {"conv2d_1": [(3, 3, 3, 4), (4,)], "conv2d_2": [(3, 3, 4, 6), (6,)], "dense_1": [(6, 1), (1,)]}
    values = {name: [rs.randn(*s).astype("float32") * 0.3 for s in pair] for name, pair in shapes.items()}
    write_keras2_file(tmp_path / "cats_and_dogs_small_1.h5", config, [
        (name, list(zip(("kernel", "bias"), values[name])) if name in values else [])
        for name in ("conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "flatten_1", "dropout_1",
                     "dense_1")], training_config=KERAS2_TRAINING_CONFIG)
    model = models.load_model(tmp_path / "cats_and_dogs_small_1.h5")
    built = models.Sequential([layers.Input((10, 10, 3)), layers.Conv2D(4, 3, activation="relu"),
                               layers.MaxPooling2D(2), layers.Conv2D(6, 3, activation="relu"), layers.MaxPooling2D(2),
                               layers.Flatten(), layers.Dropout(0.5), layers.Dense(1, activation="sigmoid")])
    built.set_weights([v for name in ("conv2d_1", "conv2d_2", "dense_1") for v in values[name]])
    x = rs.rand(2, 10, 10, 3).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), built.predict(x, verbose=0), rtol=1e-6)
    assert model.get_layer("conv2d_2").kernel_size == (3, 3) and model.compiled


def test_a_config_asking_for_more_weights_than_the_file_holds_is_refused(tmp_path):
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Dense", "config": dense_config("d", 10**9, "linear", batch_input_shape=[None, 1000])}]}}
    write_keras2_file(tmp_path / "big.h5", config, [("d", [])])
    with pytest.raises(FileFormatError, match="declares more weights than the file holds"):
        models.load_model(tmp_path / "big.h5")
