import os

import numpy as np
import pytest

from numkeras.engine.image_ops_test import loop_bilinear_resize
from numkeras.utils.image_dataset import image_dataset_from_directory
from numkeras.utils.image_utils import save_img

pytest.importorskip("PIL")
CLASSES = {"cats": 5, "dogs": 4, "zebras": 3}


@pytest.fixture
def tree(tmp_path):
    """Three class folders of PNG and JPEG files; every pixel of a file holds 20 * class + file index."""
    for c, (name, count) in enumerate(CLASSES.items()):
        for i in range(count):
            folder = tmp_path / name / ("nested" if i == 0 else "")
            folder.mkdir(parents=True, exist_ok=True)
            ext = ".jpg" if i % 2 else ".PNG"
            save_img(folder / f"img_{i}{ext}", np.full((6, 5, 3), 20 * c + i, "uint8"), scale=False, quality=100)
    (tmp_path / "cats" / "notes.txt").write_text("not an image")
    (tmp_path / ".hidden").mkdir()
    save_img(tmp_path / ".hidden" / "x.png", np.zeros((6, 5, 3)), scale=False)
    return tmp_path


def keras_order(root, seed):
    """The file order Keras uses: classes sorted, files walked sorted, then one RandomState(seed) shuffle."""
    paths = []
    for name in sorted(CLASSES):
        for dirpath, _, files in sorted(os.walk(root / name), key=lambda e: e[0]):
            paths += [os.path.join(dirpath, f) for f in sorted(files) if not f.endswith(".txt")]
    np.random.RandomState(seed).shuffle(paths)
    return paths


def epoch(ds):
    images, labels = zip(*ds)
    return np.concatenate(images), np.concatenate(labels)


def pixel_ids(images):
    return np.round(images[:, 0, 0, 0]).astype(int)


def test_classes_labels_and_shapes(tree, capsys):
    ds = image_dataset_from_directory(tree, image_size=(6, 5), batch_size=5, seed=3)
    assert "Found 12 files belonging to 3 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs", "zebras"] and len(ds) == 3
    batches = list(ds)
    assert [b[0].shape for b in batches] == [(5, 6, 5, 3), (5, 6, 5, 3), (2, 6, 5, 3)]
    assert batches[0][0].dtype == np.float32 and batches[0][1].dtype == np.int32
    images, labels = epoch(ds)
    np.testing.assert_array_equal(pixel_ids(images) // 20, labels)  # each image carries its own class label
    assert sorted(pixel_ids(images) % 20) == sorted(i for n in CLASSES.values() for i in range(n))


def test_file_order_and_splits_follow_keras_for_a_seed(tree, capsys):
    train, val = image_dataset_from_directory(tree, image_size=(6, 5), seed=1337, validation_split=0.25,
                                              subset="both")
    assert capsys.readouterr().out.splitlines()[1:] == ["Using 9 files for training.", "Using 3 files for validation."]
    expected = keras_order(tree, 1337)
    assert train.file_paths == expected[:9] and val.file_paths == expected[9:]
    alone = image_dataset_from_directory(tree, seed=1337, validation_split=0.25, subset="validation", verbose=False)
    assert alone.file_paths == val.file_paths
    _, val_labels = epoch(val)
    folders = [os.path.relpath(p, tree).split(os.sep)[0] for p in expected[9:]]
    assert val_labels.tolist() == [sorted(CLASSES).index(f) for f in folders]


def test_reshuffled_each_epoch_and_a_fixed_seed_repeats(tree):
    a = image_dataset_from_directory(tree, image_size=(6, 5), batch_size=4, seed=5, verbose=False)
    b = image_dataset_from_directory(tree, image_size=(6, 5), batch_size=4, seed=5, verbose=False)
    first, second = pixel_ids(epoch(a)[0]), pixel_ids(epoch(a)[0])
    assert not np.array_equal(first, second) and sorted(first) == sorted(second)
    np.testing.assert_array_equal(pixel_ids(epoch(b)[0]), first)
    np.testing.assert_array_equal(pixel_ids(epoch(b)[0]), second)
    other = image_dataset_from_directory(tree, image_size=(6, 5), seed=6, verbose=False)
    assert other.file_paths != a.file_paths


def test_no_shuffle_is_alphanumeric_and_validation_of_both_is_not_reshuffled(tree):
    ds = image_dataset_from_directory(tree, image_size=(6, 5), shuffle=False, verbose=False)
    assert epoch(ds)[1].tolist() == [0] * 5 + [1] * 4 + [2] * 3
    _, val = image_dataset_from_directory(tree, image_size=(6, 5), seed=2, validation_split=0.5, subset="both",
                                          verbose=False)
    np.testing.assert_array_equal(pixel_ids(epoch(val)[0]), pixel_ids(epoch(val)[0]))


def test_label_modes_color_modes_and_unbatched(tree):
    kw = dict(image_size=(3, 4), seed=0, verbose=False)
    _, onehot = next(iter(image_dataset_from_directory(tree, label_mode="categorical", **kw)))
    assert onehot.shape == (12, 3) and onehot.dtype == np.float32 and (onehot.sum(1) == 1).all()
    images = next(iter(image_dataset_from_directory(tree, labels=None, color_mode="grayscale", **kw)))
    assert images.shape == (13, 3, 4, 1)  # without labels every folder counts, hidden ones too (as in Keras)
    rgba, _ = next(iter(image_dataset_from_directory(tree, color_mode="rgba", data_format="channels_first", **kw)))
    assert rgba.shape == (12, 4, 3, 4)
    image, label = next(iter(image_dataset_from_directory(tree, batch_size=None, **kw)))
    assert image.shape == (3, 4, 3) and label.shape == ()
    two = image_dataset_from_directory(tree, class_names=["dogs", "cats"], label_mode="binary", **kw)
    images, labels = epoch(two)
    assert two.class_names == ["dogs", "cats"] and labels.shape == (9, 1)
    np.testing.assert_array_equal(labels[:, 0], pixel_ids(images) // 20 == 0)  # cats are class 1 now


def test_explicit_labels_follow_sorted_path_order(tree):
    labels = list(range(13))  # the whole tree is walked, .hidden included
    ds = image_dataset_from_directory(tree, labels=labels, image_size=(6, 5), shuffle=False, verbose=False)
    assert ds.class_names == [str(i) for i in range(13)]
    images, got = epoch(ds)
    assert got.tolist() == labels
    # folders in sorted order (.hidden, cats, cats/nested, dogs, ...), files sorted within each
    assert pixel_ids(images).tolist() == [0, 1, 2, 3, 4, 0, 21, 22, 23, 20, 41, 42, 40]


def test_images_are_resized_like_tf_image_resize(tmp_path):
    x = (np.random.default_rng(0).random((5, 7, 3)) * 255).astype("uint8")
    (tmp_path / "only").mkdir()
    save_img(tmp_path / "only" / "a.png", x, scale=False)
    images, _ = next(iter(image_dataset_from_directory(tmp_path, image_size=(9, 4), verbose=False)))
    np.testing.assert_allclose(images[0], loop_bilinear_resize(x.astype(float), 9, 4), rtol=1e-5, atol=1e-4)
    cropped, _ = next(iter(image_dataset_from_directory(tmp_path, image_size=(5, 5), crop_to_aspect_ratio=True,
                                                        verbose=False)))
    np.testing.assert_array_equal(cropped[0], x[:, 1:6])


def test_follow_links(tree):
    os.symlink(tree / "dogs", tree / "cats" / "linked")
    kw = dict(image_size=(6, 5), seed=0, verbose=False)
    assert len(image_dataset_from_directory(tree, **kw).file_paths) == 12
    assert len(image_dataset_from_directory(tree, follow_links=True, **kw).file_paths) == 16


def test_bad_arguments(tree, tmp_path_factory):
    with pytest.raises(ValueError, match="pass a seed"):
        image_dataset_from_directory(tree, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="set both or neither"):
        image_dataset_from_directory(tree, subset="training", seed=1)
    with pytest.raises(ValueError, match="exactly 2 classes"):
        image_dataset_from_directory(tree, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="class_names must name subdirectories"):
        image_dataset_from_directory(tree, class_names=["cats", "horses"])
    with pytest.raises(ValueError, match="labels has 3 entries but 13"):
        image_dataset_from_directory(tree, labels=[0, 1, 0], verbose=False)
    with pytest.raises(ValueError, match="No images found"):
        image_dataset_from_directory(tmp_path_factory.mktemp("empty"), verbose=False)
    with pytest.raises(ValueError, match="interpolation='area'"):
        image_dataset_from_directory(tree, interpolation="area")


def test_an_image_dataset_is_a_dataset(tree):
    from numkeras.utils.dataset import Dataset
    from numkeras.utils.dataset_utils import split_dataset
    ds = image_dataset_from_directory(tree, image_size=(6, 5), batch_size=5, shuffle=False, verbose=False)
    assert isinstance(ds, Dataset) and ds.cardinality() == 3
    halved = ds.map(lambda x, y: (x / 2, y))
    np.testing.assert_allclose(next(iter(halved))[0], next(iter(ds))[0] / 2)
    left, right = split_dataset(ds, left_size=10)
    assert [len(x) for x, _ in left] == [5, 5] and [len(x) for x, _ in right] == [2]
    np.testing.assert_array_equal(next(iter(right))[1], epoch(ds)[1][10:])
