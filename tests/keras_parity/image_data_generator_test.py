"""Keras 2's ImageDataGenerator against Keras 3's legacy copy of it (keras.src.legacy, resampling with SciPy).

Deterministic parts must agree: `apply_transform` with fixed rotation, shifts, shear, zoom, flips and
channel shift under every fill mode, rescaling and normalization, the files `flow_from_directory`
finds and their order, labels and class indices, the validation split. The random parts draw from
NumPy's global random state in the same order as Keras, so with the same seed they agree too: the
parameters `get_random_transform` draws, the shuffled order and every augmented batch of `flow` and
`flow_from_directory`, across an epoch's end.
"""
import os
import warnings

import numpy as np
import pytest

from keras_parity.harness import assert_close
from numkeras.preprocessing.image import ImageDataGenerator
from numkeras.utils.keras2_idioms import Keras2IdiomWarning

TRANSFORMS = [{"theta": 30}, {"tx": 1.5, "ty": -2.0}, {"shear": 12}, {"zx": 1.2, "zy": 0.8},
              {"theta": -20, "tx": 1.0, "ty": 2.0, "shear": 5, "zx": 0.9, "zy": 1.1},
              {"flip_horizontal": True}, {"flip_vertical": True}, {"channel_shift_intensity": 20.0}]
FILL_MODES = ["nearest", "reflect", "constant", "wrap"]
AUGMENT = {"rotation_range": 40, "width_shift_range": 0.2, "height_shift_range": 2, "shear_range": 20,
           "zoom_range": 0.2, "horizontal_flip": True, "vertical_flip": True, "channel_shift_range": 5.0}
FLOWS = {  # name -> (generator kwargs, flow kwargs)
    "plain": ({}, {"batch_size": 4, "shuffle": False}),
    "shuffled": ({"rescale": 1 / 255}, {"batch_size": 3, "shuffle": True, "seed": 7}),
    "augmented": ({**AUGMENT, "rescale": 1 / 255, "fill_mode": "reflect"}, {"batch_size": 4, "seed": 3}),
    "validation": ({"validation_split": 0.3, "samplewise_center": True, "samplewise_std_normalization": True},
                   {"batch_size": 2, "subset": "validation", "shuffle": False}),
    "featurewise": ({"featurewise_center": True, "featurewise_std_normalization": True},
                    {"batch_size": 5, "shuffle": False}),
}
DIRECTORIES = {  # name -> (generator kwargs, flow_from_directory kwargs)
    "categorical": ({"rescale": 1 / 255}, {"target_size": (6, 5), "batch_size": 4, "seed": 11}),
    "binary_augmented": ({**AUGMENT, "rescale": 1 / 255}, {"target_size": (6, 6), "batch_size": 3, "seed": 5,
                                                           "class_mode": "binary", "classes": ["dogs", "cats"]}),
    "sparse_grayscale": ({}, {"target_size": (4, 7), "batch_size": 5, "color_mode": "grayscale",
                              "class_mode": "sparse", "shuffle": False, "interpolation": "bilinear"}),
    "validation_input": ({"validation_split": 0.4}, {"target_size": (5, 5), "batch_size": 2, "class_mode": "input",
                                                     "subset": "validation", "seed": 1}),
    "training_none": ({"validation_split": 0.4}, {"target_size": (5, 5), "batch_size": 3, "class_mode": None,
                                                  "subset": "training", "shuffle": False}),
}
BATCHES = 5  # batches drawn with next(): past the end of an epoch for every case


def images(n=10, shape=(7, 9, 3), seed=0):
    return (np.random.RandomState(seed).rand(n, *shape) * 255).astype("float32")


def write_class_folders(root):
    """Two classes (and a stray file and an empty folder), images of several sizes, one in a nested folder."""
    from PIL import Image
    rs = np.random.RandomState(4)
    for name, count in (("cats", 5), ("dogs", 4)):
        os.makedirs(os.path.join(root, name, "nested"), exist_ok=True)
        for i in range(count):
            sub = "nested" if i == 2 else ""
            ext = ("png", "jpg", "bmp")[i % 3]
            pixels = rs.randint(0, 256, (6 + i, 8 - i % 2, 3)).astype("uint8")
            Image.fromarray(pixels).save(os.path.join(root, name, sub, f"{name}_{i}.{ext}"))
    os.makedirs(os.path.join(root, "empty"), exist_ok=True)
    with open(os.path.join(root, "cats", "notes.txt"), "w") as f:
        f.write("not an image")


def decoded_images(root, dir_kwargs):
    """Every image file under `root` as load_img gives it for these flow_from_directory arguments (the Keras
    environment has no Pillow to decode them; load_img is Keras 3's own function, tested on its own)."""
    from numkeras.utils.image_utils import load_img
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(("png", "jpg", "bmp")):
                path = os.path.join(folder, name)
                found[os.path.relpath(path, root)] = np.asarray(load_img(
                    path, color_mode=dir_kwargs.get("color_mode", "rgb"), target_size=dir_kwargs["target_size"],
                    interpolation=dir_kwargs.get("interpolation", "nearest")), dtype="float32")
    return found


def ours(generator_kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Keras2IdiomWarning)
        return ImageDataGenerator(**generator_kwargs)


@pytest.fixture(scope="module")
def keras_side(keras_reference):
    ref = keras_reference
    root = os.path.join(ref.folder, "images")
    write_class_folders(root)
    image = ref.array(images(1)[0])
    for mode in FILL_MODES:
        ref.add(f"transform-{mode}", "image_data_generator", kwargs={"fill_mode": mode, "cval": 7.0}, image=image,
                transforms=TRANSFORMS)
    ref.add("transform-nearest-order0", "image_data_generator", kwargs={"interpolation_order": 0}, image=image,
            transforms=TRANSFORMS[:5])
    ref.add("transform-channels-first", "image_data_generator", kwargs={"data_format": "channels_first"},
            image=ref.array(np.moveaxis(images(1)[0], -1, 0)), transforms=TRANSFORMS)
    ref.add("random-params", "image_data_generator", kwargs={**AUGMENT, "brightness_range": [0.5, 1.5]},
            image=image, seeds=list(range(6)))
    x, y = images(10), np.arange(10) % 3
    for name, (gen_kwargs, flow_kwargs) in FLOWS.items():
        ref.add(f"flow-{name}", "image_data_generator", kwargs=gen_kwargs, batches=BATCHES,
                fit=ref.array(x) if name == "featurewise" else None,
                flow={"x": ref.array(x), "y": ref.array(y), "kwargs": flow_kwargs})
    for name, (gen_kwargs, dir_kwargs) in DIRECTORIES.items():
        ref.add(f"dir-{name}", "image_data_generator", kwargs=gen_kwargs, batches=BATCHES, directory=root,
                directory_kwargs=dir_kwargs, decoded={path: ref.array(array) for path, array in
                                                      decoded_images(root, dir_kwargs).items()})
    return root, ref.run()


@pytest.mark.parametrize("mode", FILL_MODES)
def test_apply_transform_matches_for_every_fill_mode(keras_side, mode):
    theirs = keras_side[1][f"transform-{mode}"]
    gen = ours({"fill_mode": mode, "cval": 7.0})
    for i, params in enumerate(TRANSFORMS):
        assert_close(gen.apply_transform(images(1)[0], params), theirs[f"transform{i}"], rtol=1e-5, atol=2e-3,
                     what=f"{mode}: {params}")


def test_apply_transform_nearest_interpolation_and_channels_first(keras_side):
    theirs = keras_side[1]["transform-nearest-order0"]
    gen = ours({"interpolation_order": 0})
    for i, params in enumerate(TRANSFORMS[:5]):
        assert_close(gen.apply_transform(images(1)[0], params), theirs[f"transform{i}"], what=f"order 0: {params}")
    theirs = keras_side[1]["transform-channels-first"]
    gen = ours({"data_format": "channels_first"})
    for i, params in enumerate(TRANSFORMS):
        assert_close(gen.apply_transform(np.moveaxis(images(1)[0], -1, 0), params), theirs[f"transform{i}"],
                     rtol=1e-5, atol=2e-3, what=f"channels_first: {params}")


def test_random_parameters_are_drawn_as_keras_draws_them(keras_side):
    gen = ours({**AUGMENT, "brightness_range": [0.5, 1.5]})
    drawn = [[float(v) for v in gen.get_random_transform(images(1)[0].shape, seed=s).values()] for s in range(6)]
    np.testing.assert_allclose(drawn, keras_side[1]["random-params"]["params"], rtol=1e-12)


def assert_batches(iterator, theirs, what):
    assert len(iterator) == theirs.meta["length"], f"{what}: len()"
    for i in range(BATCHES):
        batch = next(iterator)
        parts = batch if isinstance(batch, tuple) else (batch,)
        assert len(parts) == sum(k.startswith(f"batch{i}_") for k in theirs.arrays), f"{what}: parts of batch {i}"
        for j, part in enumerate(parts):
            assert part.dtype == theirs[f"batch{i}_{j}"].dtype or j > 0, f"{what}: dtype of batch {i}"
            assert_close(part, theirs[f"batch{i}_{j}"], rtol=1e-5, atol=1e-5, what=f"{what}: batch {i} part {j}")


@pytest.mark.parametrize("name", FLOWS)
def test_flow_batches_match(keras_side, name):
    gen_kwargs, flow_kwargs = FLOWS[name]
    gen = ours(gen_kwargs)
    x, y = images(10), np.arange(10) % 3
    if name == "featurewise":
        gen.fit(x)
    assert_batches(gen.flow(x, y, **flow_kwargs), keras_side[1][f"flow-{name}"], f"flow {name}")


@pytest.mark.parametrize("name", DIRECTORIES)
def test_flow_from_directory_files_labels_and_batches_match(keras_side, name, capsys):
    root, results = keras_side
    theirs = results[f"dir-{name}"].check()
    gen_kwargs, dir_kwargs = DIRECTORIES[name]
    iterator = ours(gen_kwargs).flow_from_directory(root, **dir_kwargs)
    assert capsys.readouterr().out == f"Found {theirs.meta['samples']} images belonging to " \
                                      f"{len(theirs.meta['class_indices'])} classes.\n"
    assert iterator.class_indices == theirs.meta["class_indices"]
    assert iterator.filenames == theirs.meta["filenames"]
    assert iterator.classes.tolist() == theirs.meta["classes"] and iterator.samples == theirs.meta["samples"]
    assert_batches(iterator, theirs, f"directory {name}")
