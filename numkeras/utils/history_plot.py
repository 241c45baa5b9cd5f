"""plot_history: draws the loss and metric curves of a `fit` run (training vs validation) to a PNG.

matplotlib is optional: it is imported only when a plot is drawn, and a clear
ImportError says how to install it when it is missing.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> from numkeras.utils import plot_history
    >>> model = models.Sequential([layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x = np.random.default_rng(0).random((20, 2), dtype="float32")
    >>> history = model.fit(x, x.sum(axis=1), validation_split=0.2, epochs=3, verbose=0)
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = plot_history(history, os.path.join(folder.name, "history.png"))
    >>> os.path.basename(path), os.path.getsize(path) > 0
    ('history.png', True)
    >>> folder.cleanup()
"""
import os


def plot_history(history, path="history.png", metrics=None):
    """Draws one panel per metric, the training curve and its `val_` twin, and saves a PNG.

    Args:
        history: the `History` returned by `model.fit` (or its `.history` dict,
            mapping names such as "loss", "accuracy", "val_loss" to per-epoch values).
        path: where to write the PNG. Defaults to "history.png".
        metrics: a name or list of names to draw, e.g. `["loss", "accuracy"]`.
            Defaults to None: every training metric in the history, "loss" first.

    Returns:
        `path`.

    Raises:
        ImportError: if matplotlib is not installed.
        ValueError: if the history is empty or a requested metric is not in it.
    """
    logs = _logs(history)
    names = _metric_names(logs, metrics)
    try:
        from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global figure state
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        raise ImportError("plot_history needs matplotlib, which numkeras does not install. "
                          "Install it with: pip install matplotlib") from None

    epochs = _epochs(history, logs, names)
    figure = Figure(figsize=(5 * len(names), 4), layout="constrained")
    for axes, name in zip(figure.subplots(1, len(names), squeeze=False)[0], names):
        if name in logs:
            axes.plot(epochs[:len(logs[name])], logs[name], "o-", label="training")
        if f"val_{name}" in logs:
            axes.plot(epochs[:len(logs[f"val_{name}"])], logs[f"val_{name}"], "s--", label="validation")
        axes.set_title(name)
        axes.set_xlabel("epoch")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel(name)
        axes.grid(alpha=0.3)
        axes.legend()
    _save_atomically(figure, path)
    return path


def _logs(history):
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise ValueError(f"plot_history expects the History returned by `model.fit` or a dict of per-epoch "
                         f"values. Received: {type(history).__name__}.")
    if not any(len(v) for v in logs.values()):
        raise ValueError("plot_history received an empty history: train the model with `fit` first.")
    return {k: [float(v) for v in values] for k, values in logs.items()}


def _metric_names(logs, metrics):
    available = [k for k in logs if not k.startswith("val_")] or [k[4:] for k in logs]
    if metrics is None:
        return sorted(available, key=lambda k: k != "loss")  # loss first, the rest in fit's order
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    unknown = [n for n in names if n not in logs and f"val_{n}" not in logs]
    if unknown or not names:
        raise ValueError(f"plot_history: metrics {unknown or names!r} are not in the history. "
                         f"Available: {available}.")
    return names


def _epochs(history, logs, names):
    count = max(len(logs.get(n, [])) or len(logs.get(f"val_{n}", [])) for n in names)
    recorded = getattr(history, "epoch", None)
    if recorded and len(recorded) == count:
        return [e + 1 for e in recorded]
    return list(range(1, count + 1))


def _save_atomically(figure, path):
    temp = f"{path}.{os.getpid()}.tmp"  # same folder, so os.replace is atomic; open() honours the umask
    try:
        figure.savefig(temp, format="png")
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
