"""Functions in configs: lambda source extraction, captured values, names, Keras's bytecode, safe mode."""
import base64
import json
import marshal

import numpy as np
import pytest

from numkeras import ops
from numkeras.engine.tensor import Tensor
from numkeras.saving.function_serialization import (deserialize_function, deserialize_value, find_lambda_source,
                                                    serialize_function, serialize_value)

SCALE = 3.0


def scaled(x, factor=1.0):
    return x * factor


def _round_trip(fn, **kwargs):
    config = json.loads(json.dumps(serialize_function(fn, "test")))
    return deserialize_function(config, kwargs.pop("custom_objects", {}), owner="test", **kwargs)


def test_lambda_is_stored_as_source_not_bytecode():
    config = serialize_function(lambda x: x * SCALE + 1, "test")
    assert config["class_name"] == "__lambda__"
    assert config["config"]["source"] == "lambda x: x * SCALE + 1"
    assert config["config"]["variables"] == {"SCALE": 3.0}
    assert config["config"]["module"] == __name__
    assert "code" not in config["config"]
    json.dumps(config)


def test_the_right_lambda_is_found_among_several_on_a_line():
    first, second = lambda x: x + 1, lambda y: (lambda z: z * 2)(y)
    assert find_lambda_source(first) == "lambda x: x + 1"
    assert find_lambda_source(second) == "lambda y: (lambda z: z * 2)(y)"


def test_source_is_none_when_unavailable():
    fn = eval("lambda x: x")  # noqa: S307 - compiled from a string: no source file to read
    assert find_lambda_source(fn) is None
    with pytest.raises(ValueError, match="source code is not available"):
        serialize_function(fn, "test")


def test_lambda_round_trips_with_its_captured_values():
    factor = np.array([1.0, 2.0], "float32")
    fn = _round_trip(lambda x: ops.square(x) * factor + SCALE, safe_mode=False)
    np.testing.assert_allclose(fn(np.ones(2, "float32")).numpy(), [4.0, 5.0])
    assert find_lambda_source(fn) == "lambda x: ops.square(x) * factor + SCALE"  # saved again as it was loaded


def test_unsaveable_captured_values_are_named():
    state = object()
    with pytest.raises(ValueError, match="Lambda layer 'l'.*'state'"):
        serialize_function(lambda x: x if state else x, "Lambda layer 'l'")


def test_stored_code_is_refused_in_safe_mode():
    with pytest.raises(ValueError, match="Refusing.*safe_mode=False"):
        _round_trip(lambda x: x + 1, safe_mode=True)
    keras_config = {"class_name": "__lambda__", "config": {"code": "4wEAAAAA", "defaults": None, "closure": None}}
    with pytest.raises(ValueError, match="safe_mode=False"):
        deserialize_function(keras_config, {}, safe_mode=True, owner="test")


def test_keras_bytecode_loads_with_safe_mode_off():
    code = base64.b64encode(marshal.dumps((lambda x, k=2.0: x * k).__code__)).decode("ascii")
    config = {"class_name": "__lambda__", "config": {"code": code, "defaults": [5.0], "closure": None}}
    assert deserialize_function(config, {}, safe_mode=False, owner="test")(1.0) == 5.0
    with pytest.raises(ValueError, match="bytecode"):
        deserialize_function({"class_name": "__lambda__", "config": {"code": "AAAA"}}, {}, safe_mode=False,
                             owner="test")


@pytest.mark.parametrize("inner", [{"source": "lambda x: x +"}, {"source": "3 + 4"}, {"variables": {}}, "junk"])
def test_malformed_stored_lambdas_raise_value_error_naming_the_owner(inner):
    with pytest.raises(ValueError, match="'bad'"):
        deserialize_function({"class_name": "__lambda__", "config": inner}, {}, safe_mode=False,
                             owner="Lambda layer 'bad'")


def test_named_function_is_stored_by_name_and_found_in_custom_objects():
    config = serialize_function(scaled, "test")
    assert config == {"module": __name__, "class_name": "function", "config": "scaled", "registered_name": "scaled"}
    assert deserialize_function(config, {"scaled": scaled}, safe_mode=True, owner="test") is scaled
    with pytest.raises(ValueError, match="custom_objects"):  # safe mode never imports the module a file names
        deserialize_function(config, {}, safe_mode=True, owner="test")
    assert deserialize_function(config, {}, safe_mode=False, owner="test") is scaled


def test_public_ops_and_activations_are_stored_the_keras_way():
    from numkeras import activations
    config = serialize_function(ops.square, "test")
    assert config["module"] == "keras.ops" and config["config"] == "square"
    assert deserialize_function(config, {}, safe_mode=True, owner="test") is ops.square
    assert serialize_function(activations.relu, "test")["module"] == "keras.activations"
    assert deserialize_function("relu", {"relu": activations.relu}, safe_mode=True, owner="t") is activations.relu


def test_a_nameless_callable_is_refused():
    class Callable:
        def __call__(self, x):
            return x
    with pytest.raises(ValueError, match="no name"):
        serialize_function(Callable(), "test")


def test_values_round_trip_arrays_and_tensors():
    value = {"a": np.array([1, 2], "int32"), "t": Tensor(np.ones(2, "float32")), "n": [1, "s", None]}
    config = json.loads(json.dumps(serialize_value(value)))
    assert config["a"]["class_name"] == "__numpy__" and config["t"]["class_name"] == "__tensor__"
    back = deserialize_value(config)
    np.testing.assert_array_equal(back["a"], [1, 2])
    assert back["a"].dtype == np.int32 and isinstance(back["t"], Tensor) and back["n"] == [1, "s", None]
    with pytest.raises(ValueError, match="Cannot serialize"):
        serialize_value(object())
