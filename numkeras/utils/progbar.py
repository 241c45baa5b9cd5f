"""Progbar: the progress bar that fit, evaluate and predict print.

The format is Keras 3's:

    469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 3ms/step - accuracy: 0.8768 - loss: 0.3471

On a terminal (or in a notebook) the bar is redrawn in place with carriage
returns and ANSI styles, and shows the ETA while running. Elsewhere (a pipe,
a log file, pytest's capture) it prints one plain line when the bar
finishes, never a stream of carriage returns.

Example:
    >>> from numkeras.utils import Progbar
    >>> bar = Progbar(target=2)
    >>> for step in range(2):
    ...     bar.update(step + 1, values=[("loss", 0.5)])
    2/2 ━━━━━━━━━━━━━━━━━━━━ 0s ...s/step - loss: 0.5000
"""
import math
import os
import sys
import time

import numpy as np


def print_msg(message, line_break=True):
    """Writes `message` to the current `sys.stdout` and flushes it.

    `sys.stdout` is looked up at each call, so redirections made after import
    (pytest's capture, `contextlib.redirect_stdout`) see the output.

    Args:
        message: the text to print.
        line_break: whether to end it with a newline. Defaults to True.
    """
    message = f"{message}\n" if line_break else str(message)
    stream = sys.stdout
    try:
        stream.write(message)
    except UnicodeEncodeError:
        # A stream that cannot encode '━' gets Keras 2's '=' instead.
        encoding = getattr(stream, "encoding", None) or "utf-8"
        message = message.replace("━", "=").encode(encoding, errors="ignore")
        stream.write(message.decode(encoding))
    stream.flush()


def _is_dynamic_display():
    """Whether the bar can be redrawn in place (a terminal or a notebook)."""
    stdout = sys.stdout
    return bool(
        (hasattr(stdout, "isatty") and stdout.isatty())
        or "ipykernel" in sys.modules
        or "PYCHARM_HOSTED" in os.environ
    )


def _bold(text):
    return f"\x1b[1m{text}\x1b[0m"


def _to_float(value):
    """A Python float from a float, NumPy value, list or Tensor (averaged)."""
    if isinstance(value, float):
        return value
    return float(np.mean(np.asarray(value)))


class Progbar:
    """Displays a progress bar.

    If neither `stateful_metrics` nor `stateless_metrics` is given, every
    metric is stateless: the bar averages its values over the steps seen.

    Args:
        target: total number of steps expected, or None if unknown.
        width: width of the bar in characters. Defaults to 20.
        verbose: 0 (silent), 1 (a live bar) or 2 (one line when finished).
            Defaults to 1.
        interval: minimum time in seconds between two redraws. Defaults to
            0.05.
        stateful_metrics: names of metrics to display as given, not averaged.
            Give at most one of `stateful_metrics` and `stateless_metrics`.
        stateless_metrics: names of metrics to average; all others are shown
            as given.
        unit_name: name of a step, shown as `3ms/step`. Defaults to "step".

    Example:
        >>> bar = Progbar(target=10, verbose=2)
        >>> bar.update(10, values=[("loss", 0.25)])
        10/10 - 0s - ...s/step - loss: 0.2500
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar: only one of `stateful_metrics` or `stateless_metrics` "
                f"can be given. Received: stateful_metrics={stateful_metrics!r}, "
                f"stateless_metrics={stateless_metrics!r}. Pass `stateful_metrics` "
                "to list the metrics shown as-is (others are averaged), or "
                "`stateless_metrics` to list the metrics averaged (others are "
                "shown as-is)."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else set(
            stateful_metrics or ())
        self.stateless_metrics = (
            None if stateless_metrics is None else set(stateless_metrics))
        self._dynamic_display = _is_dynamic_display()
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]
        self._values_order = []
        self._start = time.time()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(self, current, values=None, finalize=None):
        """Updates the progress bar.

        Args:
            current: index of the current step (1-based count of steps done).
            values: list of `(name, value_for_last_step)` pairs. Stateless
                metrics are averaged over the steps; stateful ones are shown
                as given.
            finalize: whether this is the bar's last update. Defaults to
                `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            value = _to_float(value)
            if name not in self._values_order:
                self._values_order.append(name)
            if self._is_stateless(name) and not finalize:
                # Weight by the steps since the last update, at least one.
                weight = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, (0.0, 0))
                self._values[name] = [total + value * weight, count + weight]
            else:
                # The final values (epoch logs) replace the running average.
                self._values[name] = [value, 1]
        self._seen_so_far = current

        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            if self._dynamic_display:
                self._redraw(current, now, time_per_unit, finalize)
            elif finalize:
                plain, _ = self._render(current, now, time_per_unit, finalize)
                print_msg(plain)
        elif self.verbose == 2 and finalize and self.target:
            print_msg(self._summary_line(current, now, time_per_unit))
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps; `values` as in `update`."""
        self.update(self._seen_so_far + n, values)

    def _is_stateless(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _average(self, name):
        total, count = self._values[name]
        return total / max(1, count)

    def _count(self, current):
        digits = int(math.log10(self.target)) + 1
        return ("%" + str(digits) + "d/%d") % (current, self.target)

    def _render(self, current, now, time_per_unit, finalize):
        """Returns the verbose=1 line, plain and with ANSI styles."""
        if self.target:
            count = self._count(current)
            done = int(self.width * float(current) / self.target)
            filled, empty = "━" * done, "━" * (self.width - done)
            plain = f"{count} {filled}{empty}"
            styled = f"{_bold(count)} "
            if done > 0:
                styled += f"\x1b[32m{filled}\x1b[0m"
            styled += f"\x1b[37m{empty}\x1b[0m"
        else:
            plain = styled = "%7d/Unknown" % current

        if self.target and not finalize:
            eta = time_per_unit * (self.target - current)
            if eta > 3600:
                clock = "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
            elif eta > 60:
                clock = "%d:%02d" % (eta // 60, eta % 60)
            else:
                clock = "%ds" % eta
        else:
            clock = f"{now - self._start:.0f}s"
        info = _format_time(time_per_unit, self.unit_name)
        for name in self._values_order:
            avg = self._average(name)
            info += f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}"
        return f"{plain} {clock}{info}", f"{styled} {_bold(clock)}{info}"

    def _redraw(self, current, now, time_per_unit, finalize):
        """Draws the bar over the previous one on a terminal."""
        plain, styled = self._render(current, now, time_per_unit, finalize)
        message = "\b" * self._prev_total_width + "\r" + styled
        # Blank out what is left of a longer previous line.
        message += " " * max(0, self._prev_total_width - len(plain))
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = len(plain)

    def _summary_line(self, current, now, time_per_unit):
        """The verbose=2 line: `469/469 - 2s - 3ms/step - loss: 0.3471`."""
        line = f"{self._count(current)} - {now - self._start:.0f}s -"
        line += _format_time(time_per_unit, self.unit_name)
        for name in self._values_order:
            avg = self._average(name)
            # Keras tests `avg > 1e-3` here, without abs(): negatives print as e.
            line += f" - {name}: {avg:.4f}" if avg > 1e-3 else f" - {name}: {avg:.4e}"
        return line

    def _estimate_step_duration(self, current, now):
        """Seconds per step; the first step (often slow) is left out once known."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit


def _format_time(time_per_unit, unit_name):
    """` 3ms/step`: seconds, milliseconds or microseconds per unit."""
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"
