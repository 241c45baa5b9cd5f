import csv

import numpy as np

from numkeras import callbacks, layers, models
from numkeras.utils import set_random_seed


def fit(callback_list, epochs=2, validation=True):
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 3)).astype("float32"), rng.normal(size=(12, 1)).astype("float32")
    model = models.Sequential([layers.Dense(2, activation="relu", input_shape=(3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model.fit(x, y, batch_size=4, epochs=epochs, verbose=0, callbacks=callback_list,
                     validation_data=(x, y) if validation else None)


def read_rows(path, delimiter=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_writes_a_header_and_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    history = fit([callbacks.CSVLogger(path)], epochs=3)
    rows = read_rows(path)
    assert rows[0] == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert [row[0] for row in rows[1:]] == ["0", "1", "2"]
    columns = list(zip(*rows[1:]))[1:]
    for key, column in zip(rows[0][1:], columns):
        assert [float(v) for v in column] == history.history[key]  # full precision, no rounding
    with open(path, "rb") as f:
        assert f.read().endswith(b"\r\n")  # csv's excel dialect, as in Keras


def test_without_validation_val_columns_are_na(tmp_path):
    path = tmp_path / "log.csv"
    fit([callbacks.CSVLogger(path)], epochs=1, validation=False)
    rows = read_rows(path)
    assert rows[0] == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert rows[1][3:] == ["NA", "NA"]


def test_separator(tmp_path):
    path = tmp_path / "log.tsv"
    fit([callbacks.CSVLogger(path, separator="\t")], epochs=1)
    with open(path) as f:
        assert f.readline() == "epoch\tloss\tmae\tval_loss\tval_mae\n"


def test_append_keeps_one_header(tmp_path):
    path = tmp_path / "log.csv"
    fit([callbacks.CSVLogger(path)], epochs=2)
    logger = callbacks.CSVLogger(path, append=True)
    fit([logger], epochs=1)
    fit([logger], epochs=2)  # the same instance reused
    rows = read_rows(path)
    assert rows[0][0] == "epoch" and [row[0] for row in rows[1:]] == ["0", "1", "0", "0", "1"]
    # Without append the file starts over.
    fit([callbacks.CSVLogger(path)], epochs=1)
    assert len(read_rows(path)) == 2


def test_append_to_a_new_file_writes_the_header(tmp_path):
    path = tmp_path / "new.csv"
    fit([callbacks.CSVLogger(path, append=True)], epochs=1)
    assert read_rows(path)[0][0] == "epoch"


def test_each_row_is_on_disk_before_training_ends(tmp_path):
    path = tmp_path / "log.csv"
    logger = callbacks.CSVLogger(path)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.25})
    assert read_rows(path) == [["epoch", "loss", "val_loss"], ["0", "0.5", "0.25"]]
    logger.on_epoch_end(1, {"loss": 0.4})
    assert read_rows(path)[2] == ["1", "0.4", "NA"]
    logger.on_train_end()
    assert logger.csv_file.closed


def test_iterables_and_strings(tmp_path):
    path = tmp_path / "log.csv"
    logger = callbacks.CSVLogger(path)
    logger.on_train_begin()
    logger.on_epoch_end(0, {"loss": np.array(0.5), "val_per_class": np.array([1, 2]), "val_tag": "a"})
    logger.on_train_end()
    assert read_rows(path)[1] == ["0", "0.5", '"[1, 2]"', "a"]


def test_logs_the_learning_rate_added_by_a_scheduler(tmp_path):
    path = tmp_path / "log.csv"
    scheduler = callbacks.LearningRateScheduler(lambda epoch, lr: 0.5)
    fit([scheduler, callbacks.CSVLogger(path)], epochs=1)
    assert read_rows(path)[0] == ["epoch", "learning_rate", "loss", "mae", "val_loss", "val_mae"]
