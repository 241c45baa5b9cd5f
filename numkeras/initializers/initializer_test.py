import numpy as np
import pytest

from numkeras import initializers
from numkeras.initializers import GlorotUniform, Initializer, Ones, RandomNormal


@pytest.mark.parametrize("name,cls", [
    ("glorot_uniform", "GlorotUniform"), ("glorot_normal", "GlorotNormal"), ("he_uniform", "HeUniform"),
    ("he_normal", "HeNormal"), ("lecun_uniform", "LecunUniform"), ("lecun_normal", "LecunNormal"),
    ("zeros", "Zeros"), ("ones", "Ones"), ("random_normal", "RandomNormal"),
    ("random_uniform", "RandomUniform"), ("truncated_normal", "TruncatedNormal"), ("constant", "Constant"),
    ("variance_scaling", "VarianceScaling"), ("orthogonal", "Orthogonal"), ("identity", "Identity"),
    ("normal", "RandomNormal"), ("uniform", "RandomUniform"), ("zero", "Zeros"), ("one", "Ones"),
])
def test_get_by_snake_name_and_class_name(name, cls):
    assert type(initializers.get(name)).__name__ == cls
    assert type(initializers.get(cls)).__name__ == cls


def test_get_instance_class_callable_array_and_none():
    init = RandomNormal(seed=1)
    assert initializers.get(init) is init
    assert isinstance(initializers.get(GlorotUniform), GlorotUniform)

    def fn(shape, dtype=None):
        return np.zeros(shape, dtype or "float32")
    assert initializers.get(fn) is fn
    assert initializers.get(None) is None
    value = np.arange(6.0).reshape(2, 3)
    from_array = initializers.get(value)
    assert from_array((2, 3)).dtype == np.float32
    np.testing.assert_array_equal(from_array((2, 3)), value)
    with pytest.raises(ValueError, match=r"Expected `shape` to be \(2, 3\)"):
        from_array((3, 2))


def test_unknown_name_lists_valid_names_and_suggests():
    with pytest.raises(ValueError, match="Unknown initializer: 'glorot_unifrom'") as info:
        initializers.get("glorot_unifrom")
    assert "Did you mean 'glorot_uniform'?" in str(info.value)
    assert "he_normal" in str(info.value) and "random_uniform" in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get(3.5)


def test_serialize_round_trip():
    config = initializers.serialize(RandomNormal(mean=1.0, stddev=2.0, seed=3))
    assert config == {"class_name": "RandomNormal", "config": {"seed": 3, "mean": 1.0, "stddev": 2.0}}
    again = initializers.get(config)
    assert isinstance(again, RandomNormal) and again.stddev == 2.0
    assert isinstance(initializers.deserialize("ones"), Ones)


def test_base_class():
    with pytest.raises(NotImplementedError):
        Initializer()((2,))

    class Halves(Initializer):
        def __call__(self, shape, dtype=None):
            return np.full(shape, 0.5, dtype or "float32")
    assert Halves().clone()((2,)).tolist() == [0.5, 0.5]


def test_snake_case_aliases_are_the_classes():
    for cls in (GlorotUniform, Ones, RandomNormal):
        name = initializers.serialize(cls())["class_name"]
        assert getattr(initializers, initializers._snake(name)) is cls
    assert initializers.he_normal is initializers.HeNormal and initializers.identity is initializers.Identity
    assert initializers.truncated_normal(seed=1)((2,)).shape == (2,)
    assert all(hasattr(initializers, name) for name in initializers.__all__)
