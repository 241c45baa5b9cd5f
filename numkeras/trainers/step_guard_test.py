"""Non-finite losses stop fit with a useful error; Ctrl-C never leaves half-updated weights."""
import os
import signal

import numpy as np
import pytest

import numkeras
from numkeras import callbacks, layers, models, optimizers
from numkeras.trainers import step_guard
from numkeras.utils import set_random_seed


def diverging_model():
    set_random_seed(0)
    model = models.Sequential([layers.Dense(32, activation="relu", input_shape=(8,)), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(learning_rate=1e3), loss="mse")
    return model


X = np.random.default_rng(0).normal(size=(256, 8)).astype("float32") * 10
Y = X.sum(axis=1, keepdims=True)


def test_divergence_stops_fit_naming_epoch_batch_and_layer():
    model = diverging_model()
    with pytest.raises(FloatingPointError) as info:
        model.fit(X, Y, epochs=3, batch_size=32, verbose=0)
    message = str(info.value)
    assert "epoch 1, batch" in message and "learning_rate" in message and "disable_nan_check" in message
    assert "layer 'dense" in message
    model.compile(optimizer=optimizers.SGD(learning_rate=1e-4), loss="mse")


def test_keras_behaviour_when_the_check_is_disabled():
    numkeras.config.disable_nan_check()
    try:
        model = diverging_model()
        history = model.fit(X, Y, epochs=2, batch_size=32, verbose=0)
        assert not np.isfinite(history.history["loss"][-1])
        model = diverging_model()
        history = model.fit(X, Y, epochs=5, batch_size=32, verbose=0, callbacks=[callbacks.TerminateOnNaN()])
        assert len(history.history["loss"]) == 1
    finally:
        numkeras.config.enable_nan_check()


def test_weights_stay_those_of_the_last_finite_step():
    model = diverging_model()
    snapshots = []

    class Snapshot(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            snapshots.append(self.model.get_weights())

    with pytest.raises(FloatingPointError):
        model.fit(X, Y, epochs=3, batch_size=32, verbose=0, callbacks=[Snapshot()])
    for a, b in zip(snapshots[-1], model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.fixture
def python_sigint_handler():
    """Python's own Ctrl-C handler for the test, whatever the runner had (a background job ignores SIGINT)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_during_the_update_waits_for_the_update(python_sigint_handler):
    weights = np.zeros(4, "float32")
    with pytest.raises(KeyboardInterrupt):
        with step_guard.uninterruptible():
            os.kill(os.getpid(), signal.SIGINT)
            weights += 1  # still runs: the interrupt is held back
    np.testing.assert_array_equal(weights, 1)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_interrupted_fit_keeps_completed_epochs_and_can_resume(python_sigint_handler):
    set_random_seed(0)
    model = models.Sequential([layers.Dense(4, input_shape=(8,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = X / 10, Y / 100

    class Interrupt(callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if self.model.history is not None and len(self.model.history.epoch) == 2 and batch == 3:
                os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=5, batch_size=32, verbose=0, callbacks=[Interrupt()])
    assert model.history.epoch == [0, 1]
    assert len(model.history.history["loss"]) == 2
    model.fit(x, y, epochs=1, verbose=0)


def test_ctrl_c_inside_fit_outside_an_update_interrupts_at_once(python_sigint_handler):
    calls = []

    class Interrupt(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(batch)
            if batch == 1:
                os.kill(os.getpid(), signal.SIGINT)

    model = models.Sequential([layers.Dense(1, input_shape=(8,))])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, Y / 100, epochs=1, batch_size=32, verbose=0, callbacks=[Interrupt()])
    assert calls == [0, 1]  # raised in the callback, not a step later
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("ignored", [signal.SIG_IGN, signal.SIG_DFL])
def test_a_program_that_ignores_ctrl_c_or_leaves_it_to_the_system_keeps_that(ignored):
    calls = []

    class Interrupt(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(batch)
            if batch == 1 and ignored is signal.SIG_IGN:
                os.kill(os.getpid(), signal.SIGINT)  # ignored: fit carries on

    model = models.Sequential([layers.Dense(1, input_shape=(8,))])
    model.compile(optimizer="sgd", loss="mse")
    previous = signal.signal(signal.SIGINT, ignored)
    try:
        model.fit(X, Y / 100, epochs=1, batch_size=32, verbose=0, callbacks=[Interrupt()])
        with step_guard.uninterruptible():
            assert signal.getsignal(signal.SIGINT) is ignored  # nothing installed over it
        assert signal.getsignal(signal.SIGINT) is ignored
    finally:
        signal.signal(signal.SIGINT, previous)
    assert calls == list(range(len(X) // 32 + (len(X) % 32 > 0)))


def test_a_program_handler_for_ctrl_c_is_kept_and_called():
    received = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        with step_guard.interrupt_scope():
            with step_guard.uninterruptible():
                os.kill(os.getpid(), signal.SIGINT)
                assert received == []  # held back during the update
            assert received == [signal.SIGINT]
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
