from numkeras.callbacks import History


class FakeModel:
    history = None


def test_records_each_epoch():
    history = History()
    model = FakeModel()
    history.set_model(model)
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.6})
    history.on_epoch_end(1, {"loss": 0.25, "val_loss": 0.4})
    assert history.history == {"loss": [0.5, 0.25], "val_loss": [0.6, 0.4]}
    assert history.epoch == [0, 1]
    assert model.history is history


def test_new_training_restarts_the_epoch_list():
    history = History()
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 1.0})
    history.on_train_begin()
    history.on_epoch_end(0, None)
    assert history.epoch == [0]
    assert history.history == {"loss": [1.0]}
