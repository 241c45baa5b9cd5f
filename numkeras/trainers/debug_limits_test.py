"""keras.config.set_max_epochs / set_max_steps_per_epoch: the debugging caps fit, evaluate and predict obey."""
import os
import subprocess
import sys

import numpy as np
import pytest

from numkeras import config, layers, models


@pytest.fixture
def limits():
    yield config
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)



def _model():
    model = models.Sequential([layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _data(n=100):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


def test_max_epochs_caps_fit_and_warns(limits):
    x, y = _data()
    limits.set_max_epochs(2)
    with pytest.warns(UserWarning, match="Limiting epochs to 2"):
        history = _model().fit(x, y, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 2
    assert history.params["epochs"] == 2


def test_a_limit_above_the_request_changes_nothing(limits):
    x, y = _data()
    limits.set_max_epochs(10)
    limits.set_max_steps_per_epoch(50)
    history = _model().fit(x, y, epochs=3, batch_size=10, verbose=0)  # no warning (warnings are errors here)
    assert len(history.history["loss"]) == 3


def test_max_steps_per_epoch_caps_fit_evaluate_and_predict(limits):
    x, y = _data(100)
    model = _model()
    seen = []

    from numkeras.callbacks import Callback

    class Count(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(("train", batch))

        def on_test_batch_end(self, batch, logs=None):
            seen.append(("test", batch))

    limits.set_max_steps_per_epoch(3)
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.fit(x, y, epochs=2, batch_size=10, verbose=0, validation_split=0.5, callbacks=[Count()])
    assert sum(1 for kind, _ in seen if kind == "train") == 6
    assert sum(1 for kind, _ in seen if kind == "test") == 6  # validation is capped too, as in Keras
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.evaluate(x, y, batch_size=10, verbose=0)
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        assert model.predict(x, batch_size=10, verbose=0).shape == (30, 1)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_bad_limits_are_refused_with_the_argument_named(limits, bad):
    with pytest.raises(ValueError, match="set_max_epochs.*positive integer or None"):
        limits.set_max_epochs(bad)
    with pytest.raises(ValueError, match="set_max_steps_per_epoch.*positive integer or None"):
        limits.set_max_steps_per_epoch(bad)


def test_the_environment_variables_set_the_limits_at_import():
    code = "import numkeras; print(numkeras.config.max_epochs(), numkeras.config.max_steps_per_epoch())"
    env = dict(os.environ, KERAS_MAX_EPOCHS="4", KERAS_MAX_STEPS_PER_EPOCH="7")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["4", "7"]
    env["KERAS_MAX_EPOCHS"] = "many"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "KERAS_MAX_EPOCHS must be a positive integer" in bad.stderr
