"""Finding losses by name: `get`, `serialize`, `deserialize`, and `get_loss` for `compile`.

Strings follow Keras: a function name ('categorical_crossentropy') gives the
function, a class name ('CategoricalCrossentropy') an instance, and Keras's
short names are aliases: 'mse', 'mae', 'mape', 'msle', 'bce', 'kld' (and the
legacy 'kullback_leibler_divergence', 'logcosh'). An unknown name raises a
ValueError that lists the valid names and suggests the closest.

Example:
    >>> get("mse").__name__
    'mean_squared_error'
    >>> get("CategoricalCrossentropy").name
    'categorical_crossentropy'
"""
import inspect

from numkeras.losses import losses
from numkeras.losses.loss import Loss
from numkeras.utils.lookup import lookup, unknown_name_error

ALL_OBJECTS = {obj.__name__: obj for obj in losses.CLASSES + losses.FUNCTIONS}
ALL_OBJECTS.update({  # Keras's short and legacy names
    "mse": losses.mean_squared_error, "MSE": losses.mean_squared_error,
    "mae": losses.mean_absolute_error, "MAE": losses.mean_absolute_error,
    "mape": losses.mean_absolute_percentage_error, "MAPE": losses.mean_absolute_percentage_error,
    "msle": losses.mean_squared_logarithmic_error, "MSLE": losses.mean_squared_logarithmic_error,
    "bce": losses.binary_crossentropy, "BCE": losses.binary_crossentropy,
    "kld": losses.kl_divergence, "KLD": losses.kl_divergence,
    "kullback_leibler_divergence": losses.kl_divergence, "logcosh": losses.log_cosh,
})
_PUBLIC_CLASSES = {cls.__name__: cls for cls in losses.CLASSES + (Loss, losses.LossFunctionWrapper)}


def get(identifier):
    """Returns a loss function or `Loss` instance for `identifier`.

    Args:
        identifier: None, a name ('categorical_crossentropy', 'CategoricalCrossentropy', 'mse', ...),
            a config dict from `serialize`, a `Loss` class or instance, or a function.

    Returns:
        A function `fn(y_true, y_pred)` or a `Loss` instance (None for None).
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    obj = lookup("loss", identifier, ALL_OBJECTS) if isinstance(identifier, str) else identifier
    if inspect.isclass(obj):
        return obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}. Pass a loss name such as "
                     "'categorical_crossentropy', a Loss instance, or a function fn(y_true, y_pred).")


def get_loss(identifier, y_true=None, y_pred=None):
    """Returns a `Loss` instance for `compile(loss=identifier)`, as Keras's compile does.

    'crossentropy' / 'ce' pick binary, sparse categorical or categorical
    crossentropy from the shapes of `y_true` and `y_pred` (see
    `is_binary_or_sparse_categorical`). A function is wrapped in a
    `LossFunctionWrapper` named after the identifier as passed.

    Example:
        >>> get_loss("categorical_crossentropy").name
        'categorical_crossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        if y_true is None or y_pred is None:
            raise ValueError(f"loss={identifier!r} is resolved from the shapes of the labels and predictions; "
                             "pass y_true and y_pred, or name the loss (e.g. 'categorical_crossentropy').")
        binary, sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        obj = (losses.binary_crossentropy if binary else losses.sparse_categorical_crossentropy if sparse
               else losses.categorical_crossentropy)
    else:
        obj = get(identifier)
    if isinstance(obj, Loss):
        return obj
    name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", type(obj).__name__)
    return losses.LossFunctionWrapper(obj, name=name)


def is_binary_or_sparse_categorical(y_true, y_pred):
    """Keras's rule for 'accuracy' and 'crossentropy': returns (is_binary, is_sparse_categorical).

    Binary when y_pred's last dimension is 1; sparse when y_true has a lower
    rank than y_pred, or a last dimension of 1 while y_pred's is larger.
    """
    true_shape, pred_shape = _shape(y_true), _shape(y_pred)
    true_last = true_shape[-1] if true_shape else None
    pred_last = pred_shape[-1] if pred_shape else None
    is_binary = pred_last == 1
    is_sparse = len(true_shape) < len(pred_shape) or (true_last == 1 and pred_last is not None and pred_last > 1)
    return is_binary, is_sparse


def serialize(loss):
    """Returns a config for `loss`: a dict for a `Loss` instance, the name for a function."""
    if isinstance(loss, Loss):
        return {"module": "numkeras.losses", "class_name": type(loss).__name__, "config": loss.get_config(),
                "registered_name": None}
    return getattr(loss, "__name__", loss)


def deserialize(config, custom_objects=None):
    """Rebuilds a loss from `serialize`'s output (a name or a dict)."""
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        return get(custom_objects.get(config, config))
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not deserialize loss: {config!r}. Expected a name or a dict with 'class_name' "
                         "and 'config', as returned by numkeras.losses.serialize.")
    name = config["class_name"]
    cls = custom_objects.get(name) or _PUBLIC_CLASSES.get(name)
    if cls is None:
        raise unknown_name_error("loss class", name, _PUBLIC_CLASSES)
    return cls.from_config(config.get("config", {}))


def _shape(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        import numpy as np
        shape = np.shape(x)
    return tuple(shape)
