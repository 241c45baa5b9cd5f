"""losses.get / serialize / deserialize / get_loss."""
import numpy as np
import pytest

from numkeras import losses
from numkeras.losses.registry import get_loss, is_binary_or_sparse_categorical


@pytest.mark.parametrize("name, expected", [
    ("categorical_crossentropy", losses.categorical_crossentropy),
    ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
    ("binary_crossentropy", losses.binary_crossentropy),
    ("mean_squared_error", losses.mean_squared_error),
    ("mean_absolute_error", losses.mean_absolute_error),
    ("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error),
    ("mae", losses.mean_absolute_error), ("MAE", losses.mean_absolute_error),
    ("bce", losses.binary_crossentropy),
    ("mape", losses.mean_absolute_percentage_error), ("MAPE", losses.mean_absolute_percentage_error),
    ("msle", losses.mean_squared_logarithmic_error), ("MSLE", losses.mean_squared_logarithmic_error),
    ("kld", losses.kl_divergence), ("KLD", losses.kl_divergence),
    ("kullback_leibler_divergence", losses.kl_divergence), ("logcosh", losses.log_cosh),
    ("huber", losses.huber), ("log_cosh", losses.log_cosh), ("poisson", losses.poisson),
    ("binary_focal_crossentropy", losses.binary_focal_crossentropy),
])
def test_get_function_names(name, expected):
    assert losses.get(name) is expected


@pytest.mark.parametrize("name, cls", [
    ("CategoricalCrossentropy", losses.CategoricalCrossentropy),
    ("SparseCategoricalCrossentropy", losses.SparseCategoricalCrossentropy),
    ("BinaryCrossentropy", losses.BinaryCrossentropy),
    ("MeanSquaredError", losses.MeanSquaredError),
    ("MeanAbsoluteError", losses.MeanAbsoluteError),
])
def test_get_class_names(name, cls):
    loss = losses.get(name)
    assert type(loss) is cls
    assert losses.get(cls).name == loss.name  # a class is instantiated too


def test_get_passes_instances_functions_and_none():
    loss = losses.CategoricalCrossentropy(from_logits=True)
    assert losses.get(loss) is loss

    def custom(y_true, y_pred):
        return y_pred
    assert losses.get(custom) is custom
    assert losses.get(None) is None


def test_module_aliases():
    assert losses.kld is losses.KLD is losses.kullback_leibler_divergence is losses.kl_divergence
    assert losses.mape is losses.MAPE is losses.mean_absolute_percentage_error
    assert losses.msle is losses.MSLE is losses.mean_squared_logarithmic_error
    assert losses.logcosh is losses.log_cosh


@pytest.mark.parametrize("typo, closest", [
    ("kl_divergense", "kl_divergence"), ("huber_los", "huber"), ("Hingee", "hinge"), ("psoisson", "poisson"),
    ("categorical_focal_crossentropi", "categorical_focal_crossentropy"),
    ("kullback_leibler", "kullback_leibler_divergence"),
])
def test_unknown_names_suggest_the_closest_and_list_all(typo, closest):
    with pytest.raises(ValueError, match=f"Unknown loss: '{typo}'. Did you mean '{closest}'") as info:
        losses.get(typo)
    for name in ("poisson", "CosineSimilarity", "kld", "squared_hinge", "BinaryFocalCrossentropy"):
        assert name in str(info.value)


def test_unknown_name_suggests_closest():
    with pytest.raises(ValueError, match="Did you mean 'categorical_crossentropy'") as info:
        losses.get("categorical_crossentropi")
    assert "mean_squared_error" in str(info.value)  # valid names are listed
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(42)


def test_serialize_round_trip():
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, name="scce")
    config = losses.serialize(loss)
    assert config["class_name"] == "SparseCategoricalCrossentropy"
    clone = losses.deserialize(config)
    assert type(clone) is type(loss) and clone.get_config() == loss.get_config()
    assert losses.get(config).get_config() == loss.get_config()
    assert losses.serialize(losses.mean_squared_error) == "mean_squared_error"
    assert losses.deserialize("mean_squared_error") is losses.mean_squared_error
    with pytest.raises(ValueError, match="Unknown loss class"):
        losses.deserialize({"class_name": "Nope", "config": {}})


def test_deserialize_custom_objects():
    class Custom(losses.Loss):
        def call(self, y_true, y_pred):
            return y_pred
    clone = losses.deserialize({"class_name": "Custom", "config": {"name": "c"}}, custom_objects={"Custom": Custom})
    assert isinstance(clone, Custom) and clone.name == "c"


@pytest.mark.parametrize("true_shape, pred_shape, expected", [
    ((8, 1), (8, 1), (True, False)),
    ((8,), (8, 1), (True, True)),  # both, as in Keras: binary wins
    ((8,), (8, 10), (False, True)),
    ((8, 1), (8, 10), (False, True)),
    ((8, 10), (8, 10), (False, False)),
])
def test_is_binary_or_sparse_categorical(true_shape, pred_shape, expected):
    assert is_binary_or_sparse_categorical(np.zeros(true_shape), np.zeros(pred_shape)) == expected


@pytest.mark.parametrize("identifier, true_shape, pred_shape, fn", [
    ("crossentropy", (8, 1), (8, 1), losses.binary_crossentropy),
    ("ce", (8,), (8, 10), losses.sparse_categorical_crossentropy),
    ("CE", (8, 10), (8, 10), losses.categorical_crossentropy),
])
def test_get_loss_resolves_crossentropy(identifier, true_shape, pred_shape, fn):
    loss = get_loss(identifier, np.zeros(true_shape), np.zeros(pred_shape))
    assert isinstance(loss, losses.LossFunctionWrapper)
    assert loss.fn is fn and loss.name == identifier


def test_get_loss_always_returns_a_loss():
    loss = get_loss("categorical_crossentropy")
    assert isinstance(loss, losses.Loss) and loss.name == "categorical_crossentropy"
    assert float(loss(np.eye(2), np.eye(2) * 0.5 + 0.25, sample_weight=[1.0, 0.0])) == pytest.approx(
        -np.log(0.75) / 2, rel=1e-6)
    instance = losses.MeanSquaredError()
    assert get_loss(instance) is instance

    def my_loss(y_true, y_pred):
        return losses.mean_squared_error(y_true, y_pred)
    assert get_loss(my_loss).name == "my_loss"
    assert get_loss(None) is None
    with pytest.raises(ValueError, match="shapes"):
        get_loss("crossentropy")
