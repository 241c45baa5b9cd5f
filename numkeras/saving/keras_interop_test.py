"""Files move between Keras 3 and numkeras: Keras saves, numkeras loads, and the reverse.

Runs where a Python with `keras` is available: this interpreter if it can
import keras, or the one named by the NUMKERAS_KERAS_PYTHON environment
variable (e.g. a virtual environment with `pip install keras` and
KERAS_BACKEND=numpy, which needs no GPU and no training). Keras runs in a
subprocess, so its global state never mixes with numkeras's.
"""
import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from numkeras import layers, models, utils
from numkeras.saving import load_model

KERAS_PYTHON = os.environ.get("NUMKERAS_KERAS_PYTHON") or (
    sys.executable if importlib.util.find_spec("keras") is not None else None)
pytestmark = pytest.mark.skipif(KERAS_PYTHON is None, reason="keras is not installed (set NUMKERAS_KERAS_PYTHON to "
                                                             "a Python that has keras to run these tests)")
RS = np.random.RandomState(7)
X4, X3 = RS.rand(6, 4).astype("float32"), RS.rand(6, 3).astype("float32")


def run_keras(code, tmp_path):
    np.save(tmp_path / "x4.npy", X4)
    np.save(tmp_path / "x3.npy", X3)
    script = "import os, sys\nimport numpy as np\nimport keras\nd = sys.argv[1]\n" + textwrap.dedent(code)
    env = {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "numpy")}
    result = subprocess.run([KERAS_PYTHON, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def optimizer_state(optimizer):
    return [np.asarray(v.numpy()).ravel() for v in optimizer.variables]


def test_keras_files_load_in_numkeras(tmp_path):
    run_keras("""
        from keras import layers
        x4, x3 = np.load(f"{d}/x4.npy"), np.load(f"{d}/x3.npy")
        keras.utils.set_random_seed(0)
        seq = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dropout(0.2),
                                layers.Dense(3, activation="softmax")])
        seq.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
        seq.optimizer.build(seq.trainable_variables)
        for i, v in enumerate(seq.optimizer.variables[2:]):
            v.assign(np.random.RandomState(i).rand(*v.shape).astype("float32"))
        seq.optimizer.iterations.assign(5)
        seq.save(f"{d}/seq.keras")
        seq.save_weights(f"{d}/seq.weights.h5")
        np.save(f"{d}/seq_pred.npy", seq.predict(x4, verbose=0))
        np.save(f"{d}/seq_opt.npy", np.concatenate([np.ravel(v.numpy()) for v in seq.optimizer.variables]))
        a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
        inner_in = keras.Input((3,), name="inner_in")
        inner = keras.Model(inner_in, layers.Dense(2, name="inner_dense")(inner_in), name="inner")
        h = layers.Concatenate(name="cat")([layers.Dense(5, name="d1")(a), inner(b)])
        fun = keras.Model([a, b], [layers.Dense(2, name="o1")(h), layers.Dense(1, name="o2")(h)], name="fun")
        fun.compile(optimizer="sgd", loss=["mse", "mae"], loss_weights=[1.0, 0.5], metrics=[["mae"], ["mse"]])
        fun.save(f"{d}/fun.keras")
        p = fun.predict([x4, x3], verbose=0)
        np.save(f"{d}/fun_pred0.npy", p[0]); np.save(f"{d}/fun_pred1.npy", p[1])
        norm = keras.Sequential([keras.Input((4,)), layers.Dense(6), layers.BatchNormalization(), layers.PReLU(),
                                 layers.LayerNormalization(), layers.Dense(2)])
        rs = np.random.RandomState(5)
        for v in norm.layers[1].non_trainable_variables + norm.layers[2].trainable_variables:
            v.assign(rs.rand(*v.shape).astype("float32") + 0.5)
        norm.save(f"{d}/norm.keras")
        np.save(f"{d}/norm_pred.npy", norm.predict(x4, verbose=0))
    """, tmp_path)
    seq = load_model(tmp_path / "seq.keras")
    np.testing.assert_allclose(seq.predict(X4, verbose=0), np.load(tmp_path / "seq_pred.npy"), atol=1e-6)
    assert int(seq.optimizer.iterations.numpy()) == 5 and seq.loss == "categorical_crossentropy"
    np.testing.assert_array_equal(np.concatenate(optimizer_state(seq.optimizer)).astype("float32"),
                                  np.load(tmp_path / "seq_opt.npy").astype("float32"))
    fresh = models.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"), layers.Dropout(0.2),
                               layers.Dense(3, activation="softmax")])
    fresh.load_weights(tmp_path / "seq.weights.h5")
    np.testing.assert_allclose(fresh.predict(X4, verbose=0), np.load(tmp_path / "seq_pred.npy"), atol=1e-6)
    fun = load_model(tmp_path / "fun.keras")
    p0, p1 = fun.predict([X4, X3], verbose=0)
    np.testing.assert_allclose(p0, np.load(tmp_path / "fun_pred0.npy"), atol=1e-6)
    np.testing.assert_allclose(p1, np.load(tmp_path / "fun_pred1.npy"), atol=1e-6)
    assert fun._objectives._specs == (["mse", "mae"], [1.0, 0.5], [["mae"], ["mse"]])
    norm = load_model(tmp_path / "norm.keras")  # BatchNormalization's moving statistics, PReLU's alphas
    np.testing.assert_allclose(norm.predict(X4, verbose=0), np.load(tmp_path / "norm_pred.npy"), atol=1e-6)


def test_numkeras_files_load_in_keras(tmp_path):
    utils.set_random_seed(3)
    seq = models.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"),
                             layers.Dense(3, activation="softmax")])
    seq.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    seq.fit(X4, np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]], epochs=2, verbose=0)
    seq.save(tmp_path / "seq.keras")
    seq.save_weights(tmp_path / "seq.weights.h5")
    a, b = layers.Input((4,), name="a"), layers.Input((3,), name="b")
    branch = layers.Dense(3, name="b2")(layers.Dense(3, activation="tanh", name="b1")(b))
    h = layers.Concatenate(name="cat")([layers.Dense(5, name="d1")(a), branch])
    fun = models.Model([a, b], [layers.Dense(2, name="o1")(h), layers.Dense(1, name="o2")(h)], name="fun")
    fun.compile(optimizer="adam", loss=["mse", "mae"], loss_weights=[1.0, 0.5])
    fun.fit([X4, X3], [X4[:, :2], X3[:, :1]], epochs=2, verbose=0)
    fun.save(tmp_path / "fun.keras")
    run_keras("""
        x4, x3 = np.load(f"{d}/x4.npy"), np.load(f"{d}/x3.npy")
        seq = keras.saving.load_model(f"{d}/seq.keras")
        np.save(f"{d}/seq_pred.npy", seq.predict(x4, verbose=0))
        np.save(f"{d}/seq_iterations.npy", np.asarray(seq.optimizer.iterations.numpy()))
        again = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(3, activation="softmax")])
        again.load_weights(f"{d}/seq.weights.h5")
        np.save(f"{d}/seq_weights_pred.npy", again.predict(x4, verbose=0))
        fun = keras.saving.load_model(f"{d}/fun.keras")
        p = fun.predict([x4, x3], verbose=0)
        np.save(f"{d}/fun_pred0.npy", p[0]); np.save(f"{d}/fun_pred1.npy", p[1])
        opt = fun.optimizer
        np.savez(f"{d}/fun_slots.npz", **{v.path.replace("/", "|"): np.concatenate([np.ravel(m), np.ravel(u)])
                                          for v, m, u in zip(opt._trainable_variables, opt._momentums,
                                                             opt._velocities)})
    """, tmp_path)
    np.testing.assert_allclose(np.load(tmp_path / "seq_pred.npy"), seq.predict(X4, verbose=0), atol=1e-6)
    np.testing.assert_allclose(np.load(tmp_path / "seq_weights_pred.npy"), seq.predict(X4, verbose=0), atol=1e-6)
    assert int(np.load(tmp_path / "seq_iterations.npy")) == int(seq.optimizer.iterations.numpy())
    p0, p1 = fun.predict([X4, X3], verbose=0)
    np.testing.assert_allclose(np.load(tmp_path / "fun_pred0.npy"), p0, atol=1e-6)
    np.testing.assert_allclose(np.load(tmp_path / "fun_pred1.npy"), p1, atol=1e-6)
    # Each variable's Adam slots reach Keras attached to the same variable (branches are ordered differently).
    opt = fun.optimizer
    ours = {v.path: np.concatenate([np.ravel(opt._momentums[i].numpy()), np.ravel(opt._velocities[i].numpy())])
            for i, v in enumerate(opt._trainable_variables)}
    theirs = np.load(tmp_path / "fun_slots.npz")
    assert sorted(name.replace("|", "/") for name in theirs.files) == sorted(ours)
    for name in theirs.files:
        np.testing.assert_array_equal(theirs[name], ours[name.replace("|", "/")])
