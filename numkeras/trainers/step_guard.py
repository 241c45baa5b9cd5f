"""Guards around a training step: non-finite losses and Ctrl-C.

`check_finite_loss` stops fit at the first NaN/inf loss, before that step's
update, and names the first layer whose output went non-finite.
`uninterruptible` defers Ctrl-C while the optimizer writes the weights, so
an interrupted fit leaves the weights of the last completed step.

Example:
    >>> with uninterruptible():
    ...     pass
"""
import signal
import threading

import numpy as np

from numkeras.layers.layer import Layer


class interrupt_scope:
    """While open (fit keeps one open), Ctrl-C is handled by numkeras so `uninterruptible` costs no syscall.

    Outside an `uninterruptible` block a Ctrl-C acts at once, as it would
    without numkeras; inside one it waits for the block's end. On another
    thread, where signals cannot be handled, or where the program ignores
    SIGINT or left it to the system's default action, it does nothing.
    """

    def __enter__(self):
        global _active
        self._installed = False
        if _active is None and threading.current_thread() is threading.main_thread():
            if not callable(signal.getsignal(signal.SIGINT)):
                return self  # SIG_IGN (say, a job started with nohup) or SIG_DFL: the program's choice stands
            self.holds, self.pending = 0, False
            try:
                self._previous = signal.signal(signal.SIGINT, self._handle)
            except ValueError:  # not the main interpreter: signals cannot be handled here
                return self
            self._installed = True
            _active = self
        return self

    def __exit__(self, *exc):
        global _active
        if self._installed:
            _active = None
            signal.signal(signal.SIGINT, self._previous)
        return False

    def _handle(self, signum, frame):
        if self.holds:
            self.pending = True
        else:
            self._interrupt(signum, frame)

    def _interrupt(self, signum, frame):
        if callable(self._previous) and self._previous is not signal.default_int_handler:
            self._previous(signum, frame)  # the program's own handler
        else:
            raise KeyboardInterrupt


_active = None  # the open interrupt_scope, if any


class uninterruptible:
    """Holds back SIGINT (Ctrl-C) until the block ends, then raises KeyboardInterrupt."""

    def __enter__(self):
        self._own = None
        if threading.current_thread() is not threading.main_thread():
            return self  # signals reach the main thread only
        if _active is None:  # no scope open (a custom training loop): one for this block
            self._own = interrupt_scope().__enter__()
        if _active is not None:
            _active.holds += 1
        return self

    def __exit__(self, *exc):
        scope = _active
        fire = False
        if scope is not None and threading.current_thread() is threading.main_thread():
            scope.holds -= 1
            fire = scope.holds == 0 and scope.pending
            scope.pending = scope.pending and not fire
        if self._own is not None:
            self._own.__exit__(*exc)
        if fire:
            scope._interrupt(signal.SIGINT, None)
        return False


def first_non_finite_layer(model, x):
    """Runs the model on `x` and returns (layer, what) for the first layer whose output is not finite."""
    found = []

    def hook(layer, outputs):
        if not found:
            for out in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
                data = getattr(out, "data", None)
                if data is not None and data.dtype.kind == "f" and not np.isfinite(data).all():
                    found.append(layer)
                    return

    Layer._output_hook = hook
    try:
        model(x, training=True)
    finally:
        Layer._output_hook = None
    return found[0] if found else None


def non_finite_loss_error(model, loss, x, epoch, step):
    """The error fit raises for a NaN/inf loss: where it happened and what to try."""
    layer = first_non_finite_layer(model, x)
    weights = [w.path for w in model.weights if not np.isfinite(w.data).all()]
    where = (f" The first non-finite values came out of layer {layer.name!r} ({type(layer).__name__})."
             if layer is not None and layer is not model else " Every layer output was finite: the loss function "
             "itself produced it (e.g. log(0) on labels or predictions outside its domain).")
    if weights:
        where += f" Non-finite weights: {', '.join(weights[:5])}{' ...' if len(weights) > 5 else ''}."
    return FloatingPointError(
        f"fit(): the loss became {float(loss)} at epoch {epoch + 1}, batch {step + 1}; training stopped before "
        f"applying that step, so the weights are those of the step before.{where} Training usually diverges like "
        "this when the learning rate is too high or the inputs are not scaled: try a smaller learning_rate, scale "
        "x to about [0, 1], or clip gradients (clipnorm=1.0). To carry on through non-finite losses as Keras does, "
        "call numkeras.config.disable_nan_check() (and add callbacks.TerminateOnNaN() to stop instead).")
