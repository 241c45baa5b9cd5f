"""Keras 2's fit_generator / evaluate_generator / predict_generator / predict_classes / predict_proba."""
import warnings

import numpy as np
import pytest

import numkeras
from numkeras import layers
from numkeras.utils import keras2_idioms


def model_and_data(units, activation, seed=0):
    numkeras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32") if units == 1 else np.eye(3, dtype="float32")[rng.integers(0, 3, 64)]
    model = numkeras.Sequential([layers.Input((4,)), layers.Dense(units, activation=activation)])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy" if units == 1 else "categorical_crossentropy",
                  metrics=["acc"])
    return model, x, y


def forever(x, y, batch):  # an ImageDataGenerator-style generator: it never ends
    while True:
        for i in range(0, len(x), batch):
            yield x[i:i + batch], y[i:i + batch]


def quietly(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", keras2_idioms.Keras2IdiomWarning)
        return fn(*args, **kwargs)


def test_fit_generator_trains_as_fit_does_with_keras2_history_keys():
    model, x, y = model_and_data(1, "sigmoid")
    twin, _, _ = model_and_data(1, "sigmoid")
    history = quietly(model.fit_generator, forever(x, y, 16), steps_per_epoch=4, epochs=2,
                      validation_data=forever(x, y, 32), validation_steps=2, verbose=0)
    expected = twin.fit(forever(x, y, 16), steps_per_epoch=4, epochs=2, validation_data=forever(x, y, 32),
                        validation_steps=2, verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]  # Keras 2's names for 'acc'
    for key in history.history:
        np.testing.assert_allclose(history.history[key], expected.history[key], rtol=1e-6)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_evaluate_and_predict_generator_take_steps():
    model, x, y = model_and_data(3, "softmax")
    loss, acc = quietly(model.evaluate_generator, forever(x, y, 16), steps=4)
    np.testing.assert_allclose([loss, acc], model.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-6)
    out = quietly(model.predict_generator, ((xb,) for xb, _ in forever(x, y, 16)), steps=2)
    np.testing.assert_allclose(out, model.predict(x[:32], verbose=0), rtol=1e-6)


def test_predict_classes_argmax_for_softmax_and_threshold_for_one_unit():
    model, x, _ = model_and_data(3, "softmax")
    classes = quietly(model.predict_classes, x)
    assert classes.dtype == np.int32 and classes.shape == (64,)
    np.testing.assert_array_equal(classes, model.predict(x, verbose=0).argmax(-1))
    model, x, _ = model_and_data(1, "sigmoid")
    classes = quietly(model.predict_classes, x)
    assert classes.dtype == np.int32 and classes.shape == (64, 1)
    np.testing.assert_array_equal(classes, (model.predict(x, verbose=0) > 0.5).astype("int32"))
    np.testing.assert_array_equal(quietly(model.predict_proba, x), model.predict(x, verbose=0))


def test_each_method_notes_the_keras3_spelling_once():
    keras2_idioms._forget_for_tests()
    model, x, y = model_and_data(3, "softmax")
    with pytest.warns(keras2_idioms.Keras2IdiomWarning, match=r"np.argmax\(model.predict\(x\), axis=-1\)") as said:
        model.predict_classes(x)
    assert said[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict_classes(x)  # once per process
    with pytest.warns(keras2_idioms.Keras2IdiomWarning, match=r"Keras 3 writes model.fit\(...\)"):
        model.fit_generator(forever(x, y, 32), steps_per_epoch=1, verbose=0)
