import pytest

from numkeras import layers
from numkeras.saving import object_registration as reg


@pytest.fixture
def registry():
    saved = dict(reg.GLOBAL_CUSTOM_OBJECTS), dict(reg.GLOBAL_CUSTOM_NAMES)
    yield
    reg.GLOBAL_CUSTOM_OBJECTS.clear()
    reg.GLOBAL_CUSTOM_OBJECTS.update(saved[0])
    reg.GLOBAL_CUSTOM_NAMES.clear()
    reg.GLOBAL_CUSTOM_NAMES.update(saved[1])


def test_register_class_and_function_under_package_and_name(registry):
    @reg.register_keras_serializable()
    class Mine(layers.Layer):
        pass

    @reg.register_keras_serializable(package="Pkg", name="act")
    def my_activation(x):
        return x

    assert reg.get_registered_name(Mine) == "Custom>Mine"
    assert reg.get_registered_name(my_activation) == "Pkg>act"
    assert reg.get_registered_object("Custom>Mine") is Mine
    assert reg.get_custom_objects()["Pkg>act"] is my_activation
    assert reg.get_registered_name(layers.Dense) == "Dense"  # unregistered: the plain name


def test_classes_without_get_config_cannot_be_registered(registry):
    with pytest.raises(ValueError, match="get_config"):
        reg.register_keras_serializable()(type("Plain", (), {}))


def test_custom_objects_and_scopes_take_precedence_in_order(registry):
    def a():
        pass

    def b():
        pass

    reg.register_keras_serializable(package="P", name="f")(a)
    assert reg.get_registered_object("P>f") is a
    with reg.custom_object_scope({"P>f": b}):
        assert reg.get_registered_object("P>f") is b
        with reg.CustomObjectScope({"other": a}):
            assert reg.get_registered_object("other") is a and reg.get_registered_object("P>f") is b
        assert reg.get_registered_object("other") is None
        assert reg.get_registered_object("P>f", custom_objects={"P>f": a}) is a
    assert reg.get_registered_object("P>f") is a
