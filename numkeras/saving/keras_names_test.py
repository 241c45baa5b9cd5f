from numkeras import activations, layers, losses, models, optimizers
from numkeras.models.functional import Functional
from numkeras.optimizers import schedules
from numkeras.saving.keras_names import find_builtin_class, find_builtin_function, public_module


def test_public_modules_are_keras_s():
    assert public_module(layers.Dense) == "keras.layers"
    assert public_module(models.Sequential) == "keras"
    assert public_module(Functional) == "keras.src.models.functional"
    assert public_module(schedules.ExponentialDecay) == "keras.optimizers.schedules"
    assert public_module(activations.relu) == "keras.activations"
    assert public_module(type("Mine", (layers.Layer,), {})) is None


def test_names_resolve_only_to_numkeras_builtins():
    assert find_builtin_class("keras.layers", "Dense") is layers.Dense
    assert find_builtin_class("keras.src.layers.core.dense", "Dense") is layers.Dense
    assert find_builtin_class("keras", "Sequential") is models.Sequential
    assert find_builtin_class("keras.optimizers", "Adam") is optimizers.Adam
    assert find_builtin_class("keras.layers", "Input") is None  # a function, not a class
    assert find_builtin_class("os", "system") is None
    assert find_builtin_class("keras.layers", "_private") is None
    assert find_builtin_function("builtins", "relu") is activations.relu
    assert find_builtin_function("keras.losses", "mean_squared_error") is losses.mean_squared_error
    assert find_builtin_function("keras.models", "load_model") is None


def test_every_public_layer_is_saved_under_keras_layers_whatever_its_folder():
    # Configs name no numkeras module path, so moving a layer between family folders changes no saved file.
    classes = [getattr(layers, name) for name in layers.__all__]
    classes = [c for c in classes if isinstance(c, type) and issubclass(c, layers.Layer)]
    assert layers.Dropout in classes and layers.Flatten in classes
    assert {c.__name__: public_module(c) for c in classes} == {c.__name__: "keras.layers" for c in classes}
    assert all(find_builtin_class("keras.layers", c.__name__) is c for c in classes)
