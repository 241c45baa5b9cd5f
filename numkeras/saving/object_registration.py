"""Custom objects: the global registry, `custom_objects=` scopes and registered names.

A class or function decorated with `register_keras_serializable(package, name)`
is stored under `"package>name"`, so a saved config that names it can be
rebuilt without passing it again. `CustomObjectScope` makes a dict of custom
objects visible to every deserialization inside the `with` block.

Example:
    >>> from numkeras import layers
    >>> @register_keras_serializable(package="Docs")
    ... class Twice(layers.Layer):
    ...     def call(self, x):
    ...         return x * 2
    >>> get_registered_name(Twice), get_registered_object("Docs>Twice") is Twice
    ('Docs>Twice', True)
"""
import inspect
import threading

GLOBAL_CUSTOM_OBJECTS = {}  # registered name -> class or function
GLOBAL_CUSTOM_NAMES = {}  # class or function -> registered name
_scope = threading.local()


def register_keras_serializable(package="Custom", name=None):
    """Returns a decorator that registers a class or function under `"package>name"`.

    Args:
        package: the package part of the registered name. Defaults to "Custom".
        name: the name part. Defaults to the object's `__name__`.

    Returns:
        A decorator that registers its argument and returns it unchanged.
    """
    def decorator(obj):
        registered_name = f"{package}>{name if name is not None else obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register a class that does not have a get_config() method. Received: "
                             f"{obj.__name__}. Define get_config() returning its constructor arguments.")
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj
    return decorator


def get_custom_objects():
    """Returns the live global dict of registered custom objects (name -> object)."""
    return GLOBAL_CUSTOM_OBJECTS


def get_registered_name(obj):
    """The name `obj` is registered under, else its `__name__`."""
    return GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None):
    """The object registered or passed as custom object under `name`, else None.

    Looks in `custom_objects`, then the active `CustomObjectScope`s, then the
    global registry.
    """
    for table in (custom_objects or {}, scoped_custom_objects(), GLOBAL_CUSTOM_OBJECTS):
        if name in table:
            return table[name]
    return None


def scoped_custom_objects():
    """The custom objects of the active `CustomObjectScope`s (innermost wins)."""
    merged = {}
    for objects in getattr(_scope, "stack", []):
        merged.update(objects)
    return merged


class CustomObjectScope:
    """Makes `custom_objects` visible to deserialization inside a `with` block.

    Args:
        custom_objects: a dict `{name: class_or_function}`.

    Example:
        >>> def my_act(x):
        ...     return x
        >>> with CustomObjectScope({"my_act": my_act}):
        ...     get_registered_object("my_act") is my_act
        True
    """

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        if not hasattr(_scope, "stack"):
            _scope.stack = []
        _scope.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope.stack.pop()


custom_object_scope = CustomObjectScope  # Keras's alias
