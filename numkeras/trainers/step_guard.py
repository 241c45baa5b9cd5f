"""Guards around a training step: non-finite losses and Ctrl-C.

`check_finite_loss` stops fit at the first NaN/inf loss, before that step's
update, and names the first layer whose output went non-finite.
`uninterruptible` defers Ctrl-C while the optimizer writes the weights, so
an interrupted fit leaves the weights of the last completed step.

Example:
    >>> with uninterruptible():
    ...     pass
"""
import contextlib
import signal
import threading

import numpy as np

from numkeras.layers.layer import Layer


@contextlib.contextmanager
def uninterruptible():
    """Holds back SIGINT (Ctrl-C) until the block ends, then raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    except ValueError:  # not the main interpreter: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


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
