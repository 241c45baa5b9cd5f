import io

import h5py
import numpy as np
import pytest

from numkeras import layers, models
from numkeras.saving.h5_weights import load_state, read_store, save_state, walk


def h5_of(model):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        save_state(model, f)
    return h5py.File(io.BytesIO(buffer.getvalue()), "r")


class Block(layers.Layer):
    """A layer owning sublayers through attributes (public, private and in a list)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.proj = layers.Dense(3, name="proj")
        self._gate = layers.Dense(3, name="gate")
        self.stack = [layers.Dense(3, name="s0"), layers.Dense(3, name="s1")]

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(3,), initializer="ones", name="scale")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, x):
        for layer in self.stack:
            x = layer(x)
        return self.proj(x) * self._gate(x) * self.scale


def test_paths_follow_keras_attribute_walk():
    model = models.Sequential([layers.Input((3,)), Block(name="block"), layers.Dense(1)])
    f = h5_of(model)
    paths = []
    f.visit(paths.append)
    assert "layers/block/vars/0" in paths and f["layers/block/vars/0"].shape == (3,)  # own: trainable first
    assert f["layers/block/vars/1"].shape == ()  # then non-trainable
    assert f["layers/block/proj/vars"].attrs["name"] == "proj"
    assert f["layers/block/stack/dense/vars"].attrs["name"] == "s0"
    assert f["layers/block/stack/dense_1/vars"].attrs["name"] == "s1"
    assert f["layers/block/_gate/vars"].attrs["name"] == "gate"  # private attributes come last
    assert f["layers/dense/vars"].attrs["name"] == model.layers[1].name
    assert not any(p.startswith("_input_layer") for p in paths)


def test_each_object_is_stored_once_at_its_first_path():
    shared = layers.Dense(2, name="shared")

    class Twice(layers.Layer):
        def __init__(self):
            super().__init__(name="twice")
            self.a = shared
            self.b = shared

        def call(self, x):
            return self.b(self.a(x))

    model = models.Sequential([layers.Input((2,)), Twice()])
    assert [path for path, _ in walk(model)] == ["", "layers/twice", "layers/twice/a"]


def test_load_checks_everything_before_assigning():
    source = models.Sequential([layers.Input((3,)), layers.Dense(4), layers.Dense(2)])
    target = models.Sequential([layers.Input((3,)), layers.Dense(4), layers.Dense(5)])
    before = target.get_weights()
    with pytest.raises(ValueError, match="A total of 1 objects could not be loaded"):
        load_state(target, h5_of(source))
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_links_and_non_numeric_data_are_refused(tmp_path):
    model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
    path = tmp_path / "w.weights.h5"
    with h5py.File(path, "w") as f:
        save_state(model, f)
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.SoftLink("/layers/dense/vars/1")
    with h5py.File(path, "r") as f, pytest.raises(ValueError, match="SoftLink"):
        read_store(f, "layers/dense")
    with h5py.File(path, "w") as f:
        f.create_group("layers/dense/vars").create_dataset("0", data=np.array([b"text"]))
    with h5py.File(path, "r") as f, pytest.raises(ValueError, match="not numbers"):
        read_store(f, "layers/dense")
    with h5py.File(path, "r") as f:
        assert read_store(f, "layers/missing") == {}
