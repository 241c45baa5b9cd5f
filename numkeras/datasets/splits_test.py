import numpy as np
import pytest

from numkeras.datasets import splits
from numkeras.datasets.safe_pickle_test import npz_bytes


def test_shuffle_follows_random_state():
    x, y = np.arange(10), np.arange(10) * 2
    order = np.arange(10)
    np.random.RandomState(7).shuffle(order)
    got_x, got_y = splits.shuffle(np.random.RandomState(7), x, y)
    np.testing.assert_array_equal(got_x, order)
    np.testing.assert_array_equal(got_y, 2 * order)


@pytest.mark.parametrize("n, test_split, n_train", [(506, 0.2, 404), (600, 0.2, 480), (10, 0.0, 10), (7, 0.5, 3)])
def test_shuffle_and_split_sizes(n, test_split, n_train):
    x, y = np.arange(n * 2).reshape(n, 2), np.arange(n)
    (x_train, y_train), (x_test, y_test) = splits.shuffle_and_split(x, y, test_split, seed=113)
    assert (len(x_train), len(y_train), len(x_test), len(y_test)) == (n_train, n_train, n - n_train, n - n_train)
    np.testing.assert_array_equal(np.concatenate([x_train, x_test])[:, 0], 2 * np.concatenate([y_train, y_test]))
    assert sorted(np.concatenate([y_train, y_test])) == list(range(n))


@pytest.mark.parametrize("test_split", [1, 1.5, -0.01, True, "0.2", None])
def test_check_test_split(test_split):
    splits.check_test_split("f", 0)
    splits.check_test_split("f", 0.999)
    with pytest.raises(ValueError, match=r"f: `test_split` must be a fraction in \[0, 1\).*Received: test_split="):
        splits.check_test_split("f", test_split)


def test_load_table(tmp_path):
    path = tmp_path / "t.npz"
    path.write_bytes(npz_bytes(x=np.ones((4, 3)), y=np.zeros(4)))
    x, y = splits.load_table(path, n_features=3)
    assert x.shape == (4, 3) and y.shape == (4,)
    with pytest.raises(ValueError, match=r"expected numeric arrays x of shape \(n, 5\) and y of shape \(n,\)"):
        splits.load_table(path, n_features=5)
