import os

import numpy as np
import pytest

from numkeras.utils.text_dataset import text_dataset_from_directory


@pytest.fixture
def tree(tmp_path):
    """neg/ and pos/ (nested folders, an empty file, a Latin-1 file, a linked file and a linked folder), and extras."""
    root = tmp_path / "reviews"
    files = {"neg/a.txt": "bad film", "neg/deep/b.txt": "dull plot", "neg/c.TXT": "",
             "pos/d.txt": "great film", "pos/e.txt": "héroïque fun", "pos/more/f.txt": "fine acting"}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "pos" / "latin.txt").write_bytes("café crème".encode("latin-1"))  # not UTF-8
    (root / "neg" / "notes.md").write_text("not a .txt file")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.txt").write_text("hidden class")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked_dir_file.txt").write_text("through a folder link")
    (outside / "linked_file.txt").write_text("through a file link")
    os.symlink(outside, root / "pos" / "link_dir")
    os.symlink(outside / "linked_file.txt", root / "neg" / "link_file.txt")
    return root


def texts_of(ds):
    return [t for batch in ds for t in (batch[0] if isinstance(batch, tuple) else batch).tolist()]


def keras_order(root, seed, follow_links=False):
    """The order Keras gives: classes sorted, each walked in sorted order, then one RandomState(seed) shuffle."""
    paths = []
    for name in ("neg", "pos"):
        for dirpath, _, files in sorted(os.walk(root / name, followlinks=follow_links), key=lambda e: e[0]):
            paths += [os.path.join(dirpath, f) for f in sorted(files) if f.lower().endswith(".txt")]
    if seed is not None:
        np.random.RandomState(seed).shuffle(paths)
    return paths


def test_texts_labels_nested_classes_and_files(tree, capsys):
    ds = text_dataset_from_directory(tree, batch_size=3, shuffle=False)
    assert capsys.readouterr().out.strip() == "Found 8 files belonging to 2 classes."
    assert ds.class_names == ["neg", "pos"] and len(ds) == 3
    batches = list(ds)
    assert [len(t) for t, _ in batches] == [3, 3, 2] and batches[0][1].dtype == np.int32
    texts = [t for b, _ in batches for t in b.tolist()]
    labels = [int(v) for _, y in batches for v in y]
    # Walked folder by folder in sorted order: neg/{a, c (empty), link_file}, neg/deep/b; pos/{d, e, latin},
    # pos/more/f (pos/link_dir is a link to a folder: not followed).
    assert texts == ["bad film", "", "through a file link", "dull plot", "great film", "héroïque fun",
                     "caf\ufffd cr\ufffdme", "fine acting"]
    assert labels == [0, 0, 0, 0, 1, 1, 1, 1]
    assert batches[0][0].dtype.kind == "U"


def test_follow_links_walks_into_linked_folders(tree):
    without = text_dataset_from_directory(tree, shuffle=False, verbose=False)
    linked = text_dataset_from_directory(tree, shuffle=False, follow_links=True, verbose=False)
    assert "through a folder link" not in texts_of(without) and "through a folder link" in texts_of(linked)
    assert texts_of(linked).count("through a file link") == 2  # the linked file, and its folder's copy
    assert len(linked.file_paths) == len(without.file_paths) + 2
    assert linked.file_paths == keras_order(tree, None, True) and without.file_paths == keras_order(tree, None)


def test_encodings_and_max_length_in_bytes(tree):
    latin = text_dataset_from_directory(tree / "pos", labels=None, shuffle=False, encoding="latin-1", verbose=False)
    assert "café crème" in texts_of(latin)
    raw = text_dataset_from_directory(tree, label_mode=None, shuffle=False, encoding=None, verbose=False)
    assert set(texts_of(raw)) >= {"héroïque fun".encode(), "café crème".encode("latin-1"), b""}
    cut = text_dataset_from_directory(tree, shuffle=False, max_length=3, batch_size=None, verbose=False)
    texts = [t.tolist() for t, _ in cut]
    # "héroïque": h (1 byte) + é (2 bytes) fits in 3; "é" cut after 1 of its 2 bytes would be left out.
    assert texts[:2] == ["bad", ""] and "hé" in texts
    two = text_dataset_from_directory(tree / "pos", labels=None, shuffle=False, max_length=2, verbose=False)
    assert "h" in texts_of(two)
    with pytest.raises(ValueError, match="encoding must be a Python codec"):
        text_dataset_from_directory(tree, encoding="no-such-codec")


def test_label_modes_and_given_labels(tree):
    binary = next(iter(text_dataset_from_directory(tree, label_mode="binary", shuffle=False, verbose=False)))[1]
    assert binary.dtype == np.float32 and binary.shape == (8, 1) and binary[:, 0].tolist() == [0] * 4 + [1] * 4
    onehot = next(iter(text_dataset_from_directory(tree, label_mode="categorical", shuffle=False, verbose=False)))[1]
    assert onehot.dtype == np.float32 and onehot.tolist()[3:5] == [[1, 0], [0, 1]]
    only_pos = text_dataset_from_directory(tree, class_names=["pos"], shuffle=False, verbose=False)
    assert only_pos.class_names == ["pos"] and len(only_pos.file_paths) == 4
    # Given labels: the files under the whole directory (hidden folders too, as in Keras), in sorted order.
    given = text_dataset_from_directory(tree, labels=[5, 7, 5] * 3, shuffle=False, verbose=False)
    assert given.class_names == ["5", "7"] and next(iter(given))[1].tolist() == [5, 7, 5] * 3
    assert texts_of(given)[0] == "hidden class"
    texts_only = next(iter(text_dataset_from_directory(tree, labels=None, shuffle=False, verbose=False)))
    assert isinstance(texts_only, np.ndarray) and len(texts_only) == 9


def test_seeded_order_and_splits_follow_keras(tree, capsys):
    train, val = text_dataset_from_directory(tree, batch_size=2, seed=11, validation_split=0.25, subset="both")
    assert capsys.readouterr().out.splitlines()[1:] == ["Using 6 files for training.", "Using 2 files for validation."]
    expected = [str(p) for p in keras_order(tree, 11)]
    assert train.file_paths == expected[:6] and val.file_paths == expected[6:]
    alone = text_dataset_from_directory(tree, seed=11, validation_split=0.25, subset="training", verbose=False)
    assert alone.file_paths == train.file_paths and train.class_names == val.class_names == ["neg", "pos"]
    # The training subset reshuffles every epoch; the validation half of "both" keeps its order.
    epochs = [texts_of(train) for _ in range(4)]
    assert all(sorted(e) == sorted(epochs[0]) for e in epochs) and len({tuple(e) for e in epochs}) > 1
    assert texts_of(val) == texts_of(val)
    with open(expected[6], encoding="utf-8", errors="replace") as f:
        assert texts_of(val)[0] == f.read()


@pytest.mark.parametrize("make, kwargs, match", [
    (lambda r: (r / "only").mkdir(), dict(label_mode="binary"), r"label_mode='binary' needs exactly 2 classes.*\['only'\]"),
    (lambda r: [(r / c).mkdir() for c in "abc"], dict(label_mode="binary"), "exactly 2 classes, but 3"),
    (lambda r: None, dict(labels="folders"), "labels must be 'inferred', None, or a list"),
    (lambda r: None, dict(labels=[0, 1], class_names=["a"]), "class_names can only be given"),
    (lambda r: None, dict(label_mode="sparse"), "label_mode must be"),
    (lambda r: None, dict(validation_split=0.2), "validation_split and subset go together"),
    (lambda r: None, dict(validation_split=0.2, subset="training"), "pass a seed"),
    (lambda r: None, dict(batch_size=0), "batch_size must be a positive integer"),
    (lambda r: None, dict(max_length=0), "max_length must be a positive integer"),
    (lambda r: (r / "a").mkdir(), {}, "No text files found"),
])
def test_bad_input_is_explained(tmp_path, make, kwargs, match):
    make(tmp_path)
    for name in os.listdir(tmp_path):
        if name != "a":
            (tmp_path / name / "x.txt").write_text("some text")
    with pytest.raises(ValueError, match=match):
        text_dataset_from_directory(tmp_path, verbose=False, **kwargs)


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        text_dataset_from_directory(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="labels has 3 entries but 1 files"):
        (tmp_path / "x.txt").write_text("one")
        text_dataset_from_directory(tmp_path, labels=[0, 1, 0], verbose=False)
