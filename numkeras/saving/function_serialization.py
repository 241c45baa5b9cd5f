"""Python functions in a config: a lambda stored by its source text, a named function by its name.

Keras stores a lambda's marshalled bytecode, which only the Python version
that wrote it can read. numkeras stores the lambda's source text and the
plain values it reads from enclosing scopes; it still reads Keras's bytecode
form. Either way, code stored in a file runs only with `safe_mode=False`:
loading code can execute anything. A named function is stored by name and
found again in `custom_objects`, or among numkeras's public ops and
activations (written as "keras.ops" / "keras.activations", as Keras does).

The `owner` argument names what holds the function (e.g. "Lambda layer
'sq'") in error messages.

Example:
    >>> config = serialize_function(lambda x: x * 2.0, owner="example")
    >>> config["class_name"], config["config"]["source"]
    ('__lambda__', 'lambda x: x * 2.0')
    >>> double = deserialize_function(config, {}, safe_mode=False, owner="example")
    >>> double(3.0)
    6.0
"""
import ast
import base64
import importlib
import inspect
import marshal
import sys
import types

import numpy as np

from numkeras.engine.tensor import Tensor, unwrap

# Public namespaces a saved function may be named from without custom_objects
# (Keras writes "keras.ops" for its ops; numkeras reads both spellings).
_PUBLIC_MODULES = ("ops", "activations")
_MISSING = object()


# -- writing -------------------------------------------------------------------
def serialize_function(fn, owner):
    """The JSON-ready config of `fn`: its source and captured values for a lambda, its name otherwise.

    Raises:
        ValueError: if `fn` has no name, if a lambda's source code cannot be
            found (e.g. it was typed at an interactive prompt), or if it reads
            a value from an enclosing function that cannot be stored.
    """
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        return {"class_name": "__lambda__", "config": {"source": _lambda_source(fn, owner),
                                                      "variables": _captured_values(fn, owner),
                                                      "module": fn.__module__}}
    name = getattr(fn, "__name__", None)
    if name is None:
        raise ValueError(f"{owner}: cannot serialize {fn!r} (of type {type(fn).__name__}): it "
                         "has no name. Use a function defined with `def` and pass it in `custom_objects` when "
                         "loading, or subclass Layer.")
    for module in _PUBLIC_MODULES:
        if getattr(_numkeras_module(module), name, None) is fn:
            return {"module": f"keras.{module}", "class_name": "function", "config": name,
                    "registered_name": name}
    return {"module": fn.__module__, "class_name": "function", "config": name, "registered_name": name}


def find_lambda_source(fn):
    """The text of the lambda expression defining `fn`, found in its source file; None if unavailable.

    Several lambdas can share a line, so the one chosen is the innermost whose
    span holds every instruction position of `fn`'s code.

    Example:
        >>> first, second = lambda x: x + 1, lambda y: y * 2
        >>> find_lambda_source(second)
        'lambda y: y * 2'
    """
    if getattr(fn, "_lambda_source", None):  # rebuilt by deserialize_function: saved again as it was loaded
        return fn._lambda_source
    try:
        lines, _ = inspect.findsource(fn)
        text = "".join(lines)
        tree = ast.parse(text)
    except (OSError, TypeError, SyntaxError):
        return None
    code = fn.__code__
    positions = [(l, c, el, ec) for l, el, c, ec in code.co_positions()
                 if None not in (l, el, c, ec) and (l, c) < (el, ec)]
    if not positions:
        return None

    def holds(node):
        start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
        return all(start <= (l, c) and (el, ec) <= end for l, c, el, ec in positions)

    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and holds(n)]
    if not nodes:
        return None
    node = min(nodes, key=lambda n: (n.end_lineno - n.lineno, n.end_col_offset - n.col_offset))
    return ast.get_source_segment(text, node)


def _lambda_source(fn, owner):
    source = find_lambda_source(fn)
    if source is None:
        raise ValueError(
            f"{owner}: cannot serialize its lambda because its source code is not available "
            "(was it typed at an interactive prompt?). Define the function with `def` in a module and pass it "
            "in `custom_objects` when loading, or subclass Layer.")
    return source


def _captured_values(fn, owner):
    """The values of the closure variables and plain module-level constants the lambda reads."""
    values = {}
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell: the variable was never assigned
            continue
        try:
            values[name] = serialize_value(value)
        except ValueError:
            raise ValueError(f"{owner}: its lambda uses the variable {name!r} from an "
                             f"enclosing function, holding {type(value).__name__} {value!r}, which cannot be "
                             "saved. Pass it through `arguments=` as a number, string, list or array, or "
                             "subclass Layer.") from None
    for name in fn.__code__.co_names:
        value = fn.__globals__.get(name, _MISSING)
        if _is_plain(value):  # e.g. SCALE = 2.0 at module level
            values[name] = value
    return values or None


# -- reading -------------------------------------------------------------------
def deserialize_function(config, custom_objects, safe_mode, owner):
    """The function `serialize_function` (or Keras) described by `config`.

    Args:
        config: a function name, or a dict written by `serialize_function`
            or by Keras (a `__lambda__` with "source" or "code", or a
            "function" entry naming it).
        custom_objects: dict mapping names to functions, searched first.
        safe_mode: when True, a lambda stored as code is refused, and a
            function is looked up only in `custom_objects` and numkeras's
            public ops and activations, never imported from its module.
        owner: what holds the function, for error messages.

    Raises:
        ValueError: in safe mode, for a lambda stored as code; for a function
            name that cannot be resolved; for a malformed config.
    """
    if isinstance(config, str):  # a bare name
        config = {"class_name": "function", "config": config}
    if not isinstance(config, dict) or config.get("class_name") not in ("__lambda__", "function"):
        raise ValueError(f"{owner}: unrecognized function config {config!r}. Expected a "
                         "function name or a dict written by Lambda.get_config().")
    if config["class_name"] == "__lambda__":
        if safe_mode:
            raise ValueError(
                f"Refusing to deserialize {owner}: its `function` is a Python lambda stored as "
                "code, and loading code from a file can execute arbitrary commands. If you trust the source of this "
                "file, pass `safe_mode=False` (to Lambda.from_config or to the loading function). Better: replace the "
                "lambda with a named function and pass it in `custom_objects`.")
        return _load_lambda(config["config"], custom_objects, owner)
    name, module = config["config"], config.get("module")
    for key in (name, config.get("registered_name")):
        if key in custom_objects:
            return custom_objects[key]
    if module is not None:
        package, _, rest = module.partition(".")
        if package in ("keras", "numkeras") and rest in _PUBLIC_MODULES:
            fn = getattr(_numkeras_module(rest), name, None)
            if callable(fn):
                return fn
        if not safe_mode:  # a trusted file may name a function of any module
            fn = getattr(_import(module), name, None)
            if callable(fn):
                return fn
    raise ValueError(f"{owner}: could not find the function {name!r} (from module {module!r}). "
                     f"Pass it in `custom_objects`, e.g. custom_objects={{{name!r}: {name}}}.")


def _load_lambda(inner, custom_objects, owner):
    """Rebuilds a lambda from numkeras's source form or from Keras's bytecode form."""
    import numkeras
    from numkeras import ops
    if not isinstance(inner, dict) or not isinstance(inner.get("source", inner.get("code")), str):
        raise ValueError(f"{owner}: a stored lambda needs a 'source' (numkeras) or 'code' "
                         f"(Keras) string. Received: {inner!r}.")
    namespace = {"np": np, "numpy": np, "numkeras": numkeras, "keras": numkeras, "ops": ops}
    module = _import(inner["module"]) if isinstance(inner.get("module"), str) else None
    if module is not None:
        namespace.update(vars(module))
    namespace.update({k: deserialize_value(v) for k, v in dict(inner.get("variables") or {}).items()})
    namespace.update(custom_objects)
    if "source" in inner:
        try:
            fn = eval(compile(f"({inner['source']})", f"<{owner} source>", "eval"), namespace)  # noqa: S307
        except SyntaxError as e:
            raise ValueError(f"{owner}: the stored source {inner['source']!r} is not valid "
                             f"Python ({e.msg}).") from e
    else:  # written by Keras: marshalled bytecode, tied to the Python version that wrote it
        try:
            code = marshal.loads(base64.b64decode(inner["code"]))
        except (ValueError, EOFError, TypeError) as e:
            code = e
        if not isinstance(code, types.CodeType):
            raise ValueError(f"{owner}: its function was saved by Keras as Python bytecode that "
                             f"this Python ({sys.version.split()[0]}) cannot read ({code}). Rebuild the model in "
                             "code and load only the weights.")
        defaults = tuple(inner["defaults"]) if inner.get("defaults") else None
        closure = tuple(types.CellType(v) for v in inner["closure"]) if inner.get("closure") else None
        fn = types.FunctionType(code, namespace, code.co_name, defaults, closure)
    if not isinstance(fn, types.FunctionType):
        raise ValueError(f"{owner}: the stored source {inner.get('source')!r} is not a function.")
    fn._lambda_source = inner.get("source")
    return fn


def _numkeras_module(name):
    return importlib.import_module(f"numkeras.{name}")


def _import(module):
    try:
        return sys.modules.get(module) or importlib.import_module(module)
    except ImportError:
        return None


# -- plain values (arguments, captured variables, fixed masks) ------------------
def _is_plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def serialize_value(value):
    """JSON-safe form of `value`; arrays and Tensors take Keras's `__numpy__` / `__tensor__` form.

    Example:
        >>> import numpy as np
        >>> serialize_value({"k": np.array([1, 2], "int32")})
        {'k': {'class_name': '__numpy__', 'config': {'value': [1, 2], 'dtype': 'int32'}}}
    """
    if isinstance(value, dict):
        return {k: serialize_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(serialize_value(v) for v in value)
    if isinstance(value, (Tensor, np.ndarray, np.generic)):
        array = np.asarray(unwrap(value))
        kind = "__tensor__" if isinstance(value, Tensor) else "__numpy__"
        return {"class_name": kind, "config": {"value": array.tolist(), "dtype": str(array.dtype)}}
    if _is_plain(value):
        return value
    raise ValueError(f"Cannot serialize {value!r} (of type {type(value).__name__}): expected numbers, strings, "
                     "lists, dicts or arrays.")


def deserialize_value(value):
    """The inverse of `serialize_value`: `__numpy__` entries become arrays, `__tensor__` entries Tensors."""
    if isinstance(value, dict):
        if value.get("class_name") in ("__numpy__", "__tensor__") and isinstance(value.get("config"), dict):
            array = np.asarray(value["config"]["value"], dtype=value["config"].get("dtype"))
            return Tensor(array) if value["class_name"] == "__tensor__" else array
        return {k: deserialize_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deserialize_value(v) for v in value]
    return value
