import os

import numpy as np
import pytest

from numkeras import callbacks, layers, models
from numkeras.utils import set_random_seed


class FakeModel:
    """Records what the callback asks to save, and writes a small file."""

    metrics = []

    def __init__(self, error=None):
        self.stop_training = False
        self.saved = []
        self.error = error

    def save(self, filepath, overwrite=True):
        self._write("save", filepath, overwrite)

    def save_weights(self, filepath, overwrite=True):
        self._write("save_weights", filepath, overwrite)

    def _write(self, method, filepath, overwrite):
        if self.error is not None:
            raise self.error
        self.saved.append((method, os.path.basename(filepath), overwrite))
        with open(filepath, "w") as f:
            f.write(method)


def drive(checkpoint, values, key="val_loss", model=None):
    checkpoint.set_model(model or FakeModel())
    checkpoint.on_train_begin()
    for epoch, value in enumerate(values):
        checkpoint.on_epoch_begin(epoch)
        checkpoint.on_epoch_end(epoch, {"loss": 1.0, key: value})
    checkpoint.on_train_end()
    return [name for _, name, _ in checkpoint.model.saved]


def test_save_best_only_writes_only_on_improvement(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)
    saved = drive(checkpoint, [0.5, 0.6, 0.4, 0.4, 0.3])
    assert saved == ["01-0.50.keras", "03-0.40.keras", "05-0.30.keras"]
    assert sorted(os.listdir(tmp_path)) == saved
    assert checkpoint.model.saved[0] == ("save", "01-0.50.keras", True)
    assert checkpoint.best == 0.3


def test_without_save_best_only_it_saves_every_epoch(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "model.keras"))
    assert drive(checkpoint, [0.5, 0.6, 0.7]) == ["model.keras"] * 3


def test_mode_max_and_initial_value_threshold(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "m{epoch}.keras", monitor="val_acc", mode="max",
                                           save_best_only=True, initial_value_threshold=0.6)
    assert drive(checkpoint, [0.5, 0.7, 0.65, 0.9], key="val_acc") == ["m2.keras", "m4.keras"]


def test_save_weights_only(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "w.weights.h5", save_weights_only=True)
    drive(checkpoint, [0.1])
    assert checkpoint.model.saved == [("save_weights", "w.weights.h5", True)]


def test_integer_save_freq_counts_training_batches(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "{epoch:02d}-{batch:02d}.keras", save_freq=3)
    checkpoint.set_model(FakeModel())
    for epoch in range(3):
        checkpoint.on_epoch_begin(epoch)
        for batch in range(4):
            checkpoint.on_train_batch_end(batch, {"loss": 1.0})
        checkpoint.on_epoch_end(epoch, {"loss": 1.0})
    assert [name for _, name, _ in checkpoint.model.saved] == [
        "01-03.keras", "02-02.keras", "03-01.keras", "03-04.keras"]


def test_filepath_validation():
    with pytest.raises(ValueError, match=r"must end in `.keras` \(Keras model format\). Received: filepath=m.tf"):
        callbacks.ModelCheckpoint("m.tf")
    with pytest.raises(ValueError, match="When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                                         "provided must end in `.weights.h5`"):
        callbacks.ModelCheckpoint("m.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="Unrecognized save_freq: batch. Expected save_freq are 'epoch' or"):
        callbacks.ModelCheckpoint("m.keras", save_freq="batch")


def test_unknown_format_field_is_a_key_error(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "{val_acc:.2f}.keras")
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        drive(checkpoint, [0.5])


def test_missing_monitor_with_save_best_only_warns_and_saves(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "m.keras", monitor="val_auc", mode="max",
                                           save_best_only=True)
    with pytest.warns(UserWarning, match="Can save best model only with val_auc available."):
        assert drive(checkpoint, [0.5]) == ["m.keras"]


def test_creates_the_directory_and_rejects_a_directory_path(tmp_path):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "a" / "b" / "m.keras")
    assert drive(checkpoint, [0.5]) == ["m.keras"]
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "m.keras")
    model = FakeModel(error=IsADirectoryError(21, "Is a directory"))
    with pytest.raises(OSError, match="Please specify a non-directory filepath for ModelCheckpoint"):
        drive(checkpoint, [0.5], model=model)


def test_verbose_messages(tmp_path, capsys):
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "m.keras", save_best_only=True, verbose=1)
    drive(checkpoint, [0.5, 0.6])
    path = tmp_path / "m.keras"
    assert capsys.readouterr().out == (
        f"\nEpoch 1: val_loss improved from None to 0.50000, saving model to {path}\n"
        f"\nEpoch 1: finished saving model to {path}\n"
        "\nEpoch 2: val_loss did not improve from 0.50000\n")


def small_model():
    set_random_seed(0)
    model = models.Sequential([layers.Dense(3, activation="relu", input_shape=(4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def small_data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 4)).astype("float32"), rng.normal(size=(40, 1)).astype("float32")


def test_in_fit_saves_the_real_model_on_improvement(tmp_path, monkeypatch):
    model, (x, y) = small_model(), small_data()
    saved = []
    monkeypatch.setattr(model, "save", lambda path, overwrite=True: saved.append(
        (os.path.basename(path), [w.copy() for w in model.get_weights()])), raising=False)
    script = [0.9, 0.7, 0.8, 0.6, 0.65]
    scripted = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(val_loss=script[epoch]))
    checkpoint = callbacks.ModelCheckpoint(tmp_path / "{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)
    model.fit(x, y, epochs=5, batch_size=10, verbose=0, validation_data=(x, y), callbacks=[scripted, checkpoint])
    assert [name for name, _ in saved] == ["01-0.90.keras", "02-0.70.keras", "04-0.60.keras"]
    assert not np.array_equal(saved[0][1][0], saved[1][1][0])  # the weights of the moment


def test_in_fit_real_weights_file_round_trips(tmp_path):
    model, (x, y) = small_model(), small_data()
    path = tmp_path / "last.weights.h5"
    checkpoint = callbacks.ModelCheckpoint(path, save_weights_only=True)  # every epoch: the last one stays
    model.fit(x, y, epochs=3, batch_size=10, verbose=0, callbacks=[checkpoint])
    restored = small_model()
    restored.load_weights(path)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
