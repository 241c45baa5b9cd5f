import io
import sys

import numpy as np
import pytest

from numkeras.utils import progbar
from numkeras.utils.progbar import Progbar, print_msg

BAR = "━" * 20


class FakeClock:
    """Stands in for the `time` module inside progbar: time moves when told."""

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


def test_fit_like_line_when_not_a_terminal(clock, capsys):
    bar = Progbar(469, stateless_metrics=set())
    clock.now += 0.6  # a slow first step is left out of the per-step time
    bar.update(1, [("accuracy", 0.1), ("loss", 2.3)])
    for step in range(2, 470):
        clock.now += 0.003
        bar.update(step, [("accuracy", 0.8768), ("loss", 0.3471)], finalize=False)
    assert capsys.readouterr().out == ""  # no stream of updates in a log
    bar.update(469, [("accuracy", 0.8768), ("loss", 0.3471)], finalize=True)
    out = capsys.readouterr().out
    assert out == f"469/469 {BAR} 2s 3ms/step - accuracy: 0.8768 - loss: 0.3471\n"
    assert "\r" not in out and "\x1b" not in out and "\b" not in out


def test_stateless_values_are_averaged_over_steps(clock, capsys):
    bar = Progbar(4)
    bar.update(1, [("loss", 1.0)])
    bar.update(3, [("loss", 4.0)])  # counts for two steps
    bar.update(4, [("loss", 9.0)], finalize=False)
    bar.update(4, finalize=True)
    assert capsys.readouterr().out.endswith(" - loss: 4.5000\n")  # (1 + 2 * 4 + 9) / 4


def test_final_values_replace_the_average(clock, capsys):
    bar = Progbar(2)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 0.25)])
    assert capsys.readouterr().out.endswith(" - loss: 0.2500\n")


def test_stateful_metrics_are_shown_as_given(clock, capsys):
    bar = Progbar(3, stateful_metrics=["acc"])
    bar.update(1, [("acc", 0.5), ("loss", 1.0)])
    bar.update(2, [("acc", 0.75), ("loss", 3.0)])
    bar.update(3, finalize=True)
    assert capsys.readouterr().out.endswith(" - acc: 0.7500 - loss: 2.0000\n")


def test_stateful_and_stateless_together_raise():
    with pytest.raises(ValueError, match="only one of `stateful_metrics`"):
        Progbar(1, stateful_metrics=[], stateless_metrics=[])


@pytest.mark.parametrize("value, shown", [
    (0.5, "0.5000"), (1.2345e-05, "1.2345e-05"), (0.001, "1.0000e-03"),
    (-0.5, "-0.5000"), (0.0, "0.0000e+00"), (1234.5678, "1234.5678"),
])
def test_metric_format_verbose_1(clock, capsys, value, shown):
    Progbar(1).update(1, [("m", value)])
    assert capsys.readouterr().out.endswith(f" - m: {shown}\n")


@pytest.mark.parametrize("value, shown", [
    (0.5, "0.5000"), (1.2345e-05, "1.2345e-05"), (-0.5, "-5.0000e-01"),
])
def test_metric_format_verbose_2(clock, capsys, value, shown):
    # Keras tests `avg > 1e-3` at verbose=2, so negatives print in e-notation.
    Progbar(1, verbose=2).update(1, [("m", value)])
    assert capsys.readouterr().out.endswith(f" - m: {shown}\n")


@pytest.mark.parametrize("seconds, shown", [
    (0, " 0s/step"), (2.4, " 2s/step"), (1.0, " 1s/step"), (0.0125, " 12ms/step"),
    (0.001, " 1ms/step"), (0.000345, " 345us/step"),
])
def test_time_per_step_units(seconds, shown):
    assert progbar._format_time(seconds, "step") == shown


def test_unit_name(clock, capsys):
    bar = Progbar(2, unit_name="sample")
    clock.now += 2
    bar.update(2)
    assert capsys.readouterr().out == f"2/2 {BAR} 2s 1s/sample\n"


def test_verbose_2_prints_one_line_at_the_end(clock, capsys):
    bar = Progbar(10, verbose=2)
    for step in range(1, 11):
        clock.now += 0.25
        bar.update(step, [("loss", 0.5), ("accuracy", 0.75)])
    assert capsys.readouterr().out == "10/10 - 2s - 250ms/step - loss: 0.5000 - accuracy: 0.7500\n"


def test_verbose_0_prints_nothing(clock, capsys, tty):
    bar = Progbar(3, verbose=0)
    for step in range(1, 4):
        bar.update(step, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_terminal_redraws_in_place_with_eta(clock, capsys, tty):
    bar = Progbar(10)
    clock.now += 1
    bar.update(1, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert out == ("\r\x1b[1m 1/10\x1b[0m \x1b[32m━━\x1b[0m\x1b[37m" + "━" * 18 + "\x1b[0m"
                   " \x1b[1m9s\x1b[0m 1s/step - loss: 0.5000")
    width = len(f" 1/10 {BAR} 9s 1s/step - loss: 0.5000")
    clock.now += 1
    bar.update(10, [("loss", 0.25)])
    out = capsys.readouterr().out
    assert out.startswith("\b" * width + "\r\x1b[1m10/10\x1b[0m \x1b[32m" + BAR + "\x1b[0m")
    assert out.endswith("\x1b[37m\x1b[0m \x1b[1m2s\x1b[0m 111ms/step - loss: 0.2500\n")


@pytest.mark.parametrize("per_step, eta", [(6.0, "54s"), (7.0, "1:03"), (10.0, "1:30"), (500.0, "1:15:00")])
def test_eta_formats(clock, capsys, tty, per_step, eta):
    bar = Progbar(10)
    clock.now += per_step
    bar.update(1)
    assert f" \x1b[1m{eta}\x1b[0m " in capsys.readouterr().out


def test_terminal_blanks_out_a_longer_previous_line(clock, capsys, tty):
    bar = Progbar(10, stateful_metrics=["loss"])
    clock.now += 1
    bar.update(1, [("loss", 123456.0)])
    capsys.readouterr()
    first = len(f" 1/10 {BAR} 9s 1s/step - loss: 123456.0000")
    clock.now += 1
    bar.update(2, [("loss", 0.5)])
    out = capsys.readouterr().out
    assert out.startswith("\b" * first + "\r")
    assert out.endswith(" 1s/step - loss: 0.5000" + " " * 5)


def test_terminal_respects_interval(clock, capsys, tty):
    bar = Progbar(10, interval=1.0)
    clock.now += 2
    bar.update(1)
    capsys.readouterr()
    clock.now += 0.5
    bar.update(2)
    assert capsys.readouterr().out == ""  # too soon
    clock.now += 0.5
    bar.update(3)
    assert " 3/10\x1b[0m" in capsys.readouterr().out


def test_unknown_target(clock, capsys, tty):
    bar = Progbar(None)
    clock.now += 3
    bar.update(3, [("loss", 0.5)])
    assert capsys.readouterr().out == "\r      3/Unknown \x1b[1m3s\x1b[0m 1s/step - loss: 0.5000"


def test_unknown_target_without_terminal_prints_once_finalized(clock, capsys):
    bar = Progbar(None)
    for step in range(1, 4):
        clock.now += 1
        bar.update(step, [("loss", 0.5)])
    assert capsys.readouterr().out == ""
    bar.update(3, finalize=True)
    assert capsys.readouterr().out == "      3/Unknown 3s 1s/step - loss: 0.5000\n"


def test_add_advances_by_n(clock, capsys):
    bar = Progbar(4)
    bar.add(2, [("loss", 1.0)])
    bar.add(2, [("loss", 3.0)])
    assert capsys.readouterr().out.startswith(f"4/4 {BAR} ")


def test_partial_bar_width(clock, capsys):
    bar = Progbar(3, width=10)
    bar.update(2, finalize=True)
    assert capsys.readouterr().out.startswith("2/3 " + "━" * 10 + " 0s")


@pytest.mark.parametrize("value", [1.0, np.float32(1.0), np.array(1.0), [0.0, 1.0, 2.0]])
def test_value_types(clock, capsys, value):
    Progbar(1).update(1, [("v", value)], finalize=True)
    assert capsys.readouterr().out.endswith(" - v: 1.0000\n")


@pytest.mark.parametrize("verbose", [1, 2])
def test_zero_target(clock, capsys, verbose):
    Progbar(0, verbose=verbose).update(0, finalize=True)
    expected = "      0/Unknown 0s 0s/step\n" if verbose == 1 else ""
    assert capsys.readouterr().out == expected


def test_print_msg_writes_to_current_stdout_and_flushes(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    print_msg("hello")
    print_msg("a", line_break=False)
    assert stream.getvalue() == "hello\na"


def test_print_msg_falls_back_to_ascii_bar(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    print_msg("1/1 ━━ 0s")
    assert raw.getvalue() == b"1/1 == 0s\n"
