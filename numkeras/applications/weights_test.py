import hashlib

import h5py
import numpy as np
import pytest

from numkeras import layers, models
from numkeras.applications.weights import CACHE_SUBDIR, WeightsFile, load_weights
from numkeras.utils.file_utils import DownloadError
from numkeras.utils.file_utils_test import closed_port_url, serve


def write_keras2_weights(model, path):
    """Writes `model`'s weights as Keras 2's `save_weights` did, the layout of Keras's published ImageNet files.

    The root lists `layer_names`; each layer's group lists its `weight_names` and holds one dataset
    per name, trainable weights first. Keras 2 spelled the names `block1_conv1_W_1:0`; loading goes
    by layer order, so the names are written the old way to show they do not matter. Shared with
    the model tests.
    """
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([layer.name.encode() for layer in model.layers], dtype=bytes)
        f.attrs["backend"], f.attrs["keras_version"] = b"tensorflow", b"2.2.4"
        for layer in model.layers:
            group = f.create_group(layer.name)
            weights = list(layer.trainable_weights) + list(layer.non_trainable_weights)
            names = [f"{layer.name}_W_{i + 1}:0" for i in range(len(weights))]
            group.attrs["weight_names"] = np.array([n.encode() for n in names] or [], dtype="S64")
            for name, w in zip(names, weights):
                group.create_dataset(name, data=np.asarray(w.numpy()))


def tiny(include_top=True, seed=0):
    """A small convolutional model with or without its classifier, with weights from `seed`."""
    x = layers.Input((6, 6, 3), name="input_layer")
    y = layers.Conv2D(4, 3, name="conv")(x)
    y = layers.BatchNormalization(name="bn")(y)
    y = layers.GlobalAveragePooling2D(name="pool")(y)
    if include_top:
        y = layers.Dense(2, name="predictions")(y)
    model = models.Model(x, y, name="tiny")
    rs = np.random.RandomState(seed)
    model.set_weights([rs.uniform(0.5, 1.5, w.shape).astype("float32") for w in model.weights])
    return model


def arrays(model):
    return [np.asarray(w.numpy()) for w in model.weights]


def published(tmp_path, include_top, seed=1):
    """(file bytes, md5) of a weights file for `tiny(include_top)`, as a server would publish it."""
    path = tmp_path / f"src_{include_top}.h5"
    write_keras2_weights(tiny(include_top, seed), path)
    data = path.read_bytes()
    return data, hashlib.md5(data).hexdigest()


def test_none_keeps_the_initialization():
    model = tiny()
    before = arrays(model)
    assert load_weights(model, None, True, None, None) is model
    for a, b in zip(arrays(model), before):
        np.testing.assert_array_equal(a, b)


def test_a_path_loads_by_layer_order(tmp_path):
    source, target = tiny(seed=3), tiny(seed=4)
    path = tmp_path / "weights.h5"
    write_keras2_weights(source, path)
    load_weights(target, path, True, None, None)
    for a, b in zip(arrays(target), arrays(source)):
        np.testing.assert_array_equal(a, b)


def test_imagenet_downloads_the_file_for_the_variant_once_then_uses_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    top_data, top_md5 = published(tmp_path, True)
    notop_data, notop_md5 = published(tmp_path, False)
    with serve({"tiny.h5": top_data, "tiny_notop.h5": notop_data}) as (url, hits):
        top, notop = WeightsFile("tiny.h5", url, top_md5), WeightsFile("tiny_notop.h5", url, notop_md5)
        for _ in range(2):
            model = load_weights(tiny(True, seed=9), "imagenet", True, top, notop)
            bare = load_weights(tiny(False, seed=9), "imagenet", False, top, notop)
    assert hits == {"tiny.h5": 1, "tiny_notop.h5": 1}
    assert (tmp_path / "home" / CACHE_SUBDIR / "tiny_notop.h5").read_bytes() == notop_data
    for a, b in zip(arrays(model), arrays(tiny(True, seed=1))):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(arrays(bare), arrays(tiny(False, seed=1))):
        np.testing.assert_array_equal(a, b)


def test_a_download_that_does_not_match_its_hash_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    data, _ = published(tmp_path, True)
    with serve({"tiny.h5": data}) as (url, _):
        with pytest.raises(ValueError, match="hash"):
            load_weights(tiny(), "imagenet", True, WeightsFile("tiny.h5", url, "0" * 32), None)
    assert not (tmp_path / "home" / CACHE_SUBDIR / "tiny.h5").exists()


def test_an_unreachable_server_raises_a_download_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    with pytest.raises(DownloadError):
        load_weights(tiny(), "imagenet", True, WeightsFile("tiny.h5", closed_port_url(), "0" * 32), None)


def test_a_variant_keras_does_not_publish():
    with pytest.raises(ValueError, match=r"tiny: there are no published ImageNet weights .*include_top=False"):
        load_weights(tiny(False), "imagenet", False, WeightsFile("t.h5", "http://127.0.0.1:9/", "0" * 32), None)


def test_a_file_for_another_model_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "notop.h5"
    write_keras2_weights(tiny(False), path)
    model = tiny(True, seed=5)
    before = arrays(model)
    with pytest.raises(ValueError, match="Layer count mismatch"):
        load_weights(model, path, True, None, None)
    for a, b in zip(arrays(model), before):
        np.testing.assert_array_equal(a, b)


def test_the_origin_joins_the_folder_and_the_name():
    assert WeightsFile("a.h5", "http://host/dir/", "x").origin == "http://host/dir/a.h5"
