import numpy as np
import pytest

from numkeras import Variable, constraints, layers, models, optimizers
from numkeras.constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm
from numkeras.utils import set_random_seed

EPS = 1e-7
W = np.random.default_rng(0).normal(size=(5, 4)) * np.array([0.1, 0.5, 1.0, 3.0])  # columns of varied norms


def _scale_norms(w, axis, target):
    """Rescales each vector along `axis` of w to the norms `target(norms)`: an independent reference."""
    norms = np.sqrt((w ** 2).sum(axis=axis, keepdims=True))
    return w * target(norms) / (norms + EPS)


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_max_norm(axis):
    out = MaxNorm(1.5, axis=axis)(W)
    np.testing.assert_allclose(out, _scale_norms(W, tuple(np.atleast_1d(axis)), lambda n: np.minimum(n, 1.5)))
    norms = np.sqrt((out ** 2).sum(axis=tuple(np.atleast_1d(axis))))
    assert (norms <= 1.5 + 1e-6).all()


@pytest.mark.parametrize("rate", [1.0, 0.5])
def test_min_max_norm(rate):
    out = MinMaxNorm(min_value=0.8, max_value=2.0, rate=rate)(W)
    np.testing.assert_allclose(out, _scale_norms(W, 0, lambda n: rate * np.clip(n, 0.8, 2.0) + (1 - rate) * n))
    if rate == 1.0:
        norms = np.linalg.norm(out, axis=0)
        assert ((norms >= 0.8 - 1e-6) & (norms <= 2.0 + 1e-6)).all()


def test_unit_norm_and_non_neg():
    np.testing.assert_allclose(np.linalg.norm(UnitNorm()(W), axis=0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(UnitNorm(axis=1)(W), axis=1), 1.0, rtol=1e-6)
    out = NonNeg()(W)
    np.testing.assert_array_equal(out, np.where(W > 0, W, 0.0))
    assert not np.signbit(out).any()  # no -0.0


@pytest.mark.parametrize("c", [MaxNorm(), MinMaxNorm(), NonNeg(), UnitNorm()])
def test_dtypes_and_variables(c):
    assert c(W.astype("float32")).dtype == np.float32
    assert c(W).dtype == np.float64
    v = Variable(W.astype("float32"))
    np.testing.assert_allclose(c(v), c(W.astype("float32")))


def test_defaults_match_keras():
    assert MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}
    assert UnitNorm().get_config() == {"axis": 0}
    assert NonNeg().get_config() == {} and Constraint()(W) is W


@pytest.mark.parametrize("name,cls", [("max_norm", MaxNorm), ("min_max_norm", MinMaxNorm), ("non_neg", NonNeg),
                                      ("unit_norm", UnitNorm), ("MaxNorm", MaxNorm), ("UnitNorm", UnitNorm)])
def test_get_by_name(name, cls):
    assert type(constraints.get(name)) is cls


def test_get_other_identifiers_and_errors():
    c = MaxNorm(3)
    assert constraints.get(c) is c and isinstance(constraints.get(UnitNorm), UnitNorm)
    assert constraints.get(None) is None

    def clip(w):
        return np.clip(w, -1, 1)
    assert constraints.get(clip) is clip
    with pytest.raises(ValueError, match="Unknown constraint: 'maxnorm2'") as info:
        constraints.get("maxnorm2")
    for name in ["max_norm", "min_max_norm", "non_neg", "unit_norm"]:
        assert name in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        constraints.get(2)


@pytest.mark.parametrize("c", [MaxNorm(3, axis=1), MinMaxNorm(0.5, 2.0, 0.3, [0, 1]), NonNeg(), UnitNorm(1)])
def test_serialize_round_trip(c):
    config = constraints.serialize(c)
    again = constraints.deserialize(config)
    assert type(again) is type(c) and again.get_config() == c.get_config()
    assert constraints.get(config).get_config() == c.get_config()
    assert constraints.serialize(None) is None


def test_custom_function_serialization():
    def clip(w):
        return np.clip(w, -1, 1)
    config = constraints.serialize(clip)
    assert constraints.deserialize(config, custom_objects={"clip": clip}) is clip
    with pytest.raises(ValueError, match="custom_objects"):
        constraints.deserialize(config)
    with pytest.raises(ValueError, match="cannot be serialized"):
        constraints.serialize(lambda w: w)


@pytest.mark.parametrize("constraint,check", [
    (MaxNorm(0.5), lambda k: (np.linalg.norm(k, axis=0) <= 0.5 + 1e-5).all()),
    (UnitNorm(), lambda k: np.allclose(np.linalg.norm(k, axis=0), 1.0, atol=1e-5)),
    ("non_neg", lambda k: (k >= 0).all()),
    (MinMaxNorm(1.0, 1.5), lambda k: ((np.linalg.norm(k, axis=0) >= 1 - 1e-5)
                                      & (np.linalg.norm(k, axis=0) <= 1.5 + 1e-5)).all()),
])
def test_constraints_hold_after_every_training_step(constraint, check):
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    y = (x @ rng.normal(size=(6, 3)) * 5).astype("float32")  # large targets push the kernel norms up
    dense = layers.Dense(3, kernel_constraint=constraint, kernel_initializer="random_normal")
    model = models.Sequential([dense])
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    before = None
    for _ in range(3):  # check after each epoch of 4 steps
        model.fit(x, y, epochs=1, batch_size=16, verbose=0)
        kernel = dense.kernel.numpy()
        assert kernel.dtype == np.float32 and check(kernel)
        assert before is None or not np.array_equal(before, kernel)  # it did train
        before = kernel
