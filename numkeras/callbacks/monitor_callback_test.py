import operator

import numpy as np
import pytest

from numkeras import layers, metrics, models
from numkeras.callbacks.monitor_callback import MonitorCallback, metric_direction


def compiled_model(metric_list):
    model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse", metrics=metric_list)
    model.fit(np.zeros((2, 3), "float32"), np.zeros((2, 2), "float32"), verbose=0)  # resolves the metrics
    return model


@pytest.mark.parametrize("mode,monitor,expected", [
    ("min", "val_accuracy", operator.lt), ("max", "val_loss", operator.gt),
    ("auto", "loss", operator.lt), ("auto", "val_loss", operator.lt),
    ("auto", "val_accuracy", operator.gt), ("auto", "acc", operator.gt),
    ("auto", "mse", operator.lt), ("auto", "val_mae", operator.lt),
])
def test_mode_picks_the_comparison(mode, monitor, expected):
    watcher = MonitorCallback(monitor=monitor, mode=mode, min_delta=0.5)
    watcher.set_model(compiled_model(["accuracy", "acc", "mse", "mae"]))
    watcher._set_monitor_op()
    assert watcher.monitor_op is expected
    # min_delta is subtracted in the direction of improvement.
    assert watcher.min_delta == (-0.5 if expected is operator.lt else 0.5)


def test_auto_mode_fails_for_a_metric_of_unknown_direction():
    watcher = MonitorCallback(monitor="val_custom")
    def custom(y_true, y_pred):
        return y_pred[:, 0]

    watcher.set_model(compiled_model([custom]))
    with pytest.raises(ValueError, match="received monitor=val_custom, but numkeras isn't able to automatically"):
        watcher._set_monitor_op()


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="MonitorCallback mode 'largest' is unknown, fallback to auto mode."):
        watcher = MonitorCallback(mode="largest")
    assert watcher.mode == "auto"


def test_is_improvement_uses_min_delta():
    watcher = MonitorCallback(monitor="val_accuracy", mode="max", min_delta=0.1)
    assert watcher._is_improvement(0.5, None)  # anything beats nothing
    assert watcher._is_improvement(0.71, 0.6) and not watcher._is_improvement(0.69, 0.6)
    assert metric_direction(metrics.Mean()) is None
