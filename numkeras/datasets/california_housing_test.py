import hashlib

import numpy as np
import pytest

from numkeras.datasets import california_housing
from numkeras.datasets.safe_pickle_test import npz_bytes
from numkeras.utils.file_utils_test import closed_port_url, serve


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty cache, no system copies, and an origin where nothing listens."""
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(california_housing, "SYSTEM_LOCATIONS", ())
    monkeypatch.setattr(california_housing, "ORIGIN_BASE", closed_port_url())


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A california_housing.npz (float32 x (700, 8), y (700,)) in a Keras cache."""
    rng = np.random.default_rng(6)
    x = rng.uniform(0, 10, (700, 8)).astype(np.float32)
    y = (x[:, 0] * 1000).astype(np.float32)
    (tmp_path / "keras").mkdir()
    (tmp_path / "keras" / "california_housing.npz").write_bytes(npz_bytes(x=x, y=y))
    monkeypatch.setattr(california_housing, "SYSTEM_LOCATIONS", (str(tmp_path / "keras"),))
    return x, y


def expected(x, y, version="large", test_split=0.2, seed=113):
    if version == "small":
        x, y = x[:600], y[:600]
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    cut = int(len(x) * (1 - test_split))
    return (x[order][:cut], y[order][:cut]), (x[order][cut:], y[order][cut:])


@pytest.mark.parametrize(
    "kwargs, n_train",
    [({}, 560), ({"version": "small"}, 480), ({"version": "small", "test_split": 0.5}, 300),
     ({"test_split": 0.0}, 700), ({"seed": 3}, 560)],
)
def test_matches_keras(data, kwargs, n_train):
    result = california_housing.load_data(**kwargs)
    (x_train, _), (x_test, _) = result
    assert len(x_train) == n_train and len(x_train) + len(x_test) == (600 if kwargs.get("version") else 700)
    for (got_x, got_y), (want_x, want_y) in zip(result, expected(*data, **kwargs)):
        assert got_x.dtype == got_y.dtype == np.float32
        assert got_x.shape[1:] == (8,) and got_y.shape == (len(got_x),)
        np.testing.assert_array_equal(got_x, want_x)
        np.testing.assert_array_equal(got_y, want_y)


def test_download(tmp_path, monkeypatch):
    x, y = np.ones((10, 8), np.float32), np.arange(10, dtype=np.float32)
    blob = npz_bytes(x=x, y=y)
    monkeypatch.setattr(california_housing, "CALIFORNIA_NPZ_SHA256", hashlib.sha256(blob).hexdigest())
    with serve({"california_housing.npz": blob}) as (url, hits):
        monkeypatch.setattr(california_housing, "ORIGIN_BASE", url)
        (x_train, y_train), (x_test, _) = california_housing.load_data()
    assert hits == {"california_housing.npz": 1}
    assert x_train.shape == (8, 8) and x_test.shape == (2, 8)
    assert (tmp_path / "home" / "datasets" / "california_housing.npz").read_bytes() == blob


def test_errors():
    with pytest.raises(ValueError, match=r"`version` must be 'small' \(600 samples\) or 'large'.*version='medium'"):
        california_housing.load_data(version="medium")
    with pytest.raises(ValueError, match=r"california_housing.load_data: `test_split`"):
        california_housing.load_data(test_split=-0.5)
    with pytest.raises(FileNotFoundError, match=r"California Housing dataset(.|\n)*california_housing.npz"):
        california_housing.load_data()
