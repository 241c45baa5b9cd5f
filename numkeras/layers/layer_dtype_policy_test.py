"""A layer under a dtype policy: "mixed_float16" computes in float16 and keeps float32 weights."""
import numpy as np

import numkeras
from numkeras import layers, models, ops, optimizers
from numkeras.utils import set_random_seed

X = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")


def test_a_mixed_layer_computes_in_float16_with_float32_weights_and_gradients():
    dense = layers.Dense(3, dtype="mixed_float16")
    out = dense(X)
    assert out.dtype == "float16"
    assert dense.kernel.dtype == "float32" and dense.bias.dtype == "float32"
    assert (dense.dtype, dense.compute_dtype, dense.variable_dtype) == ("float32", "float16", "float32")
    expected = X.astype("float16") @ dense.kernel.numpy().astype("float16") + dense.bias.numpy().astype("float16")
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-3, atol=1e-3)
    with numkeras.GradientTape() as tape:
        loss = ops.sum(ops.cast(dense(X), "float32"))
    grads = tape.gradient(loss, dense.trainable_weights)
    assert [g.dtype for g in grads] == ["float32", "float32"]
    np.testing.assert_allclose(grads[1].numpy(), np.full(3, 64.0))
    assert dense.kernel is dense.trainable_weights[0]  # the Variables are back after the call


def test_weights_that_opt_out_of_autocast_or_are_not_trainable_stay_float32():
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
            self.fixed = self.add_weight(shape=(input_shape[-1],), initializer="ones", autocast=False)
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            seen.update(w=self.w.dtype, fixed=self.fixed.dtype, count=self.count.dtype)
            return x * self.w

    seen = {}
    out = Scale(dtype="mixed_float16")(X)
    assert out.dtype == "float16" and seen == {"w": "float16", "fixed": "float32", "count": "float32"}


def test_a_mixed_model_trains_and_saves_with_its_policy(tmp_path):
    set_random_seed(0)
    model = models.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu", dtype="mixed_float16"),
                               layers.Dense(1, dtype="mixed_float16")])
    model.compile(optimizer=optimizers.Adam(0.01), loss="mse")
    y = X[:, :1] * 2.0 - X[:, 1:2]
    history = model.fit(X, y, epochs=20, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 4
    assert model.predict(X, verbose=0).dtype == np.float16
    assert all(w.dtype == "float32" for w in model.weights)
    model.save(tmp_path / "mixed.keras")
    loaded = numkeras.saving.load_model(tmp_path / "mixed.keras")
    assert [layer.dtype_policy.name for layer in loaded.layers] == ["mixed_float16", "mixed_float16"]
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
