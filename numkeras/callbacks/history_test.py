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


def test_keras2_acc_keys_read_the_logged_accuracy_with_one_note():
    import warnings

    from numkeras.utils import keras2_idioms
    keras2_idioms._forget_for_tests()
    history = History()
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 0.5, "binary_accuracy": 0.7, "val_loss": 0.6, "val_binary_accuracy": 0.65})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert history.history["acc"] == [0.7]
        assert history.history["val_acc"] == [0.65]
    assert len(caught) == 1 and issubclass(caught[0].category, keras2_idioms.Keras2IdiomWarning)
    assert "history.history['binary_accuracy']" in str(caught[0].message)
    assert list(history.history) == ["loss", "binary_accuracy", "val_loss", "val_binary_accuracy"]  # Keras 3's keys
    assert "acc" not in history.history


def test_acc_is_not_guessed_when_no_single_accuracy_was_logged():
    import pytest
    history = History()
    history.on_epoch_end(0, {"loss": 0.5})
    with pytest.raises(KeyError, match="acc"):
        history.history["acc"]
    history.on_epoch_end(1, {"accuracy": 0.5, "categorical_accuracy": 0.5})
    with pytest.raises(KeyError, match="val_acc"):
        history.history["val_acc"]
    with pytest.raises(KeyError):
        history.history["acc"]  # two accuracies: ambiguous


def test_keras2_full_names_of_shorthand_metrics_read_the_logged_ones():
    import warnings
    history = History()
    history.on_epoch_end(0, {"loss": 1.0, "mae": 0.5, "val_loss": 1.1, "val_mae": 0.6})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert history.history["val_mean_absolute_error"] == [0.6]
        assert history.history["mean_absolute_error"] == [0.5]
