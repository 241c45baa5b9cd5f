"""layers.serialize and layers.deserialize: a layer to its saved config and back.

The config is the one `.keras` files hold for the layer (`module`,
`class_name`, `config`, ...), so it names no numkeras module path.

Example:
    >>> from numkeras import layers
    >>> config = layers.serialize(layers.Dense(3, activation="relu"))
    >>> config["module"], config["class_name"]
    ('keras.layers', 'Dense')
    >>> layer = layers.deserialize(config)
    >>> type(layer).__name__, layer.units
    ('Dense', 3)
"""


def serialize(layer):
    """Returns the config dict of `layer` (a Layer instance), as `.keras` files store it."""
    from numkeras.saving.serialization_lib import serialize_keras_object
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Creates a layer from `serialize()`'s output.

    Args:
        config: the dict `serialize` returned.
        custom_objects: a dict mapping names to your own layer classes (and the
            functions they use). Defaults to None.

    Returns:
        A new Layer instance.

    Raises:
        ValueError: if `config` describes something other than a layer.
    """
    from numkeras.layers.layer import Layer
    from numkeras.saving.serialization_lib import deserialize_keras_object
    obj = deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError(f"layers.deserialize expects the config of a layer, and this one makes a "
                         f"{type(obj).__name__}. Received: config={config!r}.")
    return obj
