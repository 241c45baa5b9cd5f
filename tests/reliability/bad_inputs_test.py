"""A catalogue of bad inputs: each fails at once with a clear error and leaves the model as it was.

Every case gives the error type, a pattern for what the message must name
(the offending argument or value) and a pattern for the fix it must
propose. After the error the model's weights are unchanged, and one epoch of
fit on good data still runs and moves them.
"""
import re
import socket

import numpy as np
import pytest

from numkeras import layers, models, utils
from numkeras.datasets import boston_housing, california_housing, cifar100, digits, imdb, mnist, reuters

RNG = np.random.default_rng(0)
X = RNG.random((12, 4)).astype("float32")
Y = np.arange(12) % 3
Y_HOT = np.eye(3, dtype="float32")[Y]



def classifier(loss="sparse_categorical_crossentropy", units=3, activation="softmax"):
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                               layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"] if "entropy" in loss else None)
    return model


def two_inputs():
    a, b = layers.Input(shape=(4,), name="a"), layers.Input(shape=(2,), name="b")
    merged = layers.Concatenate()([layers.Dense(5)(a), layers.Dense(5)(b)])
    model = models.Model([a, b], layers.Dense(3, activation="softmax")(merged))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def two_outputs():
    a = layers.Input(shape=(4,), name="a")
    hidden = layers.Dense(5, activation="relu")(a)
    model = models.Model(a, {"p": layers.Dense(3, activation="softmax", name="p")(hidden),
                             "q": layers.Dense(1, name="q")(hidden)})
    model.compile(optimizer="adam", loss={"p": "sparse_categorical_crossentropy", "q": "mse"})
    return model


# kind -> (a fresh compiled model, good data it trains on)
KINDS = {
    "sparse": (classifier, (X, Y)),
    "onehot": (lambda: classifier("categorical_crossentropy"), (X, Y_HOT)),
    "mse": (lambda: classifier("mse", units=2, activation=None), (X, X[:, :2])),
    "two_in": (two_inputs, ([X, X[:, :2]], Y)),
    "two_out": (two_outputs, (X, {"p": Y, "q": X[:, :1]})),
}


def fit(**kwargs):
    """A bad fit call: good data unless `kwargs` replaces it."""
    x, y = kwargs.pop("x", X), kwargs.pop("y", Y)
    return lambda model: model.fit(x, y, epochs=kwargs.pop("epochs", 1), verbose=0, **kwargs)


def evaluate(x=X, y=Y, **kwargs):
    return lambda model: model.evaluate(x, y, verbose=0, **kwargs)


def predict(x=X, **kwargs):
    return lambda model: model.predict(x, verbose=0, **kwargs)


def compile_(**kwargs):
    return lambda model: model.compile(**{"optimizer": "adam", "loss": "sparse_categorical_crossentropy", **kwargs})


def make(factory):
    """A bad constructor call (the model is not involved)."""
    return lambda model: factory()


def with_nan(array, index=(0, 0)):
    array = array.astype("float32")
    array[index] = np.nan
    return array


def set_last_weight(value):
    def call(model):
        weights = [w + 1 for w in model.get_weights()]
        weights[-1] = value  # the earlier arrays are fine: none of them may be assigned either
        model.set_weights(weights)
    return call


CASES = [
    # -- fit: the arrays -------------------------------------------------------------------------
    ("sparse", fit(x=X[:, :3]), ValueError, r"input x .*\(None, 3\)", r"Pass x of shape \(samples, 4\)"),
    ("sparse", fit(x=X.reshape(12, 2, 2)), ValueError, r"input x .*\(None, 2, 2\)", r"flatten them first"),
    ("sparse", fit(x=X[:, 0]), ValueError, r"input x .*\(None,\)", r"Pass x of shape"),
    ("sparse", fit(x=X.astype(str)), ValueError, r"x to hold real numbers.*dtype <U", r"Convert it first"),
    ("sparse", fit(x=X.astype("complex64")), ValueError, r"x to hold real numbers.*complex64", r"Convert it first"),
    ("sparse", fit(x=X.astype(object)), ValueError, r"x to hold real numbers.*object", r"Convert it first"),
    ("sparse", fit(x=[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0]] * 6), ValueError, r"convert x.*different lengths",
     r"Pad the rows"),
    ("sparse", fit(y=[[0], [1, 2]] * 6), ValueError, r"convert y.*different lengths", r"Pad the rows"),
    ("sparse", fit(x=None), ValueError, r"needs x.*x=None", r"Pass x as an array"),
    ("sparse", fit(y=None), ValueError, r"needs labels y.*y=None", r"Pass y=labels"),
    ("sparse", fit(x=with_nan(X)), ValueError, r"x with 1 NaN or inf.*\(0, 0\)", r"Remove or impute"),
    ("sparse", fit(x=np.where(X > 0.9, np.inf, X)), ValueError, r"x with \d+ NaN or inf", r"Remove or impute"),
    ("sparse", fit(y=with_nan(Y, 3)), ValueError, r"y with 1 NaN or inf.*\(3,\)", r"Remove or impute"),
    ("sparse", fit(x=X[:0], y=Y[:0]), ValueError, r"empty x", r"Pass at least one sample"),
    ("sparse", fit(y=Y[:7]), ValueError, r"x has 12 .* y has 7", r"one label per input sample"),
    ("sparse", fit(y=Y.astype(str)), ValueError, r"y to hold real numbers", r"class indices or one-hot"),
    # -- fit: labels that do not fit the loss ------------------------------------------------------
    ("sparse", fit(y=Y + 3), ValueError, r"received label 5", r"must be in \[0, 2\].*more units"),
    ("sparse", fit(y=Y - 1), ValueError, r"received label -1", r"Fix the labels"),
    ("sparse", fit(y=Y + 0.5), ValueError, r"fractional", r"Pass integer labels"),
    ("sparse", fit(y=Y_HOT), ValueError, r"one-hot", r"loss='categorical_crossentropy'"),
    ("onehot", fit(y=Y), ValueError, r"integer class indices", r"to_categorical\(y, 3\)"),
    ("onehot", fit(y=np.eye(5)[Y]), ValueError, r"y has shape \(12, 5\)", r"Pass y of shape \(samples, 3\)"),
    ("mse", fit(y=np.zeros((12, 5))), ValueError, r"'mse'.*y has shape \(12, 5\)", r"Pass y of shape \(samples, 2\)"),
    ("mse", fit(y=np.zeros((12, 2, 3))), ValueError, r"y has shape \(12, 2, 3\)", r"Pass y of shape"),
    # -- fit: sample_weight ------------------------------------------------------------------------
    ("sparse", fit(sample_weight=np.ones(7)), ValueError, r"sample_weight has 7", r"one weight per sample"),
    ("sparse", fit(sample_weight=np.ones((12, 3))), ValueError, r"sample_weight of shape \(12, 3\)",
     r"one weight per sample"),
    ("sparse", fit(sample_weight=with_nan(np.ones(12), 5)), ValueError, r"sample_weight with 1 NaN",
     r"Remove or impute"),
    ("sparse", fit(sample_weight=["heavy"] * 12), ValueError, r"sample_weight to hold real numbers",
     r"Convert it first"),
    # -- fit: the other arguments ------------------------------------------------------------------
    ("sparse", fit(batch_size=0), ValueError, r"batch_size=0", r"must be a positive integer"),
    ("sparse", fit(batch_size=2.5), ValueError, r"batch_size=2\.5", r"must be a positive integer"),
    ("sparse", fit(epochs=-1), ValueError, r"epochs=-1", r"must be a non-negative integer"),
    ("sparse", fit(epochs=1.5), ValueError, r"epochs=1\.5", r"must be a non-negative integer"),
    ("sparse", fit(validation_split=1.0), ValueError, r"validation_split=1\.0", r"must be .*in \[0, 1\)"),
    ("sparse", fit(validation_split=-0.1), ValueError, r"validation_split=-0\.1", r"must be .*in \[0, 1\)"),
    pytest.param("sparse", fit(validation_split="0.2"), ValueError, r"validation_split='0\.2'",
                 r"must be a number in \[0, 1\)", id="validation_split-a-string"),
    ("sparse", fit(validation_split=0.95), ValueError, r"validation_split=0\.95 leaves an empty",
     r"Use more data or another split"),
    ("sparse", fit(validation_data=X), ValueError, r"validation_data must be", r"a tuple \(x_val, y_val\)"),
    ("sparse", fit(validation_data=(X,)), ValueError, r"validation_data .*length 1", r"a tuple \(x_val, y_val\)"),
    ("sparse", fit(validation_data=(X, Y[:5])), ValueError, r"validation_data.*y has 5", r"one label per"),
    ("sparse", fit(validation_data=(X[:, :3], Y)), ValueError, r"validation_data.*\(None, 3\)",
     r"Pass x of shape \(samples, 4\)"),
    ("sparse", fit(validation_data=(X, None)), ValueError, r"validation_data.*y=None", r"Pass y=labels"),
    pytest.param("sparse", fit(validation_data=(X, Y + 7)), ValueError, r"validation_data.*label 9",
                 r"Fix the labels", id="validation_labels-out-of-range"),
    pytest.param("sparse", fit(validation_data=(X, Y), validation_freq=0), ValueError, r"validation_freq=0",
                 r"must be a positive integer", id="validation_freq-zero"),
    pytest.param("sparse", fit(initial_epoch=-1), ValueError, r"initial_epoch=-1",
                 r"must be a non-negative integer", id="initial_epoch-negative"),
    pytest.param("sparse", fit(class_weight={"cat": 2.0}), ValueError, r"class_weight keys.*'cat'",
                 r"Map your labels to 0\.\.num_classes-1", id="class_weight-string-key"),
    pytest.param("sparse", fit(class_weight=[1.0, 2.0]), TypeError, r"class_weight=\[1\.0, 2\.0\]",
                 r"class_weight=\{0: 1\.0, 1: 5\.0\}", id="class_weight-a-list"),
    ("sparse", fit(callbacks=42), TypeError, r"callbacks=42", r"must be a list of .*Callback"),
    ("sparse", fit(callbacks=[42]), TypeError, r"Received: 42", r"Subclass Callback"),
    # -- several inputs or outputs -----------------------------------------------------------------
    ("two_in", fit(x={"a": X, "c": X[:, :2]}), ValueError, r"missing: \['b'\]", r"one array per input name"),
    ("two_in", fit(x=[X]), ValueError, r"expects 2 input\(s\) \(\['a', 'b'\]\), but received 1",
     r"one array per input"),
    ("two_in", fit(x=[X[:, :2], X]), ValueError, r"input 'a' expects shape \(None, 4\)",
     r"in the order \['a', 'b'\]"),
    ("two_in", fit(x=[X, X[:5, :2]]), ValueError, r"another input has 5", r"one row per sample"),
    ("sparse", fit(x=[X, X]), ValueError, r"takes one input.*list of 2", r"build a functional model"),
    ("sparse", fit(x={"a": X, "b": X}), ValueError, r"takes one input.*dict of 2", r"build a functional model"),
    ("two_out", fit(y={"p": Y, "r": Y}), ValueError, r"Missing labels for: \['q'\]", r"dict keyed by output"),
    ("two_out", fit(y=[Y]), ValueError, r"2 output\(s\) .*received 1 label", r"one label array per output"),
    ("two_out", fit(y={"p": Y, "q": X[:, :1]}, sample_weight={"p": np.ones(12), "r": np.ones(12)}), ValueError,
     r"\['r'\] name no output; missing: \['q'\]", r"Key sample_weight by exactly those output names"),
    ("two_out", fit(y={"p": Y, "q": X[:, :1]}, sample_weight=[np.ones(12)]), ValueError,
     r"sample_weight is a list of 1", r"one array per output"),
    ("two_out", fit(y={"p": Y, "q": X[:, :1]}, class_weight={0: 2.0}), ValueError,
     r"class_weight is only supported for a model with a single output", r"Pass sample_weight instead"),
    ("two_out", fit(y={"p": Y + 3, "q": X[:, :1]}), ValueError, r"received label 5", r"Fix the labels"),
    # -- evaluate ----------------------------------------------------------------------------------
    ("sparse", evaluate(x=X[:, :3]), ValueError, r"evaluate\(\): input x", r"Pass x of shape"),
    ("sparse", evaluate(y=None), ValueError, r"evaluate\(\) needs labels y", r"Pass y=labels"),
    ("sparse", evaluate(y=Y + 3), ValueError, r"label 5", r"Fix the labels"),
    ("sparse", evaluate(sample_weight=np.ones(3)), ValueError, r"sample_weight has 3", r"one weight per sample"),
    ("sparse", evaluate(batch_size=-1), ValueError, r"batch_size=-1", r"must be a positive integer"),
    ("sparse", evaluate(x=with_nan(X, (4, 1))), ValueError, r"x with 1 NaN.*\(4, 1\)", r"Remove or impute"),
    # -- predict -----------------------------------------------------------------------------------
    ("sparse", predict(x=X[None]), ValueError, r"predict\(\): input x .*\(None, 12, 4\)", r"flatten them first"),
    ("sparse", predict(x=np.array([["a"] * 4])), ValueError, r"predict\(\) expects x to hold real numbers",
     r"Convert it first"),
    ("sparse", predict(x=X[:0]), ValueError, r"empty x", r"Pass at least one sample"),
    ("sparse", predict(batch_size=0), ValueError, r"batch_size=0", r"must be a positive integer"),
    ("sparse", predict(x=None), ValueError, r"predict\(\) needs x", r"Pass x as an array"),
    ("sparse", predict(x=[X, X]), ValueError, r"takes one input.*list of 2", r"build a functional model"),
    ("two_in", predict(x={"a": X}), ValueError, r"missing: \['b'\]", r"one array per input name"),
    ("two_in", predict(x=[X, X]), ValueError, r"input 'b' expects shape \(None, 2\)", r"in the order"),
    # -- compile -----------------------------------------------------------------------------------
    ("sparse", compile_(optimizer="adamm"), ValueError, r"Unknown optimizer: 'adamm'", r"Did you mean 'adam'"),
    ("sparse", compile_(optimizer=42), ValueError, r"optimizer identifier: 42", r"Pass an optimizer name"),
    ("sparse", compile_(loss="sparse_categorical_crossentropi"), ValueError, r"Unknown loss",
     r"Did you mean 'sparse_categorical_crossentropy'"),
    ("sparse", compile_(loss=42), ValueError, r"loss identifier: 42", r"Pass a loss name"),
    ("sparse", compile_(metrics=["acuracy"]), ValueError, r"Unknown metric: 'acuracy'", r"Did you mean 'accuracy'"),
    ("sparse", compile_(metrics="accuracy"), TypeError, r"metrics='accuracy'", r"e\.g\. metrics=\['accuracy'\]"),
    ("sparse", compile_(metrics=[42]), ValueError, r"metrics holds 42", r"Pass metric names"),
    ("sparse", compile_(metrics=[object()]), ValueError, r"metrics holds <object", r"Pass metric names"),
    # -- layers and models -------------------------------------------------------------------------
    ("sparse", make(lambda: layers.Dense(0)), ValueError, r"units=0", r"must be a positive integer"),
    ("sparse", make(lambda: layers.Dense(-3)), ValueError, r"units=-3", r"must be a positive integer"),
    ("sparse", make(lambda: layers.Dense("10")), ValueError, r"units='10'", r"must be a positive integer"),
    ("sparse", make(lambda: layers.Dense(3, unitz=4)), TypeError, r"unitz", r"Did you mean: 'unitz' -> 'units'"),
    ("sparse", make(lambda: layers.Dense(3, activation="rleu")), ValueError, r"activation: 'rleu'",
     r"Did you mean 'relu'"),
    ("sparse", make(lambda: layers.Dense(3, kernel_initializer="glorot_unifrom")), ValueError,
     r"initializer: 'glorot_unifrom'", r"Did you mean 'glorot_uniform'"),
    ("sparse", make(lambda: layers.Dense(3, input_shape=(-4,))), ValueError, r"input_shape=\(-4,\)",
     r"non-negative integers"),
    ("sparse", make(lambda: layers.Input(shape=(-1,))), ValueError, r"shape=\(-1,\)", r"non-negative integers"),
    ("sparse", make(lambda: layers.Input(shape="abc")), ValueError, r"shape='abc'", r"e\.g\. shape=\(784,\)"),
    ("sparse", make(lambda: layers.Input(shape=(2.5,))), ValueError, r"shape=\(2\.5,\)", r"non-negative integers"),
    ("sparse", make(lambda: layers.Input()), ValueError, r"shape=None", r"Pass shape=\(features,\)"),
    ("sparse", make(lambda: layers.Dropout(1.5)), ValueError, r"rate=1\.5", r"must be in \[0, 1\)"),
    ("sparse", make(lambda: layers.Reshape((-1, -1))), ValueError, r"target_shape=\(-1, -1\)",
     r"at most one axis"),
    ("sparse", lambda model: model.add(layers.Reshape((5,))), ValueError, r"target_shape=\(5,\)",
     r"target_shape with 3 values"),
    ("sparse", lambda model: model.add(layers.Dense), TypeError, r"Received: <class", r"e\.g\. Dense\(10\)"),
    ("sparse", lambda model: model.set_weights(model.get_weights()[:2]), ValueError,
     r"expects 4 weight arrays.*received 2", r"shaped like layer\.get_weights"),
    ("sparse", set_last_weight(np.zeros(7)), ValueError, r"weight 'bias' has shape \(3,\).*\(7,\)",
     r"shaped like layer\.get_weights"),
    ("sparse", set_last_weight(np.array(["a", "b", "c"])), ValueError, r"dtype <U1", r"Pass numeric arrays"),
    ("sparse", lambda model: model.layers[0].set_weights([np.zeros((4, 8))]), ValueError,
     r"expects 2 weight arrays", r"shaped like layer\.get_weights"),
    ("sparse", lambda model: model(X[:, :3]), ValueError, r"expected axis -1 .* value 4.*\(None, 3\)",
     r"Pass x of shape|incompatible with the layer"),
    # -- dataset loaders (their arguments are checked before any file is looked for) ----------------
    ("sparse", make(lambda: digits.load_data(test_split=1.5)), ValueError, r"test_split=1\.5", r"e\.g\. 0\.2"),
    ("sparse", make(lambda: mnist.load_data(path=None)), ValueError, r"Received: None",
     r"pass a name, or leave the default"),
    ("sparse", make(lambda: imdb.load_data(nwords=100)), TypeError, r"\['nwords'\]", r"Valid ones are path, num_words"),
    ("sparse", make(lambda: imdb.load_data(num_words=-3)), ValueError, r"num_words=-3", r"non-negative int or None"),
    ("sparse", make(lambda: reuters.load_data(test_split=2)), ValueError, r"test_split=2", r"e\.g\. 0\.2"),
    ("sparse", make(lambda: boston_housing.load_data(test_split=-1)), ValueError, r"test_split=-1", r"e\.g\. 0\.2"),
    ("sparse", make(lambda: california_housing.load_data(version="big")), ValueError, r"version='big'",
     r"'small' .* or 'large'"),
    ("sparse", make(lambda: cifar100.load_data(label_mode="medium")), ValueError, r"label_mode='medium'",
     r"'fine' .* or 'coarse'"),
    ("sparse", make(lambda: utils.to_categorical([0, 5], 3)), ValueError, r"label 5 but num_classes=3",
     r"Pass num_classes greater"),
]


def _case_id(case):
    kind, call, error, names, fix = case
    return f"{kind}-{re.sub(r'[^a-zA-Z0-9]+', '_', names)[:40].strip('_')}"


@pytest.mark.parametrize("kind, call, error, names, fix",
                         [c if isinstance(c, type(pytest.param())) else pytest.param(*c, id=_case_id(c))
                          for c in CASES])
def test_bad_input_fails_clearly_and_leaves_the_model_usable(kind, call, error, names, fix):
    factory, good = KINDS[kind]
    model = factory()
    assert_fails_clearly(model, good, lambda: call(model), error, names, fix)


def assert_fails_clearly(model, good, call, error, names, fix):
    """`call` raises `error` naming `names` and proposing `fix`; then `model` is untouched and still trains."""
    before = model.get_weights()
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert re.search(names, message), f"the message does not name the culprit ({names}): {message}"
    assert re.search(fix, message), f"the message proposes no fix ({fix}): {message}"
    after = model.get_weights()
    assert len(after) == len(before)
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)
    x, y = good
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights())), "fit did not train"


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 30


def test_fit_and_evaluate_before_compile():
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="softmax")])
    for call in (lambda: model.fit(X, Y, verbose=0), lambda: model.evaluate(X, Y, verbose=0)):
        with pytest.raises(RuntimeError, match=r"must call compile\(\) before .*For example: model\.compile\("):
            call()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, Y, verbose=0)


def test_predict_on_a_model_that_was_never_built():
    model = models.Sequential([layers.Dense(3)])
    with pytest.raises(ValueError, match=r"never built.*input_shape=\.\.\."):
        model.predict(X, verbose=0)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X[:, :3], verbose=0)  # builds it
    assert model.predict(X, verbose=0).shape == (12, 3)


@pytest.mark.parametrize("loss, pattern", [
    ({"p": "sparse_categorical_crossentropy", "zz": "mse"}, r"loss has keys \['zz'\].*key the dict by those"),
    (["sparse_categorical_crossentropy"], r"loss is a list of 1.*one entry per output"),
])
def test_compile_arguments_that_only_fail_against_the_outputs(loss, pattern):
    """A functional model knows its outputs, so compile checks them and, failing, keeps the old compile."""
    model = two_outputs()
    before = model.get_weights()
    with pytest.raises(ValueError, match=pattern):
        model.compile(optimizer="adam", loss=loss)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert model.loss == {"p": "sparse_categorical_crossentropy", "q": "mse"}
    model.fit(X, {"p": Y, "q": X[:, :1]}, verbose=0)  # with the compile it had


def test_a_failed_compile_keeps_a_trainable_model():
    model = classifier()
    model.fit(X, Y, verbose=0)
    for bad in ({"optimizer": "adamm"}, {"loss": "nope"}, {"metrics": ["nope"]}):
        with pytest.raises(ValueError):
            model.compile(**{"optimizer": "adam", "loss": "sparse_categorical_crossentropy", **bad})
        model.fit(X, Y, verbose=0)


@pytest.fixture
def offline_mnist(tmp_path, monkeypatch):
    """MNIST with an empty cache, one system folder, and an origin that refuses connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(mnist, "ORIGIN_BASE", f"http://127.0.0.1:{port}/")
    system = tmp_path / "system"
    system.mkdir()
    monkeypatch.setattr(mnist, "SYSTEM_LOCATIONS", (str(system),))
    return system


def test_loader_with_no_file_and_no_network(offline_mnist, capsys):
    factory, good = KINDS["sparse"]
    assert_fails_clearly(factory(), good, lambda: mnist.load_data(path="my_mnist.npz"), FileNotFoundError,
                         r"my_mnist\.npz", r"put my_mnist\.npz in .*or set NUMKERAS_HOME")


def test_loader_with_a_corrupt_file(offline_mnist):
    (offline_mnist / "mnist.npz").write_bytes(b"this is not a zip file")
    factory, good = KINDS["sparse"]
    assert_fails_clearly(factory(), good, mnist.load_data, ValueError, r"mnist\.npz is not a valid MNIST",
                         r"delete it and load the data again")
