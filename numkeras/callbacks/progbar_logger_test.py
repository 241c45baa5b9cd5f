import pytest

from numkeras.callbacks import CallbackList, ProgbarLogger
from numkeras.utils import progbar

BAR = "━" * 20


class FakeClock:
    def __init__(self, now=1000.0):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(progbar, "time", fake)
    return fake


@pytest.fixture
def tty(monkeypatch):
    monkeypatch.setattr(progbar, "_is_dynamic_display", lambda: True)


def run_fit(clock, callbacks, epochs, steps, validation=True, seconds_per_step=0.25):
    """Calls the hooks the way the trainer's fit does."""
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            clock.now += seconds_per_step
            callbacks.on_train_batch_end(step, {"loss": 0.5 / (step + 1), "accuracy": 0.75})
        logs = {"loss": 0.125, "accuracy": 0.75}
        if validation:
            callbacks.on_test_begin()
            for step in range(2):
                callbacks.on_test_batch_end(step, {"loss": 0.5, "accuracy": 0.5})
            callbacks.on_test_end({"loss": 0.5, "accuracy": 0.5})
            logs.update(val_loss=0.5, val_accuracy=0.5)
        callbacks.on_epoch_end(epoch, logs)
    callbacks.on_train_end(logs)


def fit_callbacks(verbose, epochs, steps):
    return CallbackList(None, add_history=True, add_progbar=verbose != 0,
                        verbose=verbose, epochs=epochs, steps=steps)


def test_fit_verbose_1_without_terminal(clock, capsys):
    run_fit(clock, fit_callbacks(1, 2, 4), epochs=2, steps=4)
    out = capsys.readouterr().out
    line = (f"4/4 {BAR} 1s 250ms/step - accuracy: 0.7500 - loss: 0.1250"
            " - val_accuracy: 0.5000 - val_loss: 0.5000")
    assert out == f"Epoch 1/2\n{line}\nEpoch 2/2\n{line}\n"


def test_single_epoch_prints_no_epoch_line(clock, capsys):
    run_fit(clock, fit_callbacks("auto", 1, 4), epochs=1, steps=4, validation=False)
    assert capsys.readouterr().out == (
        f"4/4 {BAR} 1s 250ms/step - accuracy: 0.7500 - loss: 0.1250\n")


def test_fit_verbose_2_prints_one_line_per_epoch(clock, capsys, tty):
    run_fit(clock, fit_callbacks(2, 3, 4), epochs=3, steps=4)
    line = ("4/4 - 1s - 250ms/step - accuracy: 0.7500 - loss: 0.1250"
            " - val_accuracy: 0.5000 - val_loss: 0.5000")
    assert capsys.readouterr().out == "".join(
        f"Epoch {i}/3\n{line}\n" for i in (1, 2, 3))


def test_fit_verbose_0_prints_nothing(clock, capsys, tty):
    callbacks = fit_callbacks(0, 2, 4)
    run_fit(clock, callbacks, epochs=2, steps=4)
    assert capsys.readouterr().out == ""
    assert callbacks.callbacks[0].history["val_loss"] == [0.5, 0.5]


def test_fit_verbose_1_on_a_terminal_shows_live_bar(clock, capsys, tty):
    run_fit(clock, fit_callbacks(1, 1, 4), epochs=1, steps=4, validation=False)
    out = capsys.readouterr().out
    assert out.count("\r") == 5  # four steps, then the final line
    assert "\x1b[1m1/4\x1b[0m" in out and " - loss: 0.5000" in out
    assert out.endswith(" 250ms/step - accuracy: 0.7500 - loss: 0.1250\n")


def test_unknown_steps(clock, capsys, tty):
    callbacks = fit_callbacks(1, 2, None)
    run_fit(clock, callbacks, epochs=2, steps=3, validation=False)
    out = capsys.readouterr().out
    assert "      1/Unknown" in out
    first, second = out.split("Epoch 2/2\n")
    assert first.endswith("\x1b[1m3/3\x1b[0m \x1b[32m" + BAR
                          + "\x1b[0m\x1b[37m\x1b[0m \x1b[1m1s\x1b[0m 250ms/step"
                          " - accuracy: 0.7500 - loss: 0.1250\n")
    assert "Unknown" not in second  # learned from the first epoch
    assert callbacks.callbacks[1].target == 3


def test_unknown_steps_without_terminal(clock, capsys):
    run_fit(clock, fit_callbacks(1, 1, None), epochs=1, steps=3, validation=False)
    assert capsys.readouterr().out == (
        f"3/3 {BAR} 1s 250ms/step - accuracy: 0.7500 - loss: 0.1250\n")


def test_evaluate_has_its_own_bar(clock, capsys):
    callbacks = CallbackList(None, add_progbar=True, verbose=1, epochs=1, steps=3)
    callbacks.on_test_begin()
    for step in range(3):
        clock.now += 0.002
        callbacks.on_test_batch_end(step, {"loss": 0.3, "compile_metrics": {"accuracy": 0.9}})
    callbacks.on_test_end({"loss": 0.3, "accuracy": 0.9})
    assert capsys.readouterr().out == f"3/3 {BAR} 0s 2ms/step - accuracy: 0.9000 - loss: 0.3000\n"


def test_evaluate_verbose_2(clock, capsys):
    callbacks = CallbackList(None, add_progbar=True, verbose=2, epochs=1, steps=313)
    callbacks.on_test_begin()
    for step in range(313):
        clock.now += 0.004
        callbacks.on_test_batch_end(step, {"loss": 0.3})
    callbacks.on_test_end({"loss": 0.3})
    assert capsys.readouterr().out == "313/313 - 1s - 4ms/step - loss: 0.3000\n"


def test_predict_shows_progress_only(clock, capsys):
    callbacks = CallbackList(None, add_progbar=True, verbose=1, epochs=1, steps=2)
    callbacks.on_predict_begin()
    for step in range(2):
        clock.now += 0.0005
        callbacks.on_predict_batch_end(step, {"outputs": [[0.1, 0.9]]})
    callbacks.on_predict_end()
    assert capsys.readouterr().out == f"2/2 {BAR} 0s 500us/step\n"


def test_set_params_defaults():
    logger = ProgbarLogger()
    logger.set_params({"verbose": "auto"})
    assert (logger.verbose, logger.epochs, logger.target) == (1, 1, None)
