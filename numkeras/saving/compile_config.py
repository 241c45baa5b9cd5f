"""A model's compile() arguments as Keras's `compile_config`, and compiling a loaded model from it.

Losses, metrics and the optimizer keep the form they were given in (a
name stays a name; an instance or a function is serialized), so a loaded
model compiles exactly as the original did.

Example:
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    >>> config = get_compile_config(model)
    >>> config["optimizer"]["class_name"], config["loss"], config["metrics"]
    ('Adam', 'mse', ['mae'])
"""
import inspect


def get_compile_config(model):
    """Keras's compile_config for a compiled model; None for anything else."""
    if hasattr(model, "get_compile_config"):
        return model.get_compile_config() or None
    if not getattr(model, "compiled", False) or getattr(model, "_objectives", None) is None:
        return None
    from numkeras.saving.serialization_lib import serialize_keras_object
    loss, loss_weights, metrics = model._objectives._specs
    return {"optimizer": serialize_keras_object(model.optimizer), "loss": serialize_keras_object(loss),
            "loss_weights": serialize_keras_object(loss_weights), "metrics": serialize_keras_object(metrics),
            "weighted_metrics": serialize_keras_object(model._objectives.weighted_metrics),
            "run_eagerly": getattr(model, "run_eagerly", False),
            "steps_per_execution": getattr(model, "steps_per_execution", 1), "jit_compile": False}


def compile_from_config(model, config):
    """Compiles `model` with the arguments in `config` (its optimizer state is loaded separately)."""
    if hasattr(model, "compile_from_config"):
        model.compile_from_config(config)
        return
    from numkeras.saving.serialization_lib import deserialize_keras_object
    arguments = deserialize_keras_object(config)
    accepted = inspect.signature(model.compile).parameters
    model.compile(**{key: value for key, value in arguments.items() if key in accepted})
