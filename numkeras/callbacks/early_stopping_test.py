import numpy as np
import pytest

from numkeras import callbacks, layers, models
from numkeras.utils import set_random_seed


class FakeModel:
    """Its 'weights' are the epoch they were set at, so restoring is visible."""

    metrics = []

    def __init__(self):
        self.stop_training = False
        self.weights = -1

    def get_weights(self):
        return self.weights

    def set_weights(self, weights):
        self.weights = weights


def drive(stopper, values, key="val_loss", model=None, stop_at=None):
    """Calls the hooks as fit does; returns the number of epochs run."""
    stopper.set_model(model or FakeModel())
    stopper.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        epochs += 1
        stopper.model.weights = epoch
        stopper.on_epoch_end(epoch, {key: value})
        if epoch == stop_at:
            stopper.model.stop_training = True
        if stopper.model.stop_training:
            break
    stopper.on_train_end()
    return epochs


@pytest.mark.parametrize("patience", [0, 1, 2, 3])
def test_stops_after_patience_epochs_without_improvement(patience):
    stopper = callbacks.EarlyStopping(monitor="loss", patience=patience)
    drive(stopper, [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5], key="loss")
    assert stopper.stopped_epoch == max(patience, 1) + 2
    assert stopper.best == 8.0 and stopper.best_epoch == 2


def test_min_delta_and_max_mode():
    stopper = callbacks.EarlyStopping(monitor="val_loss", min_delta=0.1, patience=1)
    assert drive(stopper, [1.0, 0.95, 0.8]) == 2  # 0.95 is not 0.1 better
    stopper = callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=1)
    assert drive(stopper, [0.5, 0.6, 0.55, 0.7], key="val_auc") == 3


def test_restores_the_best_weights():
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    assert drive(stopper, [0.2, 0.15, 0.1, 0.11, 0.12, 0.05]) == 5
    assert stopper.model.weights == 2


def test_baseline_not_beaten_stops_after_patience_and_restores_the_best():
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=5, baseline=0.5, restore_best_weights=True)
    assert drive(stopper, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]) == 5
    assert stopper.model.weights == 2 and stopper.stopped_epoch == 4
    # Beating the baseline restarts the patience.
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=2, baseline=0.5)
    assert drive(stopper, [0.9, 0.4, 0.45, 0.3, 0.35, 0.36, 0.2]) == 6


def test_restores_the_best_weights_when_another_callback_stops():
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=5, baseline=0.5, restore_best_weights=True)
    assert drive(stopper, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], stop_at=3) == 4
    assert stopper.model.weights == 2 and stopper.stopped_epoch == 0


def test_start_from_epoch_ignores_the_warm_up():
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=0, start_from_epoch=3)
    assert drive(stopper, [1.0, 2.0, 3.0, 4.0, 5.0, 0.1]) == 5
    assert (stopper.best, stopper.best_epoch, stopper.stopped_epoch) == (4.0, 3, 4)


def test_state_is_reset_by_each_fit():
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=0, restore_best_weights=True)
    drive(stopper, [0.1, 0.2])
    stopper.on_train_begin()
    assert (stopper.best, stopper.wait, stopper.stopped_epoch, stopper.best_epoch,
            stopper.best_weights) == (None, 0, 0, 0, None)


def test_missing_monitor_warns_and_does_nothing():
    stopper = callbacks.EarlyStopping(patience=0)
    with pytest.warns(UserWarning, match="Early stopping conditioned on metric `val_loss` which is not available. "
                                         "Available metrics are: accuracy,loss"):
        stopper.set_model(FakeModel())
        stopper.on_train_begin()
        stopper.on_epoch_end(0, {"accuracy": 0.5, "loss": 1.0})
    assert stopper.model.stop_training is False


def test_verbose_messages(capsys):
    stopper = callbacks.EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    drive(stopper, [0.3, 0.2, 0.25, 0.26])
    assert capsys.readouterr().out == ("Epoch 3: early stopping\n"
                                       "Restoring model weights from the end of the best epoch: 2.\n")


def small_fit(callback_list, epochs=10, validation=True):
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = rng.normal(size=(40, 1)).astype("float32")
    model = models.Sequential([layers.Dense(3, activation="relu", input_shape=(4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=epochs, batch_size=10, verbose=0, callbacks=callback_list,
                        validation_data=(x[:10], y[:10]) if validation else None)
    return model, history


def test_in_fit_stops_at_the_right_epoch_and_restores_the_best_weights():
    script = [1.0, 0.8, 0.6, 0.7, 0.65, 0.9, 0.5, 0.4]
    snapshots = []
    # Earlier callbacks see (and may edit) the same logs dict first.
    scripted = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(val_loss=script[epoch]))
    stopper = callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    recorder = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(stopper.model.get_weights()))
    model, history = small_fit([scripted, recorder, stopper])
    assert history.epoch == [0, 1, 2, 3, 4, 5]
    assert history.history["val_loss"] == script[:6]
    assert stopper.stopped_epoch == 5 and stopper.best_epoch == 2
    for restored, best in zip(model.get_weights(), snapshots[2]):
        np.testing.assert_array_equal(restored, best)
    assert not np.array_equal(snapshots[5][0], snapshots[2][0])


def test_in_fit_monitoring_loss_without_validation():
    stopper = callbacks.EarlyStopping(monitor="loss", patience=1)
    _, history = small_fit([stopper], epochs=200, validation=False)
    losses = history.history["loss"]
    # It stopped at the first epoch that did not improve on the best before it.
    assert len(losses) < 200 and losses[-1] >= min(losses[:-1])
    assert all(b < a for a, b in zip(losses[:-2], losses[1:-1]))


@pytest.mark.parametrize("kwargs,script,epochs_run", [
    ({"start_from_epoch": 2, "patience": 0}, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 4),
    ({"baseline": 0.5, "patience": 2}, [0.9, 0.8, 0.85, 0.3, 0.4, 0.45, 0.5], 3),
    ({"patience": 2}, [0.9, 0.8, 0.85, 0.3, 0.4, 0.45, 0.5], 6),
])
def test_in_fit_baseline_and_start_from_epoch(kwargs, script, epochs_run):
    scripted = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(val_loss=script[epoch]))
    _, history = small_fit([scripted, callbacks.EarlyStopping(**kwargs)], epochs=len(script))
    assert len(history.epoch) == epochs_run
