"""fit/evaluate/predict end to end on the bundled digits set, determinism and dtypes."""
import numpy as np
import pytest

import numkeras
from numkeras import layers, losses, models, optimizers
from numkeras.datasets import digits
from numkeras.utils import set_random_seed, to_categorical


@pytest.fixture(scope="module")
def digits_data():
    (x, y), (xt, yt) = digits.load_data()
    return (x.reshape(len(x), 64).astype("float32") / 16, y), (xt.reshape(len(xt), 64).astype("float32") / 16, yt)


def mlp(units=64):
    return models.Sequential([layers.Dense(units, activation="relu", input_shape=(64,)),
                              layers.Dense(10, activation="softmax")])


def test_digits_reach_95_percent(digits_data):
    (x, y), (xt, yt) = digits_data
    set_random_seed(0)
    model = mlp(256)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, to_categorical(y), epochs=20, batch_size=32, verbose=0)
    loss, acc = model.evaluate(xt, to_categorical(yt), verbose=0)
    assert acc >= 0.95, acc
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert list(history.history) == ["accuracy", "loss"]


def test_sparse_labels_without_input_shape_and_predict(digits_data):
    (x, y), (xt, yt) = digits_data
    set_random_seed(1)
    model = models.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=10, batch_size=64, verbose=0)
    probs = model.predict(xt[:10], verbose=0)
    assert probs.shape == (10, 10) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    assert (probs.argmax(axis=1) == yt[:10]).mean() >= 0.8


def test_evaluate_returns_scalar_without_metrics(digits_data):
    (x, y), _ = digits_data
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    result = model.evaluate(x[:100], y[:100], verbose=0)
    assert isinstance(result, float)
    assert model.evaluate(x[:100], y[:100], verbose=0, return_dict=True) == {"loss": result}


def test_validation_split_takes_the_last_fraction_before_shuffling(digits_data):
    (x, y), _ = digits_data
    set_random_seed(2)
    model = mlp()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["acc"])
    history = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    assert list(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    split = int(len(x) * 0.75)
    val = model.evaluate(x[split:], y[split:], verbose=0, return_dict=True)
    assert val["loss"] == pytest.approx(history.history["val_loss"][-1], rel=1e-6)


def test_same_seed_same_weights_bit_for_bit(digits_data):
    (x, y), _ = digits_data

    def run():
        set_random_seed(123)
        model = mlp()
        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
        model.add(layers.Dropout(0.0))
        model.fit(x, y, epochs=2, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_hand_written_loop_equals_fit(digits_data):
    (x, y), _ = digits_data
    y1h = to_categorical(y)
    set_random_seed(7)
    model = mlp()
    initial = model.get_weights()
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    model.fit(x, y1h, epochs=1, batch_size=128, shuffle=False, verbose=0)

    manual = mlp()
    manual.set_weights(initial)
    optimizer = optimizers.RMSprop()
    loss_fn = losses.CategoricalCrossentropy()
    for start in range(0, len(x), 128):
        xb, yb = x[start:start + 128], y1h[start:start + 128]
        with numkeras.GradientTape() as tape:
            loss = loss_fn(yb, manual(xb, training=True))
        grads = tape.gradient(loss, manual.trainable_weights)
        optimizer.apply_gradients(zip(grads, manual.trainable_weights))
    for a, b in zip(model.get_weights(), manual.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_no_float64_in_weights_activations_or_gradients(digits_data):
    (x, y), _ = digits_data
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x[:64].astype("float64"), y[:64], epochs=1, verbose=0)
    assert all(w.dtype == "float32" for w in model.weights)
    with numkeras.GradientTape() as tape:
        out = model(x[:8].astype("float64"), training=True)
        loss = losses.SparseCategoricalCrossentropy()(y[:8], out)
    assert out.dtype == "float32" and loss.dtype == "float32"
    assert all(g.dtype == "float32" for g in tape.gradient(loss, model.trainable_weights))


def test_batch_methods(digits_data):
    (x, y), _ = digits_data
    model = mlp()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.train_on_batch(x[:32], y[:32])
    assert np.isfinite(loss) and 0 <= acc <= 1
    assert set(model.test_on_batch(x[:32], y[:32], return_dict=True)) == {"loss", "accuracy"}
    assert model.predict_on_batch(x[:5]).shape == (5, 10)


def test_regularization_is_in_the_reported_loss(digits_data):
    (x, y), _ = digits_data
    model = models.Sequential([layers.Dense(10, activation="softmax", kernel_regularizer="l2", input_shape=(64,))])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with_penalty = model.evaluate(x[:50], y[:50], verbose=0)
    plain = float(losses.sparse_categorical_crossentropy(y[:50], model.predict(x[:50], verbose=0)).numpy().mean())
    penalty = 0.01 * float(np.sum(model.layers[0].kernel.numpy() ** 2))
    assert with_penalty == pytest.approx(plain + penalty, rel=1e-5)


def test_progress_output_in_keras_format(digits_data, capsys):
    (x, y), _ = digits_data
    model = mlp()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:256], y[:256], epochs=2, batch_size=128)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "2/2 ━━━━━━━━━━━━━━━━━━━━" in out and "\r" not in out
    assert out.index("accuracy:") < out.index("loss:")
    model.fit(x[:256], y[:256], epochs=2, batch_size=128, verbose=2)
    lines = [l for l in capsys.readouterr().out.splitlines() if l.strip()]
    assert len(lines) == 4 and lines[1].startswith("2/2 - ")
    model.fit(x[:256], y[:256], epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_fit_evaluate_predict_accept_generators_and_pydatasets(digits_data):
    (x, y), (xt, yt) = digits_data
    from numkeras.utils import PyDataset

    class Batches(PyDataset):
        def __len__(self):
            return -(-len(x) // 64)

        def __getitem__(self, i):
            return x[i * 64:(i + 1) * 64], y[i * 64:(i + 1) * 64]

    set_random_seed(3)
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    def validation_batches():
        while True:
            for i in range(0, 300, 50):
                yield xt[i:i + 50], yt[i:i + 50]

    history = model.fit(Batches(), epochs=8, verbose=0, validation_data=validation_batches(), validation_steps=2)
    assert set(history.history) == {"accuracy", "loss", "val_accuracy", "val_loss"}
    assert history.history["accuracy"][-1] > 0.9

    def endless():
        while True:
            for i in range(0, len(x), 32):
                yield x[i:i + 32], y[i:i + 32]

    model.fit(endless(), steps_per_epoch=5, epochs=2, verbose=0)
    loss, acc = model.evaluate(((xt[i:i + 100], yt[i:i + 100]) for i in range(0, len(xt), 100)), verbose=0)
    assert acc > 0.85
    probs = model.predict((xt[i:i + 100] for i in range(0, 300, 100)), verbose=0)
    assert probs.shape == (300, 10)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(Batches(), validation_split=0.2, verbose=0)


@pytest.mark.parametrize("method", ["fit", "train_on_batch"])
def test_class_weight_is_the_sample_weight_of_each_label(digits_data, method):
    (x, y), _ = digits_data
    x, y = x[:64], y[:64]
    class_weight = {c: 0.5 + c / 4 for c in range(10)}

    def trained(**weighting):
        set_random_seed(0)
        model = mlp()
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        if method == "fit":
            model.fit(x, y, epochs=1, batch_size=64, verbose=0, shuffle=False, **weighting)
        else:
            model.train_on_batch(x, y, **weighting)
        return model.get_weights()

    by_class = trained(class_weight=class_weight)
    by_sample = trained(sample_weight=np.array([class_weight[c] for c in y], "float32"))
    unweighted = trained()
    for a, b in zip(by_class, by_sample):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(by_class[0], unweighted[0])


@pytest.mark.parametrize("weighting, error, message", [
    (dict(class_weight={0: 1.0}, sample_weight=np.ones(4)), ValueError,
     r"train_on_batch\(\): pass class_weight or sample_weight, not both"),
    (dict(class_weight=[1.0, 2.0]), TypeError, r"train_on_batch\(\): class_weight must be a dict"),
    (dict(class_weight={-1: 1.0}), ValueError, r"class_weight keys must be class indices"),
])
def test_train_on_batch_refuses_bad_class_weight_and_leaves_the_model_as_it_was(weighting, error, message):
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = np.random.default_rng(0).random((4, 64)).astype("float32"), np.array([0, 1, 0, 1])
    model.train_on_batch(x, y)
    before = model.get_weights()
    with pytest.raises(error, match=message):
        model.train_on_batch(x, y, **weighting)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_predict_of_one_batch_takes_the_serving_path_with_the_same_checks(digits_data, monkeypatch):
    (x, _), _ = digits_data
    set_random_seed(0)
    model = mlp()
    batched = model.predict(x[:20], batch_size=8, verbose=0)  # three batches: the general loop
    monkeypatch.setattr(type(model), "_batches", lambda *a, **k: pytest.fail("one batch needs no batching"))
    served = model.predict(x[:20], verbose=0)
    assert served.dtype == np.float32 and served.shape == (20, 10)
    np.testing.assert_allclose(served, batched, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(model.predict(x[:1], verbose=0), model(x[:1], training=False).numpy())
    bad = x[:3].copy()
    bad[1, 5] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN or inf.*\(1, 5\)"):
        model.predict(bad, verbose=0)
    with pytest.raises(ValueError, match=r"expected shape \(None, 64\).*\(None, 63\)"):
        model.predict(x[:3, :63], verbose=0)


def test_fit_evaluate_predict_accept_a_dataset(digits_data):
    from numkeras.utils import Dataset
    (x, y), (xt, yt) = digits_data
    set_random_seed(4)
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    train = Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=1).batch(64)
    val = Dataset.from_tensor_slices((xt, yt)).batch(100)
    history = model.fit(train, epochs=8, validation_data=val, verbose=0)
    assert history.history["val_accuracy"][-1] > 0.85
    # Without shuffling, a dataset of batches trains exactly as the arrays do.
    weights = []
    for data in ((Dataset.from_tensor_slices((x, y)).batch(64),), (x, y)):
        set_random_seed(5)
        twin = mlp()
        twin.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        twin.fit(*data, batch_size=None if len(data) == 1 else 64, shuffle=False, epochs=2, verbose=0)
        weights.append(twin.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)
    # Weighted elements: a zero weight on every sample leaves nothing to learn from.
    weighted = Dataset.from_tensor_slices((xt, yt, np.zeros(len(xt), "float32"))).batch(50)
    assert model.evaluate(weighted, verbose=0)[0] == 0.0
    # An infinite dataset needs steps; then epochs continue where the last stopped.
    endless = train.repeat()
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        model.fit(endless, verbose=0)
    with pytest.raises(ValueError, match="infinite.*validation_steps"):
        model.fit(train, validation_data=val.repeat(), verbose=0)
    history = model.fit(endless, steps_per_epoch=3, epochs=2, validation_data=val.repeat(), validation_steps=2,
                        verbose=0)
    assert len(history.history["loss"]) == 2
    # Elements (x,) and bare x predict alike, and match predicting the arrays.
    expected = model.predict(xt, batch_size=64, verbose=0)
    only_x = Dataset.from_tensor_slices((xt,)).batch(64)
    np.testing.assert_allclose(model.predict(only_x, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(model.predict(only_x.map(lambda v: v), verbose=0), expected, rtol=1e-6)
    # A dataset of unknown length runs through once per epoch.
    unknown = val.unbatch().batch(100)
    assert unknown.cardinality() < 0
    np.testing.assert_allclose(model.evaluate(unknown, verbose=0), model.evaluate(val, verbose=0), rtol=1e-6)


def test_steps_per_execution_groups_the_batch_callbacks_and_is_checked():
    x, y = np.arange(20, dtype="float32").reshape(10, 2), np.zeros((10, 1), "float32")
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match=r"steps_per_execution must be a positive integer.*=0"):
        model.compile(optimizer="sgd", loss="mse", steps_per_execution=0)
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=4)
    seen = []
    record = numkeras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    model.fit(x, y, batch_size=1, epochs=1, verbose=0, callbacks=[record])
    assert seen == [3, 7, 11]  # every 4 steps, the last group told its would-be last step, as Keras does


def test_compile_keeps_run_eagerly_and_reports_no_jit():
    model = models.Sequential([layers.Input((2,)), layers.Dense(1)])
    assert model.run_eagerly is False and model.jit_compile is False
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True, jit_compile=True)
    assert model.run_eagerly is True and model.jit_compile is False  # nothing is compiled here
