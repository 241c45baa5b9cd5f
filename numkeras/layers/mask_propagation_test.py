"""The mask contract: which layers receive `mask=`, which pass it on, and how it crosses models."""
import warnings

import numpy as np
import pytest

from numkeras import layers, models, ops
from numkeras.engine.tensor import Tensor

IDS = np.array([[3, 1, 0, 0], [2, 0, 0, 0]])
VALID = IDS != 0


class RecordsMask(layers.Layer):
    """Receives `mask=` and passes it on unchanged."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seen = []

    def call(self, inputs, mask=None):
        self.seen.append(None if mask is None else np.asarray(mask))
        return ops.multiply(inputs, 2.0)


class HalvesMask(layers.Layer):
    """Overrides compute_mask: supports masking without saying so (Keras's default)."""

    def call(self, inputs):
        return inputs[:, ::2]

    def compute_mask(self, inputs, previous_mask):
        return previous_mask[:, ::2]


class TwoInputs(layers.Layer):
    supports_masking = True

    def call(self, query, value, query_mask=None, value_mask=None):
        self.masks = (query_mask, value_mask)
        return query


def test_defaults_follow_keras():
    assert layers.Layer().supports_masking is False
    assert HalvesMask().supports_masking is True  # compute_mask is overridden
    assert layers.Dense(2).supports_masking and layers.Dropout(0.5).supports_masking
    assert not layers.Flatten().supports_masking
    assert layers.Embedding(3, 2).supports_masking is False and layers.Embedding(3, 2, mask_zero=True).supports_masking


def test_mask_is_passed_to_call_and_carried_on():
    recorder = RecordsMask()
    out = recorder(layers.Embedding(5, 2, mask_zero=True)(IDS))
    np.testing.assert_array_equal(recorder.seen[-1], VALID)
    np.testing.assert_array_equal(out._keras_mask.numpy(), VALID)
    explicit = np.ones_like(VALID)
    recorder(out, mask=explicit)  # an explicit mask wins over the carried one
    np.testing.assert_array_equal(recorder.seen[-1], explicit)
    recorder(np.ones((2, 4, 2), "float32"))
    assert recorder.seen[-1] is None


def test_compute_mask_gives_the_output_mask():
    out = HalvesMask()(layers.Embedding(5, 2, mask_zero=True)(IDS))
    np.testing.assert_array_equal(out._keras_mask.numpy(), VALID[:, ::2])


def test_a_layer_without_masking_drops_the_mask_with_a_warning():
    embedded = layers.Embedding(5, 2, mask_zero=True)(IDS)
    with pytest.warns(UserWarning, match=r"'flatten_masked'.*does not support masking"):
        out = layers.Flatten(name="flatten_masked")(embedded)
    assert out._keras_mask is None


def test_several_tensor_arguments_get_their_own_masks():
    q = layers.Embedding(5, 2, mask_zero=True)(IDS)
    v = Tensor(np.ones((2, 3, 2), "float32"))
    layer = TwoInputs()
    layer(q, v)
    np.testing.assert_array_equal(np.asarray(layer.masks[0]), VALID)
    assert layer.masks[1] is None
    layer(query=q, value=q)  # the first argument may come by name, as in Keras
    np.testing.assert_array_equal(np.asarray(layer.masks[1]), VALID)


def test_functional_sequential_and_nested_models_carry_the_mask():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        inputs = layers.Input((None,), dtype="int32")
        embedded = layers.Embedding(5, 2, mask_zero=True)(inputs)
        assert embedded._keras_mask.shape == (None, None) and embedded._keras_mask.dtype == "bool"
        hidden = layers.Dense(3)(embedded)
        assert hidden._keras_mask.shape == (None, None)
        functional = models.Model(inputs, hidden)
        np.testing.assert_array_equal(functional(IDS)._keras_mask.numpy(), VALID)
        sequential = models.Sequential([layers.Input((4,), dtype="int32"), layers.Embedding(5, 2, mask_zero=True),
                                        layers.Dense(3)])
        np.testing.assert_array_equal(sequential(IDS)._keras_mask.numpy(), VALID)
        inner = models.Sequential([layers.Input((None, 2)), layers.Dense(3)])
        outer_inputs = layers.Input((None,), dtype="int32")
        pooled = layers.GlobalAveragePooling1D()(inner(layers.Embedding(5, 2, mask_zero=True)(outer_inputs)))
        outer = models.Model(outer_inputs, pooled)
    # The nested model passes the mask on at run time, so the pooling averages the valid steps only.
    hidden = outer.layers[2](outer.layers[1](IDS)).numpy()
    expected = np.stack([hidden[0, :2].mean(0), hidden[1, :1].mean(0)])
    np.testing.assert_allclose(outer(IDS).numpy(), expected, rtol=1e-6)


def test_explicit_symbolic_mask_argument_is_replayed():
    inputs = layers.Input((4, 2))
    mask = layers.Input((4,), dtype="bool")
    recorder = RecordsMask()
    model = models.Model([inputs, mask], recorder(inputs, mask=mask))
    given = np.array([[True, False, True, True]])
    model([np.ones((1, 4, 2), "float32"), given])
    np.testing.assert_array_equal(recorder.seen[-1], given)
