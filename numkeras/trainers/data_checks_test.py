"""Every bad input from the foundation issue fails before any training step, with a clear error."""
import warnings

import numpy as np
import pytest

from numkeras import layers, losses, models
from numkeras.trainers import data_checks
from numkeras.losses.registry import get_loss


def compiled(loss="categorical_crossentropy", input_shape=(4,)):
    kwargs = {"input_shape": input_shape} if input_shape else {}
    model = models.Sequential([layers.Dense(8, activation="relu", **kwargs), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="rmsprop", loss=loss, metrics=["accuracy"])
    return model


X = np.random.default_rng(0).random((10, 4)).astype("float32")
Y_INT = np.arange(10) % 3
Y_HOT = np.eye(3, dtype="float32")[Y_INT]


def assert_untouched(model, before):
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("loss, y, pattern", [
    ("categorical_crossentropy", Y_INT, r"sparse_categorical_crossentropy.*to_categorical"),
    ("sparse_categorical_crossentropy", Y_HOT, r"one-hot.*categorical_crossentropy"),
    ("sparse_categorical_crossentropy", Y_INT + 5, r"label .*must be in \[0, 2\]"),
    ("sparse_categorical_crossentropy", Y_INT - 1, r"label -1"),
])
def test_labels_that_do_not_fit_the_loss(loss, y, pattern):
    model = compiled(loss)
    before = model.get_weights()
    with pytest.raises(ValueError, match=pattern):
        model.fit(X, y, epochs=1, verbose=0)
    assert_untouched(model, before)


@pytest.mark.parametrize("x, y, pattern", [
    (np.zeros((10, 5), "float32"), Y_HOT, r"expected shape \(None, 4\), received x with shape \(None, 5\)"),
    (np.zeros((10, 2, 2), "float32"), Y_HOT, r"flatten them first"),
    (X, Y_HOT[:7], r"different numbers of samples: x has 10.*y has 7"),
    (X[:0], Y_HOT[:0], r"empty x"),
    (np.where(np.eye(10, 4) > 0, np.nan, X), Y_HOT, r"4 NaN or inf value\(s\); the first is at index \(0, 0\)"),
    (X, np.where(np.eye(10, 3) > 0, np.inf, Y_HOT), r"y with 3 NaN or inf"),
    (np.array([["a"] * 4] * 10), Y_HOT, r"dtype <U1"),
    (X.astype(object), Y_HOT, r"dtype object"),
    ([[1, 2], [3]], Y_HOT, r"different lengths"),
])
def test_bad_arrays(x, y, pattern):
    model = compiled()
    before = model.get_weights()
    with pytest.raises(ValueError, match=pattern):
        model.fit(x, y, epochs=1, verbose=0)
    assert_untouched(model, before)
    model.fit(X, Y_HOT, epochs=1, verbose=0)  # still trains


@pytest.mark.parametrize("kwargs, pattern", [
    ({"batch_size": 0}, "batch_size"), ({"epochs": -1}, "epochs"), ({"validation_split": 1.0}, "validation_split"),
])
def test_bad_fit_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        compiled().fit(X, Y_HOT, verbose=0, **kwargs)


@pytest.mark.parametrize("kind, name, suggestion", [
    ("optimizer", "rmsprp", "rmsprop"), ("loss", "categorical_crossentropi", "categorical_crossentropy"),
    ("metric", "acuracy", "accuracy"),
])
def test_unknown_names_suggest_the_closest(kind, name, suggestion):
    model = models.Sequential([layers.Dense(3, input_shape=(4,))])
    args = {"optimizer": "rmsprop", "loss": "mse", "metrics": None}
    args[kind if kind != "metric" else "metrics"] = [name] if kind == "metric" else name
    with pytest.raises(ValueError, match=f"Did you mean '{suggestion}'"):
        model.compile(**args)


@pytest.mark.parametrize("kind, make", [
    ("activation", lambda: layers.Dense(3, activation="rleu")),
    ("initializer", lambda: layers.Dense(3, kernel_initializer="glorot_unifrom")),
])
def test_unknown_layer_names_suggest_the_closest(kind, make):
    with pytest.raises(ValueError, match="Did you mean"):
        make()


def test_fit_before_compile():
    model = models.Sequential([layers.Dense(3, input_shape=(4,))])
    with pytest.raises(RuntimeError, match=r"must call compile\(\) before fit\(\)"):
        model.fit(X, Y_HOT)


def test_predict_on_a_never_built_model():
    model = models.Sequential([layers.Dense(3)])
    with pytest.raises(ValueError, match="never built.*input_shape"):
        model.predict(X, verbose=0)


def test_unscaled_uint8_warns_once(monkeypatch):
    monkeypatch.setattr(data_checks, "_warned_uint8", False)
    model = compiled()
    images = (X * 255).astype("uint8")
    with pytest.warns(UserWarning, match="/ 255"):
        model.fit(images, Y_HOT, epochs=1, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(images, Y_HOT, epochs=1, verbose=0)


def test_labels_shaped_unlike_the_output_of_an_elementwise_loss():
    model = compiled("mse")
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"y has shape \(10, 5\).*Pass y of shape \(samples, 3\)"):
        model.fit(X, np.zeros((10, 5), "float32"), verbose=0)
    assert_untouched(model, before)
    model.fit(X, Y_HOT[:, :1], verbose=0)  # a trailing axis of 1 broadcasts, as in the losses


def test_a_custom_loss_may_take_labels_of_any_shape():
    def first_column_error(y_true, y_pred):
        from numkeras import ops
        return ops.square(ops.subtract(y_true[:, 0], y_pred[:, 0]))
    compiled(first_column_error).fit(X, np.zeros((10, 5), "float32"), verbose=0)


def test_check_labels_says_where_the_labels_came_from():
    loss = get_loss("sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"^fit \(validation_data\)\(\): Loss 'sparse_categorical_crossentropy'"):
        data_checks.check_labels(Y_INT + 5, (None, 3), loss, "fit (validation_data)")


@pytest.mark.parametrize("kwargs, pattern", [
    ({"epochs": -1}, r"epochs must be a non-negative integer. Received: epochs=-1"),
    ({"epochs": True}, r"epochs=True"),
    ({"initial_epoch": -2}, r"initial_epoch=-2"),
    ({"validation_freq": 0}, r"validation_freq must be a positive integer.*validation_freq=0"),
    ({"validation_freq": [0, 2]}, r"counted from 1.*validation_freq=\[0, 2\]"),
    ({"validation_split": "0.2"}, r"validation_split must be a number in \[0, 1\).*validation_split='0.2'"),
    ({"validation_split": 1}, r"validation_split=1\b"),
])
def test_check_fit_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        data_checks.check_fit_arguments(**kwargs)
    data_checks.check_fit_arguments(epochs=np.int64(3), validation_split=np.float32(0.5), validation_freq=2)


@pytest.mark.parametrize("class_weight, error, pattern", [
    ([1.0, 2.0], TypeError, r"class_weight must be a dict.*class_weight=\{0: 1.0, 1: 5.0\}"),
    ({"cat": 1.0}, ValueError, r"keys must be class indices.*'cat'"),
    ({-1: 1.0}, ValueError, r"keys must be class indices.*-1"),
    ({0: "heavy"}, ValueError, r"values must be finite numbers"),
    ({0: float("nan")}, ValueError, r"values must be finite numbers"),
])
def test_bad_class_weight(class_weight, error, pattern):
    with pytest.raises(error, match=pattern):
        data_checks.check_class_weight(class_weight)
    data_checks.check_class_weight({0: 1, np.int64(2): np.float32(0.5)})


def test_nan_check_finds_a_nan_in_the_last_block_without_a_data_sized_mask():
    import tracemalloc
    x = np.zeros((3000, 200), "float32")  # 600,000 elements: three blocks of samples
    tracemalloc.start()
    try:
        data_checks.as_array(x, "x", "fit")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < x.size // 2  # a data-sized boolean mask would take x.size bytes
    x[-1, -1] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN or inf value\(s\); the first is at index \(2999, 199\)"):
        data_checks.as_array(x, "x", "fit")
