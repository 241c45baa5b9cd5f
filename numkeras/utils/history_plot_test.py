import os
import sys

import numpy as np
import pytest

from numkeras.callbacks import History
from numkeras.utils import plot_history

LOGS = {"loss": [1.0, 0.6, 0.4], "accuracy": [0.5, 0.7, 0.8], "val_loss": [1.1, 0.8, 0.7],
        "val_accuracy": [0.45, 0.6, 0.7]}


def _history(logs=LOGS):
    history = History()
    for epoch in range(len(next(iter(logs.values())))):
        history.on_epoch_end(epoch, {k: v[epoch] for k, v in logs.items()})
    return history


def test_missing_matplotlib_gives_an_install_hint(monkeypatch, tmp_path):
    # None in sys.modules makes `import matplotlib...` raise ImportError, as when it is not installed
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        plot_history(_history(), str(tmp_path / "h.png"))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("history,metrics,match", [
    ({}, None, "empty history"),
    ({"loss": []}, None, "empty history"),
    (LOGS, ["loss", "auc"], r"\['auc'\] are not in the history. Available: \['loss', 'accuracy'\]"),
    (LOGS, [], "not in the history"),
    ([1, 2], None, "expects the History returned by `model.fit`"),
])
def test_bad_arguments(history, metrics, match):
    with pytest.raises(ValueError, match=match):
        plot_history(history, metrics=metrics)


def test_draws_a_png_for_each_way_of_calling_it(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is optional and not installed here")
    from matplotlib.image import imread
    paths = [plot_history(_history(), str(tmp_path / "all.png")),  # a History: loss and accuracy panels
             plot_history(LOGS, str(tmp_path / "loss.png"), metrics="loss"),  # a dict, one metric
             plot_history({"loss": [3, 2], "mae": np.array([1.0, 0.5])}, str(tmp_path / "train_only.png"))]
    for path in paths:
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    wide, narrow = imread(paths[0]), imread(paths[1])
    assert wide.shape[1] == 2 * narrow.shape[1]  # one panel per metric
    assert sorted(os.listdir(tmp_path)) == ["all.png", "loss.png", "train_only.png"]  # no temp files left


def test_plots_the_history_of_a_real_fit(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is optional and not installed here")
    from numkeras import layers, models
    x = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")
    model = models.Sequential([layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, x[:, :1], validation_split=0.25, epochs=2, verbose=0)
    assert plot_history(history, str(tmp_path / "fit.png")) == str(tmp_path / "fit.png")
    assert (tmp_path / "fit.png").stat().st_size > 1000


def test_validation_only_history(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is optional and not installed here")
    path = plot_history({"val_loss": [0.5, 0.4]}, str(tmp_path / "v.png"))
    assert os.path.getsize(path) > 1000
