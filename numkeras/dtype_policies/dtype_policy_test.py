import numpy as np
import pytest

import numkeras
from numkeras import config, dtype_policies
from numkeras.dtype_policies import DTypePolicy


@pytest.fixture(autouse=True)
def restore_the_global_policy():
    yield
    from numkeras.dtype_policies import dtype_policy
    dtype_policy._global_policy[0] = None


@pytest.mark.parametrize("name, compute, variable", [
    ("float32", "float32", "float32"), ("float64", "float64", "float64"), ("float16", "float16", "float16"),
    ("mixed_float16", "float16", "float32"), ("int32", "int32", "int32"),
])
def test_each_policy_names_its_compute_and_variable_dtypes(name, compute, variable):
    policy = DTypePolicy(name)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (name, compute, variable)
    assert policy.quantization_mode is None
    assert DTypePolicy.from_config(policy.get_config()) == policy
    assert dtype_policies.deserialize(dtype_policies.serialize(policy)) == policy


@pytest.mark.parametrize("name", ["bfloat16", "mixed_bfloat16"])
def test_bfloat16_is_refused_with_the_alternatives(name):
    with pytest.raises(ValueError, match="NumPy has no bfloat16 type .* Use 'mixed_float16'"):
        DTypePolicy(name)


def test_unknown_names_and_types_are_refused():
    with pytest.raises(ValueError, match="unknown policy name 'mixed_float8'"):
        DTypePolicy("mixed_float8")
    with pytest.raises(TypeError, match="name must be a string"):
        DTypePolicy(3)
    with pytest.raises(ValueError, match="Could not interpret dtype policy identifier"):
        dtype_policies.get(object())


def test_get_takes_names_policies_dicts_numpy_dtypes_and_none():
    assert dtype_policies.get("mixed_float16").compute_dtype == "float16"
    policy = DTypePolicy("float64")
    assert dtype_policies.get(policy) is policy
    assert dtype_policies.get({"class_name": "DTypePolicy", "config": {"name": "float16"}}).name == "float16"
    assert dtype_policies.get(np.float64).name == "float64"
    assert dtype_policies.get(None) == config.dtype_policy()


def test_the_global_policy_follows_floatx_until_set_and_new_layers_take_it():
    assert config.dtype_policy().name == config.floatx()
    config.set_dtype_policy("mixed_float16")
    assert config.dtype_policy().name == "mixed_float16"
    layer = numkeras.layers.Dense(2)
    assert layer.dtype_policy.name == "mixed_float16" and layer.dtype == "float32" and layer.compute_dtype == "float16"
    assert numkeras.layers.Dense(2, dtype="float64").dtype_policy.name == "float64"
    assert numkeras.FloatDTypePolicy("float32") == DTypePolicy("float32")
