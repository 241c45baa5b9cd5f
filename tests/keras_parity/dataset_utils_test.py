"""The files, labels, order and splits of numkeras's directory loaders against Keras's own indexing.

Keras's `keras.src.utils.dataset_utils.index_directory` runs without TensorFlow, so its answer for a
tree this test writes (nested classes, hidden folders, linked files and folders, mixed-case endings)
is the reference for `text_dataset_from_directory` and `image_dataset_from_directory` alike.
"""
import os

import pytest

from numkeras.utils import dataset_utils
from numkeras.utils.image_dataset import ALLOWLIST_FORMATS as IMAGE_FORMATS
from numkeras.utils.text_dataset import ALLOWLIST_FORMATS as TEXT_FORMATS

CASES = {
    "text_inferred_seeded": dict(kwargs=dict(labels="inferred", formats=TEXT_FORMATS, shuffle=True, seed=1337),
                                 validation_split=0.3),
    "text_links_followed": dict(kwargs=dict(labels="inferred", formats=TEXT_FORMATS, shuffle=True, seed=7,
                                            follow_links=True)),
    "text_unshuffled_no_labels": dict(kwargs=dict(labels=None, formats=TEXT_FORMATS, shuffle=False)),
    "text_class_names": dict(kwargs=dict(labels="inferred", formats=TEXT_FORMATS, class_names=["z_last", "a_first"],
                                         shuffle=True, seed=3)),
    "images_inferred": dict(kwargs=dict(labels="inferred", formats=IMAGE_FORMATS, shuffle=True, seed=42),
                            validation_split=0.5),
}


def write_tree(root):
    files = ["a_first/1.txt", "a_first/deep/er/2.txt", "a_first/3.TXT", "a_first/x.png", "a_first/y.JPG",
             "z_last/4.txt", "z_last/5.txt", "z_last/6.md", "mid/7.txt", "mid/sub/8.txt", "mid/9.jpeg",
             ".hidden/10.txt", "top.txt"]
    for name in files:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(name)
    outside = os.path.join(root, "..", "outside")
    os.makedirs(outside, exist_ok=True)
    for name in ("11.txt", "12.png"):
        with open(os.path.join(outside, name), "w") as f:
            f.write(name)
    os.symlink(os.path.abspath(outside), os.path.join(root, "mid", "linked"))
    os.symlink(os.path.abspath(os.path.join(outside, "11.txt")), os.path.join(root, "z_last", "linked.txt"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("tree") / "data")
    os.makedirs(root)
    write_tree(root)
    return root


@pytest.fixture(scope="module")
def keras(keras_reference, tree):
    for case_id, case in CASES.items():
        keras_reference.add(case_id, "index_directory", directory=tree, **case)
    return keras_reference.run()


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_files_labels_and_splits_match_keras(keras, tree, case_id, capsys):
    case, ref = CASES[case_id], keras[case_id].check().meta
    kwargs = dict(case["kwargs"])
    formats = kwargs.pop("formats")
    paths, labels, class_names = dataset_utils.index_directory(tree, formats=formats, verbose=False, **kwargs)
    assert paths == ref["paths"] and len(paths) > 2
    assert class_names == ref["class_names"]
    assert (None if labels is None else [int(v) for v in labels]) == ref["labels"]
    if case.get("validation_split"):
        for subset in ("training", "validation"):
            part, _ = dataset_utils.training_or_validation_split(paths, labels, case["validation_split"], subset)
            assert part == ref[subset], subset
