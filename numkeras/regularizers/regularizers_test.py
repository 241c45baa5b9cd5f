import numpy as np
import pytest

from numkeras import Variable, layers, regularizers
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.regularizers import L1, L1L2, L2, OrthogonalRegularizer, Regularizer


def _orthogonal_reference(w, factor, mode):
    """Mean |cosine| over distinct pairs of rows (or columns), times factor."""
    vectors = w if mode == "rows" else w.T
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    n = len(unit)
    pairs = [abs(unit[i] @ unit[j]) for i in range(n) for j in range(i + 1, n)]
    return factor * np.mean(pairs)


W = np.random.default_rng(0).normal(size=(4, 3))

CASES = {
    "l1": (L1(0.3), lambda w: 0.3 * np.abs(w).sum()),
    "l2": (L2(0.2), lambda w: 0.2 * np.square(w).sum()),
    "l1l2": (L1L2(l1=0.1, l2=0.4), lambda w: 0.1 * np.abs(w).sum() + 0.4 * np.square(w).sum()),
    "orthogonal_rows": (OrthogonalRegularizer(0.5), lambda w: _orthogonal_reference(w, 0.5, "rows")),
    "orthogonal_columns": (OrthogonalRegularizer(0.5, mode="columns"),
                           lambda w: _orthogonal_reference(w, 0.5, "columns")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_gradients_and_float32(name):
    regularizer, reference = CASES[name]
    np.testing.assert_allclose(float(regularizer(W)), reference(W), rtol=1e-12)
    check_gradients(regularizer, W)
    out = check_float32(regularizer, W.astype("float32"))
    np.testing.assert_allclose(float(out), reference(W), rtol=1e-5)


def test_defaults_match_keras():
    assert L1().l1 == 0.01 and L2().l2 == 0.01
    assert (L1L2().l1, L1L2().l2) == (0.0, 0.0)
    assert (L1(None).l1, L2(None).l2, L1L2(None, None).get_config()) == (0.01, 0.01, {"l1": 0.0, "l2": 0.0})
    assert OrthogonalRegularizer().get_config() == {"factor": 0.01, "mode": "rows"}
    assert float(L1L2()(W)) == 0.0 and L1L2()(W.astype("float32")).dtype == "float32"


def test_keras_docstring_example_ones():
    assert float(L2(2.0)(np.ones((5, 5), "float32"))) == 50.0
    assert float(OrthogonalRegularizer(1.0)(np.eye(3))) == 0.0
    assert float(OrthogonalRegularizer(1.0)(np.ones((3, 2)))) == pytest.approx(1.0)  # all rows parallel
    assert float(OrthogonalRegularizer(1.0)(np.ones((1, 4)))) == 0.0  # one row: no pairs


@pytest.mark.parametrize("make,message", [
    (lambda: L1(-1.0), "Invalid value for argument l1"),
    (lambda: L2(float("nan")), "Invalid value for argument l2"),
    (lambda: L1L2(l2="0.1"), "Invalid value for argument l2"),
    (lambda: OrthogonalRegularizer(mode="diagonal"), "Invalid value for argument `mode`"),
    (lambda: OrthogonalRegularizer()(np.ones((2, 2, 2))), "must have rank 2"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("name,cls", [
    ("l1", L1), ("l2", L2), ("l1l2", L1L2), ("l1_l2", L1L2), ("orthogonal_regularizer", OrthogonalRegularizer),
    ("L1", L1), ("L1L2", L1L2), ("OrthogonalRegularizer", OrthogonalRegularizer),
])
def test_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_l1_l2_string_uses_both_penalties():
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.get("l1l2").get_config() == {"l1": 0.0, "l2": 0.0}  # the class defaults, as Keras


def test_get_instance_class_callable_none():
    reg = L2(0.5)
    assert regularizers.get(reg) is reg
    assert isinstance(regularizers.get(L1), L1)
    assert regularizers.get(None) is None

    def penalty(w):
        return 0.0
    assert regularizers.get(penalty) is penalty
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
        regularizers.get(3)


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'") as info:
        regularizers.get("l3")
    for name in ["l1", "l2", "l1_l2", "orthogonal_regularizer"]:
        assert f"'{name}'" in str(info.value) or name in str(info.value)


@pytest.mark.parametrize("reg", [L1(0.3), L2(0.2), L1L2(0.1, 0.2), OrthogonalRegularizer(0.4, "columns")])
def test_serialize_round_trip(reg):
    config = regularizers.serialize(reg)
    assert config["class_name"] == type(reg).__name__
    again = regularizers.deserialize(config)
    assert type(again) is type(reg) and again.get_config() == reg.get_config()
    assert type(reg).from_config(reg.get_config()).get_config() == reg.get_config()
    assert regularizers.serialize(None) is None


def test_custom_regularizers_serialize_with_custom_objects():
    class Half(Regularizer):
        def __call__(self, x):
            return 0.5

        def get_config(self):
            return {}
    config = regularizers.serialize(Half())
    assert isinstance(regularizers.deserialize(config, custom_objects={"Half": Half}), Half)

    def my_penalty(w):
        return 0.0
    config = regularizers.serialize(my_penalty)
    assert regularizers.deserialize(config, custom_objects={"my_penalty": my_penalty}) is my_penalty
    with pytest.raises(ValueError, match="custom_objects"):
        regularizers.deserialize(config)
    with pytest.raises(ValueError, match="cannot be serialized"):
        regularizers.serialize(lambda w: 0.0)
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        Regularizer().get_config()


def test_layer_losses_divide_activity_penalty_by_batch_size():
    # Keras's own docstring example: kernel L1 0.25 + activity L2 (0.01 * 100) / 5 = 5.25
    layer = layers.Dense(5, kernel_initializer="ones", kernel_regularizer=L1(0.01), activity_regularizer=L2(0.01))
    layer(np.full((5, 5), 2.0, "float32"))
    assert sorted(float(v) for v in layer.losses) == pytest.approx([0.25, 5.0])
    layer(np.full((10, 5), 2.0, "float32"))  # twice the batch: the same activity penalty per sample
    assert sorted(float(v) for v in layer.losses) == pytest.approx([0.25, 5.0])


def test_regularizer_penalty_joins_the_training_loss():
    from numkeras import models, optimizers
    x = np.random.default_rng(1).normal(size=(8, 3)).astype("float32")
    y = np.zeros((8, 1), "float32")
    model = models.Sequential([layers.Dense(1, kernel_initializer="ones", use_bias=False,
                                            kernel_regularizer=L2(1.0))])
    model.compile(optimizer=optimizers.SGD(0.0), loss="mse")
    plain = np.mean(np.square(x.sum(axis=1)))
    assert model.evaluate(x, y, verbose=0) == pytest.approx(plain + 3.0, rel=1e-5)


def test_variable_input_gradient():
    v = Variable(W, dtype="float64")
    check_gradients(lambda: OrthogonalRegularizer(1.0)(v), variables=[v])
