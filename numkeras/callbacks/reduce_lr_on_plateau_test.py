import numpy as np
import pytest

from numkeras import callbacks, layers, models, optimizers
from numkeras.utils import set_random_seed


def small_model(learning_rate=0.1):
    set_random_seed(0)
    model = models.Sequential([layers.Dense(5, input_shape=(3,)), layers.Dense(2)])
    model.compile(optimizer=optimizers.Adam(learning_rate), loss="mse")
    return model


def lrs_after_each_epoch(reduce_lr, values, model=None):
    """Drives the callback as fit does; returns the rate after each epoch end."""
    reduce_lr.set_model(model or small_model())
    reduce_lr.on_train_begin()
    rates = []
    for epoch, value in enumerate(values):
        reduce_lr.on_epoch_end(epoch, {"loss": 1.0, "val_loss": value})
        rates.append(reduce_lr.model.optimizer.learning_rate)
    return rates


def f32(value):
    return float(np.float32(value))


def test_reduces_after_patience_epochs_without_improvement():
    reduce_lr = callbacks.ReduceLROnPlateau(factor=0.5, patience=2)
    rates = lrs_after_each_epoch(reduce_lr, [1.0, 0.99995, 1.2, 0.9, 1.0, 1.0, 1.0, 1.0])
    # 0.99995 is not 1e-4 better than 1.0: the epochs 1, 2 are flat, and 4, 5.
    assert rates == [f32(0.1), f32(0.1), f32(0.05), f32(0.05), f32(0.05), f32(0.025), f32(0.025), f32(0.0125)]


def test_cooldown_pauses_the_count():
    # As in Keras's own test: patience 1, cooldown 2, never improving after
    # the first epoch -> reduced at epochs 1 and 3.
    reduce_lr = callbacks.ReduceLROnPlateau(patience=1, min_delta=100, cooldown=2)
    rates = lrs_after_each_epoch(reduce_lr, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    assert rates == pytest.approx([0.1, 0.01, 0.01, 0.001, 0.001, 0.0001], rel=1e-6)
    assert reduce_lr.cooldown_counter == 2 and reduce_lr.in_cooldown()


def test_min_lr_is_a_floor():
    reduce_lr = callbacks.ReduceLROnPlateau(patience=1, min_delta=10, min_lr=0.005)
    rates = lrs_after_each_epoch(reduce_lr, [1.0] * 5)
    assert rates == pytest.approx([0.1, 0.01, 0.005, 0.005, 0.005], rel=1e-6)


def test_max_mode():
    reduce_lr = callbacks.ReduceLROnPlateau(monitor="val_loss", mode="max", patience=1)
    assert lrs_after_each_epoch(reduce_lr, [0.5, 0.6, 0.55]) == pytest.approx([0.1, 0.1, 0.01], rel=1e-6)


def test_state_is_reset_by_each_fit():
    reduce_lr = callbacks.ReduceLROnPlateau(patience=1, cooldown=2)
    lrs_after_each_epoch(reduce_lr, [1.0, 2.0])
    reduce_lr.on_train_begin()
    assert (reduce_lr.best, reduce_lr.wait, reduce_lr.cooldown_counter) == (None, 0, 0)


def test_factor_must_be_below_one():
    with pytest.raises(ValueError, match="ReduceLROnPlateau does not support a factor >= 1.0. Received factor=2"):
        callbacks.ReduceLROnPlateau(factor=2)


def test_missing_monitor_warns():
    reduce_lr = callbacks.ReduceLROnPlateau(monitor="val_accuracy", mode="max")
    reduce_lr.set_model(small_model())
    with pytest.warns(UserWarning, match="Learning rate reduction is conditioned on metric `val_accuracy` which is "
                                         "not available. Available metrics are: loss,learning_rate."):
        reduce_lr.on_epoch_end(0, {"loss": 1.0})


def test_verbose_message(capsys):
    reduce_lr = callbacks.ReduceLROnPlateau(patience=1, verbose=1)
    lrs_after_each_epoch(reduce_lr, [1.0, 1.0])
    assert capsys.readouterr().out == f"\nEpoch 2: ReduceLROnPlateau reducing learning rate to {f32(0.1) * 0.1}.\n"


def test_in_fit_changes_the_rate_and_logs_it():
    model = small_model()
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(10, 3)).astype("float32"), rng.normal(size=(10, 2)).astype("float32")
    reduce_lr = callbacks.ReduceLROnPlateau(patience=1, factor=0.1, min_delta=100)
    history = model.fit(x, y, validation_data=(x, y), epochs=3, verbose=0, callbacks=[reduce_lr])
    assert model.optimizer.learning_rate == pytest.approx(0.001, rel=1e-6)
    # The logged rate is the one the epoch trained with.
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.01], rel=1e-6)
