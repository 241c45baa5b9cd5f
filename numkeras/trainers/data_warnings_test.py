import warnings

import numpy as np
import pytest

from numkeras import layers, models, utils
from numkeras.trainers.data_warnings import DataWarning

RNG = np.random.default_rng(0)


def model(units=3, activation="softmax", loss="sparse_categorical_crossentropy", shape=(28, 28)):
    m = models.Sequential([layers.Input(shape=shape), layers.Flatten(), layers.Dense(units, activation=activation)])
    m.compile(optimizer="sgd", loss=loss)
    return m


def fit_warnings(m, x, y, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.fit(x, y, epochs=2, batch_size=8, verbose=0, **kwargs)
    return [str(w.message) for w in caught if w.category is DataWarning]


def images(n=32):
    return RNG.integers(0, 256, (n, 28, 28)).astype("float32")


def test_unscaled_float_images_are_warned_about_once_per_fit():
    said = fit_warnings(model(), images(), np.arange(32) % 3)
    assert len(said) == 1 and "astype('float32') / 255" in said[0] and "whole-number values" in said[0]
    assert fit_warnings(model(), images() / 255, np.arange(32) % 3) == []


def test_labels_that_are_not_one_hot():
    y = np.eye(3, dtype="float32")[np.arange(32) % 3]
    y[0, 1] = 1.0  # two ones in a row
    y[1] = 0.0  # no one
    said = fit_warnings(model(loss="categorical_crossentropy"), images() / 255, y)
    assert len(said) == 1 and "1 have several 1s and 1 have none" in said[0]
    good = np.eye(3, dtype="float32")[np.arange(32) % 3]
    assert fit_warnings(model(loss="categorical_crossentropy"), images() / 255, good) == []
    smooth = good * 0.9 + 0.1 / 3  # label smoothing by hand: legal, not warned about
    assert fit_warnings(model(loss="categorical_crossentropy"), images() / 255, smooth) == []


@pytest.mark.parametrize("loss, y, units, activation", [
    ("sparse_categorical_crossentropy", np.zeros(32, "int64"), 3, "softmax"),
    ("binary_crossentropy", np.ones(32, "float32"), 1, "sigmoid"),
    ("categorical_crossentropy", np.eye(3, dtype="float32")[np.zeros(32, "int64")], 3, "softmax"),
])
def test_a_single_class(loss, y, units, activation):
    said = fit_warnings(model(units, activation, loss), images() / 255, y)
    assert len(said) == 1 and "same class" in said[0]


def test_validation_data_that_is_the_training_data():
    x, y = images() / 255, np.arange(32) % 3
    for val_x in (x, x.copy()):
        said = fit_warnings(model(), x, y, validation_data=(val_x, y))
        assert len(said) == 1 and "validation_data holds the same inputs" in said[0]
    assert fit_warnings(model(), x, y, validation_data=(images(8) / 255, y[:8])) == []


def test_silenceable_with_the_public_category():
    assert utils.DataWarning is DataWarning and issubclass(DataWarning, UserWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", utils.DataWarning)
        model().fit(images(), np.arange(32) % 3, verbose=0)
    assert not [w for w in caught if w.category is DataWarning]


def test_regression_data_is_left_alone():
    m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(1)])
    m.compile(optimizer="sgd", loss="mse")
    assert fit_warnings(m, RNG.random((32, 4)).astype("float32"), np.ones(32, "float32")) == []
