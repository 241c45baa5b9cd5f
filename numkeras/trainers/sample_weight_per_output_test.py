"""Sample weights per output (an array for all, a list by position, a dict by output name) and class_weight refusal."""
import numpy as np
import pytest

import numkeras as keras

RNG = np.random.default_rng(0)
X = RNG.random((8, 3)).astype("float32")
YA = RNG.random((8, 1)).astype("float32")
YB = RNG.random((8, 2)).astype("float32")
WA = np.arange(8, dtype="float32")
WB = np.linspace(2.0, 0.5, 8).astype("float32")


def two_outputs():
    keras.utils.set_random_seed(1)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, [keras.layers.Dense(1, name="a")(inputs), keras.layers.Dense(2, name="b")(inputs)])
    model.compile("sgd", "mse")
    return model


def weighted_mse(y, p, w):
    per_sample = ((p - y) ** 2).mean(axis=-1)
    return per_sample.mean() if w is None else (per_sample * w).sum() / len(y)


@pytest.mark.parametrize("sample_weight,expected", [
    ({"a": WA, "b": WB}, (WA, WB)),
    ([WA, WB], (WA, WB)),
    ({"a": WA, "b": None}, (WA, None)),
    (WA, (WA, WA)),
])
def test_each_output_loss_uses_its_own_weights(sample_weight, expected):
    model = two_outputs()
    pa, pb = model.predict(X, verbose=0)
    loss, loss_a, loss_b = model.evaluate(X, [YA, YB], sample_weight=sample_weight, verbose=0)
    want_a, want_b = weighted_mse(YA, pa, expected[0]), weighted_mse(YB, pb, expected[1])
    np.testing.assert_allclose([loss_a, loss_b, loss], [want_a, want_b, want_a + want_b], rtol=1e-5)


def test_train_on_batch_takes_a_dict_of_sample_weights():
    model, twin = two_outputs(), two_outputs()
    model.train_on_batch(X, [YA, YB], sample_weight={"b": WB, "a": WA})
    twin.train_on_batch(X, [YA, YB], sample_weight=[WA, WB])
    for mine, theirs in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(mine, theirs)


@pytest.mark.parametrize("sample_weight,message", [
    ({"a": WA, "zz": WB}, r"keys \['a', 'zz'\].*named \['a', 'b'\].*\['zz'\] name no output"),
    ({"a": WA}, r"missing: \['b'\]"),
    ([WA], r"2 output\(s\) \(\['a', 'b'\]\), but sample_weight is a list of 1"),
    ([WA, WB, WB], r"a list of 3"),
    ({"a": WA[:5], "b": WB}, r"sample_weight has 5"),
])
def test_bad_sample_weight_structure_fails_before_any_step(sample_weight, message):
    model = two_outputs()
    before = model.get_weights()
    with pytest.raises(ValueError, match=message):
        model.fit(X, [YA, YB], sample_weight=sample_weight, epochs=1, verbose=0)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_class_weight_is_refused_for_several_outputs():
    with pytest.raises(ValueError, match=r"class_weight is only supported for a model with a single output.*"
                                         r"Pass sample_weight instead"):
        two_outputs().fit(X, [YA, YB], class_weight={0: 1.0, 1: 2.0}, verbose=0)


@pytest.mark.parametrize("call", ["train_on_batch", "fit on batches"])
def test_class_weight_is_refused_for_several_outputs_in_every_path(call):
    model = two_outputs()
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"class_weight is only supported for a model with a single output; "
                                         r"this one has 2"):
        if call == "train_on_batch":
            model.train_on_batch(X, [YA, YB], class_weight={0: 1.0, 1: 2.0})
        else:
            model.fit(((X[i:i + 4], (YA[i:i + 4], YB[i:i + 4])) for i in (0, 4)), class_weight={0: 1.0}, verbose=0)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_a_list_of_numbers_is_still_one_weight_per_sample():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    pred = model.predict(X, verbose=0)
    loss = model.evaluate(X, YA, sample_weight=list(map(float, WA)), verbose=0)
    np.testing.assert_allclose(loss, weighted_mse(YA, pred, WA), rtol=1e-5)
