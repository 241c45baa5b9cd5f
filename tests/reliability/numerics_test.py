"""Property tests: the numerically delicate parts of numkeras stay finite and float32.

For inputs of magnitude 1e-30 to 1e30 (both signs, and zeros) and logits up
to +-1e4, over random shapes, these stay finite, values and gradients alike,
and float32 stays float32:

- softmax, log_softmax and sigmoid, as ops and as activations;
- every crossentropy (binary, categorical, sparse, binary and categorical
  focal) from logits, from probabilities, and from the output of a softmax or
  sigmoid (the engine's fused `_keras_logits` path, which must give the same
  loss as `from_logits=True`);
- BatchNormalization in training and inference;
- a few steps of every optimizer (weights and optimizer state).

NumPy's overflow and invalid-value warnings are errors under pytest here, so
an intermediate inf that happens to cancel out still fails a property.

Hypothesis runs derandomized with no example database: CI sees the same
examples on every run.
"""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import numkeras
from numkeras import activations, losses, ops, optimizers
from numkeras.layers.normalization import BatchNormalization

with warnings.catch_warnings():
    # Hypothesis's report of a failure imports libcst, whose import may raise a DeprecationWarning
    # (an error under pytest here) and hide the falsifying example: import it once, quietly.
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- strategies --------------------------------------------------------------

def magnitudes(low, high, signed=True):
    """Floats `+-10**e` for e in [low, high], and zero."""
    signs = st.sampled_from([-1.0, 1.0] if signed else [1.0])
    return st.one_of(st.just(0.0), st.builds(lambda s, e: s * 10.0 ** e, signs, st.floats(low, high)))


WIDE = magnitudes(-30, 30)                                      # any input
LOGITS = st.one_of(magnitudes(-30, 4), st.floats(-1e4, 1e4))    # logits up to +-1e4
PROBABILITIES = st.one_of(st.sampled_from([0.0, 1.0, 1e-7, 1 - 1e-7]), st.floats(0.0, 1.0),
                          magnitudes(-30, 0, signed=False))
UNNORMALIZED = magnitudes(-30, 30, signed=False)                # class scores Keras renormalizes
UNIT = st.floats(-1.0, 1.0)                                     # cotangents


def shapes(min_dims=1, max_dims=3, min_side=1, max_side=5):
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def array(data, elements, shape):
    values = data.draw(st.lists(elements, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    return np.asarray(values, dtype=np.float64).reshape(shape).astype(np.float32)


def assert_finite32(what, *arrays):
    for i, a in enumerate(arrays):
        a = ops.convert_to_numpy(a)
        assert a.dtype == np.float32, f"{what} [{i}]: dtype {a.dtype}, expected float32"
        assert np.isfinite(a).all(), f"{what} [{i}]: not finite:\n{a}"


def value_and_gradient(fn, x, cotangent):
    """`fn(x)` and the gradient of `sum(fn(x) * cotangent)` with respect to `x`."""
    x = ops.convert_to_tensor(x)
    with numkeras.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
        target = ops.sum(ops.multiply(y, cotangent))
    return y, tape.gradient(target, x)


# -- softmax, log_softmax, sigmoid ------------------------------------------

NORMALIZERS = {"ops.softmax": ops.softmax, "ops.log_softmax": ops.log_softmax,
               "activations.softmax": activations.softmax, "activations.log_softmax": activations.log_softmax}
ELEMENTWISE = {"ops.sigmoid": ops.sigmoid, "activations.sigmoid": activations.sigmoid}


@pytest.mark.parametrize("name", sorted(NORMALIZERS))
@SETTINGS
@given(data=st.data())
def test_softmax_family_is_finite(name, data):
    shape = data.draw(shapes())
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x, cotangent = array(data, WIDE, shape), array(data, UNIT, shape)
    y, grad = value_and_gradient(lambda t: NORMALIZERS[name](t, axis=axis), x, cotangent)
    assert_finite32(name, y, grad)
    if "log" not in name:
        np.testing.assert_allclose(ops.convert_to_numpy(ops.sum(y, axis=axis)), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@SETTINGS
@given(data=st.data())
def test_sigmoid_is_finite(name, data):
    shape = data.draw(shapes())
    x, cotangent = array(data, WIDE, shape), array(data, UNIT, shape)
    y, grad = value_and_gradient(ELEMENTWISE[name], x, cotangent)
    assert_finite32(name, y, grad)
    assert ((ops.convert_to_numpy(y) >= 0) & (ops.convert_to_numpy(y) <= 1)).all()


# -- crossentropies ------------------------------------------------------------
# Each loss is tried with y_pred as logits (from_logits=True), as the output
# of the matching activation (the fused path), and as probabilities.

BINARY = {
    "BinaryCrossentropy": losses.BinaryCrossentropy,
    "BinaryFocalCrossentropy": losses.BinaryFocalCrossentropy,
}
CATEGORICAL = {
    "CategoricalCrossentropy": losses.CategoricalCrossentropy,
    "SparseCategoricalCrossentropy": losses.SparseCategoricalCrossentropy,
    "CategoricalFocalCrossentropy": losses.CategoricalFocalCrossentropy,
}
SOURCES = ["logits", "activation", "probabilities"]


def loss_kwargs(data, name):
    kwargs = {}
    if "Sparse" not in name:
        kwargs["label_smoothing"] = data.draw(st.sampled_from([0.0, 0.1]))
    if "Focal" in name:
        kwargs["gamma"] = data.draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]))
    if name == "BinaryFocalCrossentropy":
        kwargs["apply_class_balancing"] = data.draw(st.booleans())
    return kwargs


def check_loss(name, make_loss, kwargs, y_true, y_pred, source, activation):
    """The loss and its gradient with respect to y_pred (or the logits behind it) are finite float32."""
    if source == "logits":
        loss = make_loss(from_logits=True, **kwargs)
        fn = lambda t: loss(y_true, t)  # noqa: E731
    elif source == "activation":
        loss = make_loss(**kwargs)
        fn = lambda t: loss(y_true, activation(t))  # noqa: E731
    else:
        loss = make_loss(**kwargs)
        fn = lambda t: loss(y_true, t)  # noqa: E731
    value, grad = value_and_gradient(fn, y_pred, 1.0)
    assert_finite32(f"{name}({kwargs}) from {source}", value, grad)
    if source == "activation" and "CategoricalFocal" not in name:
        # The fused path must be taken: the loss of activation(z) is the loss of the logits z.
        from_logits = make_loss(from_logits=True, **kwargs)(y_true, y_pred)
        np.testing.assert_allclose(ops.convert_to_numpy(value), ops.convert_to_numpy(from_logits), rtol=1e-5)
    return value, grad


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(data=st.data())
def test_binary_crossentropies_are_finite(name, source, data):
    shape = data.draw(shapes())
    labels = st.sampled_from([0.0, 1.0]) if data.draw(st.booleans()) else st.floats(0.0, 1.0)
    y_true = array(data, labels, shape)
    y_pred = array(data, PROBABILITIES if source == "probabilities" else LOGITS, shape)
    check_loss(name, BINARY[name], loss_kwargs(data, name), y_true, y_pred, source, ops.sigmoid)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", sorted(CATEGORICAL))
@SETTINGS
@given(data=st.data())
def test_categorical_crossentropies_are_finite(name, source, data):
    shape = data.draw(shapes(min_dims=1, max_dims=3)) + (data.draw(st.integers(2, 6)),)
    classes = shape[-1]
    if source == "probabilities":
        y_pred = array(data, st.one_of(PROBABILITIES, UNNORMALIZED), shape)
        # A row of zeros is no distribution (Keras gives NaN there too): give each row some mass.
        y_pred[..., 0] += (y_pred.sum(axis=-1) == 0).astype(np.float32)
    else:
        y_pred = array(data, LOGITS, shape)
    labels = np.asarray(data.draw(st.lists(st.integers(0, classes - 1), min_size=int(np.prod(shape[:-1])),
                                           max_size=int(np.prod(shape[:-1]))))).reshape(shape[:-1])
    if "Sparse" in name:
        y_true = labels
    elif data.draw(st.booleans()):
        y_true = np.eye(classes, dtype=np.float32)[labels]
    else:
        soft = array(data, st.floats(0.0, 1.0), shape) + np.float32(1e-3)
        y_true = soft / soft.sum(axis=-1, keepdims=True)
    check_loss(name, CATEGORICAL[name], loss_kwargs(data, name), y_true, y_pred, source, ops.softmax)


# -- BatchNormalization ------------------------------------------------------------

@pytest.mark.parametrize("training", [True, False])
@SETTINGS
@given(data=st.data())
def test_batch_normalization_is_finite(training, data):
    shape = data.draw(shapes(min_dims=2, max_dims=4, max_side=4))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    layer = BatchNormalization(axis=axis)
    for _ in range(data.draw(st.integers(0, 2))):  # moving statistics from earlier batches
        layer(array(data, WIDE, shape), training=True)
    x, cotangent = array(data, WIDE, shape), array(data, UNIT, shape)
    t = ops.convert_to_tensor(x)
    with numkeras.GradientTape() as tape:
        tape.watch(t)
        y = layer(t, training=training)
        target = ops.sum(ops.multiply(y, cotangent))
    grads = tape.gradient(target, [t, layer.gamma, layer.beta])
    assert_finite32(f"BatchNormalization(axis={axis}, training={training})", y, *grads)
    assert_finite32("BatchNormalization weights", *[w.numpy() for w in layer.weights])


# -- optimizers ------------------------------------------------------------------

OPTIMIZERS = {
    "SGD": lambda lr: optimizers.SGD(lr),
    "SGD(momentum, nesterov, weight_decay)": lambda lr: optimizers.SGD(lr, momentum=0.9, nesterov=True,
                                                                         weight_decay=0.01),
    "RMSprop": lambda lr: optimizers.RMSprop(lr),
    "RMSprop(momentum, centered)": lambda lr: optimizers.RMSprop(lr, momentum=0.9, centered=True),
    "Adam": lambda lr: optimizers.Adam(lr),
    "Adam(amsgrad, clipnorm)": lambda lr: optimizers.Adam(lr, amsgrad=True, clipnorm=1.0),
    "AdamW": lambda lr: optimizers.AdamW(lr),
    "Adagrad": lambda lr: optimizers.Adagrad(lr),
    "Adadelta": lambda lr: optimizers.Adadelta(lr),
    "Adamax": lambda lr: optimizers.Adamax(lr),
    "Nadam": lambda lr: optimizers.Nadam(lr, global_clipnorm=1.0),
    "Ftrl": lambda lr: optimizers.Ftrl(lr),
    "Ftrl(l1, l2, shrinkage, beta, power)": lambda lr: optimizers.Ftrl(
        lr, learning_rate_power=-0.7, l1_regularization_strength=0.01, l2_regularization_strength=0.01,
        l2_shrinkage_regularization_strength=0.01, beta=0.1),
    "Lion": lambda lr: optimizers.Lion(lr, weight_decay=0.01),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@SETTINGS
@given(data=st.data())
def test_optimizer_updates_are_finite(name, data):
    learning_rate = data.draw(st.sampled_from([1e-3, 0.1, 1.0]))
    optimizer = OPTIMIZERS[name](learning_rate)
    variables = [numkeras.Variable(array(data, WIDE, data.draw(shapes(max_dims=2)))) for _ in range(2)]
    for step in range(3):
        grads = [array(data, WIDE, v.shape) for v in variables]
        optimizer.apply_gradients(zip(grads, variables))
        assert_finite32(f"{name} weights after step {step + 1}", *[v.numpy() for v in variables])
        state = [v.numpy() for v in optimizer.variables if v.dtype != "int64"]
        assert_finite32(f"{name} state after step {step + 1}", *state)
