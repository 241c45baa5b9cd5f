import hashlib
import os

import numpy as np
import pytest

from numkeras.datasets import boston_housing
from numkeras.datasets.safe_pickle_test import npz_bytes
from numkeras.utils.file_utils_test import closed_port_url, serve


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(boston_housing, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(boston_housing, "ORIGIN_BASE", closed_port_url())


def fake_boston(n=50):
    """Bytes of a boston_housing.npz as Keras has it (float64 x (n, 13), y (n,)), and the arrays."""
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 100, (n, 13))
    y = x[:, 0] / 2 + 5  # a target that follows from its row
    return npz_bytes(x=x, y=y), x, y


@pytest.fixture
def served(monkeypatch):
    blob, x, y = fake_boston()
    monkeypatch.setattr(boston_housing, "BOSTON_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    with serve({"boston_housing.npz": blob}) as (url, hits):
        monkeypatch.setattr(boston_housing, "ORIGIN_BASE", url)
        yield x, y, hits


def expected(x, y, test_split=0.2, seed=113):
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    cut = int(len(x) * (1 - test_split))
    return (x[order][:cut], y[order][:cut]), (x[order][cut:], y[order][cut:])


@pytest.mark.parametrize(
    "kwargs", [{}, {"test_split": 0.5}, {"test_split": 0.0}, {"seed": 1}, {"test_split": 0.3, "seed": 2}]
)
def test_matches_keras(served, kwargs):
    x, y, _ = served
    result = boston_housing.load_data(**kwargs)
    for (got_x, got_y), (want_x, want_y) in zip(result, expected(x, y, **kwargs)):
        assert got_x.dtype == got_y.dtype == np.float64
        assert got_x.shape[1:] == (13,) and got_y.shape == (len(got_x),)
        np.testing.assert_array_equal(got_x, want_x)
        np.testing.assert_array_equal(got_y, want_y)


def test_sizes_seed_and_cache(tmp_path, served):
    _, _, hits = served
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == ((40, 13), (40,), (10, 13), (10,))
    np.testing.assert_array_equal(y_train, x_train[:, 0] / 2 + 5)  # rows and targets stay paired
    again = boston_housing.load_data()
    other = boston_housing.load_data(seed=114)
    np.testing.assert_array_equal(again[0][0], x_train)
    assert not np.array_equal(other[0][0], x_train)
    assert hits == {"boston_housing.npz": 1}
    assert os.listdir(tmp_path / "home" / "datasets") == ["boston_housing.npz"]


def test_errors(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"boston_housing.load_data: `test_split` must be a fraction in \[0, 1\)"):
        boston_housing.load_data(test_split=1)
    with pytest.raises(FileNotFoundError, match=r"Boston Housing dataset(.|\n)*put boston_housing.npz in"):
        boston_housing.load_data()
    (tmp_path / "keras").mkdir()
    (tmp_path / "keras" / "boston_housing.npz").write_bytes(npz_bytes(x=np.ones((3, 8)), y=np.ones(3)))
    monkeypatch.setattr(boston_housing, "SYSTEM_LOCATIONS", (str(tmp_path / "keras"),))
    with pytest.raises(ValueError, match=r"expected numeric arrays x of shape \(n, 13\)"):
        boston_housing.load_data()
