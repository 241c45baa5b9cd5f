import os
import warnings

import numpy as np
import pytest

from numkeras import layers, models
from numkeras.preprocessing.image import DirectoryIterator, ImageDataGenerator, NumpyArrayIterator
from numkeras.utils import PyDataset
from numkeras.utils.keras2_idioms import Keras2IdiomWarning


@pytest.fixture(autouse=True)
def quiet_notes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Keras2IdiomWarning)
        yield


@pytest.fixture
def folders(tmp_path):
    """cats (3 images, one nested) and dogs (4); a text file and an empty folder that are not classes' images."""
    from PIL import Image
    rs = np.random.RandomState(0)
    for name, count in (("cats", 3), ("dogs", 4)):
        (tmp_path / name / "sub").mkdir(parents=True)
        for i in range(count):
            where = tmp_path / name / ("sub" if i == 1 else "") / f"{name}{i}.png"
            Image.fromarray(rs.randint(0, 256, (5 + i, 6, 3)).astype("uint8")).save(where)
    (tmp_path / "cats" / "readme.txt").write_text("skip me")
    (tmp_path / "zebras").mkdir()
    return tmp_path


def test_flow_is_a_pydataset_and_an_endless_generator():
    x, y = np.arange(5 * 4, dtype="float32").reshape(5, 2, 2, 1), np.arange(5)
    it = ImageDataGenerator().flow(x, y, batch_size=2, shuffle=False)
    assert isinstance(it, (NumpyArrayIterator, PyDataset)) and len(it) == 3
    assert [next(it)[1].tolist() for _ in range(5)] == [[0, 1], [2, 3], [4], [0, 1], [2, 3]]
    np.testing.assert_array_equal(it[1][0], x[2:4])
    assert [b[1].tolist() for b in (it[0], it[3])] == [[0, 1], [0, 1]]  # past len(): the next epoch
    assert next(ImageDataGenerator().flow(x, batch_size=5)).shape == (5, 2, 2, 1)  # no y: x alone
    w = np.linspace(0, 1, 5)
    bx, by, bw = next(ImageDataGenerator().flow(x, y, sample_weight=w, batch_size=5, shuffle=False))
    np.testing.assert_array_equal(bw, w)


def test_flow_shuffles_each_epoch_repeatably_with_a_seed():
    x, y = np.zeros((10, 2, 2, 1), "float32"), np.arange(10)

    def epochs(seed):
        it = ImageDataGenerator().flow(x, y, batch_size=5, seed=seed)
        return [np.concatenate([next(it)[1], next(it)[1]]).tolist() for _ in range(3)]
    first = epochs(3)
    assert first == epochs(3)
    assert all(sorted(epoch) == list(range(10)) for epoch in first)
    assert first[0] != first[1] and first[0] != list(range(10))


def test_flow_rescales_and_splits_for_validation():
    x, y = np.full((10, 2, 2, 3), 255.0, "float32"), np.arange(10) % 2
    gen = ImageDataGenerator(rescale=1 / 255, validation_split=0.2)
    validation = gen.flow(x, y, batch_size=10, subset="validation", shuffle=False)
    training = gen.flow(x, y, batch_size=10, subset="training", shuffle=False)
    bx, by = next(validation)
    assert by.tolist() == [0, 1] and next(training)[1].tolist() == [0, 1, 0, 1, 0, 1, 0, 1]
    np.testing.assert_allclose(bx, 1.0)
    with pytest.raises(ValueError, match="different number of classes"):
        gen.flow(x, np.arange(10), subset="validation")
    with pytest.raises(ValueError, match="rank 4"):
        gen.flow(np.zeros((3, 2, 2)))
    with pytest.raises(ValueError, match="same length"):
        gen.flow(x, y[:3])


def test_flow_from_directory_indexes_classes_and_files(folders, capsys):
    it = ImageDataGenerator(rescale=1 / 255).flow_from_directory(folders, target_size=(4, 3), batch_size=3,
                                                                 shuffle=False)
    assert capsys.readouterr().out == "Found 7 images belonging to 3 classes.\n"
    assert isinstance(it, DirectoryIterator) and len(it) == 3 and it.samples == 7
    assert it.class_indices == {"cats": 0, "dogs": 1, "zebras": 2}
    assert it.filenames == [os.path.join(*p.split("/")) for p in (
        "cats/cats0.png", "cats/cats2.png", "cats/sub/cats1.png",
        "dogs/dogs0.png", "dogs/dogs2.png", "dogs/dogs3.png", "dogs/sub/dogs1.png")]
    assert it.classes.tolist() == [0, 0, 0, 1, 1, 1, 1]
    assert it.filepaths[0] == os.path.join(folders, "cats/cats0.png")
    x, y = next(it)
    assert x.shape == (3, 4, 3, 3) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    np.testing.assert_array_equal(y, np.eye(3, dtype="float32")[[0, 0, 0]])
    from numkeras.utils.image_utils import img_to_array, load_img
    expected = img_to_array(load_img(os.path.join(folders, "cats", "cats0.png"), target_size=(4, 3))) / 255
    np.testing.assert_allclose(x[0], expected, rtol=1e-6)


@pytest.mark.parametrize("class_mode", ["binary", "sparse", "input", None])
def test_flow_from_directory_class_modes(folders, class_mode, capsys):
    it = ImageDataGenerator().flow_from_directory(folders, target_size=(3, 3), batch_size=7, shuffle=False,
                                                  classes=["dogs", "cats"], class_mode=class_mode,
                                                  color_mode="grayscale")
    batch = next(it)
    if class_mode is None:
        assert batch.shape == (7, 3, 3, 1)
    elif class_mode == "input":
        np.testing.assert_array_equal(batch[0], batch[1])
    else:
        assert batch[1].tolist() == [0, 0, 0, 0, 1, 1, 1] and batch[1].dtype == np.float32
    assert it.class_indices == {"dogs": 0, "cats": 1}


def test_flow_from_directory_validation_subset_splits_each_class(folders, capsys):
    gen = ImageDataGenerator(validation_split=0.34)
    validation = gen.flow_from_directory(folders, target_size=(2, 2), subset="validation", classes=["cats", "dogs"])
    training = gen.flow_from_directory(folders, target_size=(2, 2), subset="training", classes=["cats", "dogs"])
    assert validation.filenames == ["cats/cats0.png", "dogs/dogs0.png"]  # int(0.34 * 3), int(0.34 * 4) per class
    assert sorted(validation.filenames + training.filenames) == sorted(
        gen.flow_from_directory(folders, target_size=(2, 2), classes=["cats", "dogs"]).filenames)
    with pytest.raises(ValueError, match="class_mode"):
        gen.flow_from_directory(folders, class_mode="multi_output")
    with pytest.raises(ValueError, match="not a directory"):
        gen.flow_from_directory(folders / "missing")


def test_fit_and_fit_generator_take_more_steps_than_an_epoch_holds(folders, capsys):
    gen = ImageDataGenerator(rescale=1 / 255, rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
                             shear_range=0.2, zoom_range=0.2, horizontal_flip=True)
    train = gen.flow_from_directory(folders, target_size=(6, 6), batch_size=3, class_mode="binary",
                                    classes=["cats", "dogs"])
    model = models.Sequential([layers.Input((6, 6, 3)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    seen = []
    counter = train._get_batches_of_transformed_samples
    train._get_batches_of_transformed_samples = lambda index: seen.append(len(index)) or counter(index)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "ran out of data"
        history = model.fit(train, steps_per_epoch=5, epochs=2, validation_data=train, validation_steps=2,
                            verbose=0)
    assert len(train) == 3 and len(history.history["loss"]) == 2 and "val_acc" in history.history
    assert len(seen) == 2 * (5 + 2)
    history = model.fit_generator(train, steps_per_epoch=4, epochs=1, verbose=0)
    assert len(history.history["acc"]) == 1
    seen.clear()
    model.fit(train, epochs=1, verbose=0)  # without steps_per_epoch: one pass, len() batches
    assert len(seen) == 3


def test_save_to_dir_writes_each_augmented_image(tmp_path):
    out = tmp_path / "augmented"
    out.mkdir()
    x = np.random.RandomState(0).rand(4, 5, 5, 3).astype("float32")
    it = ImageDataGenerator(horizontal_flip=True).flow(x, batch_size=3, save_to_dir=str(out), save_prefix="aug",
                                                       save_format="png", seed=1)
    next(it)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and all(n.startswith("aug_") and n.endswith(".png") for n in names)
