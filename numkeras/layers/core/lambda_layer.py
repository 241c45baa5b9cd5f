"""Lambda: wraps a Python function as a layer.

The function runs on the layer's inputs; numkeras ops inside it are
differentiable, so gradients flow through a Lambda like through any layer.

Saving differs from Keras on purpose. Keras stores a lambda's Python
bytecode; numkeras stores its source text (and the plain values it closes
over), and `from_config` refuses to run that code unless `safe_mode=False`
is passed, since loading code from a file can execute anything. A named
function is stored by name and found again through `custom_objects`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Lambda(lambda x: x ** 2)(np.array([[1.0, 3.0]], "float32")).numpy()
    array([[1., 9.]], dtype=float32)
"""
import ast
import base64
import importlib
import inspect
import marshal
import sys
import types

import numpy as np

from numkeras.engine.tensor import Tensor, as_tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer, _concrete, flatten_shapes, is_shape, map_structure_up_to_shapes
from numkeras.utils.tree import flatten, map_structure

# Public namespaces a saved function may be named from without custom_objects
# (Keras writes "keras.ops" for its ops; numkeras reads both spellings).
_PUBLIC_MODULES = ("ops", "activations")


class Lambda(Layer):
    """Wraps an arbitrary function of the inputs as a layer.

    Prefer subclassing `Layer` for anything beyond quick experiments: a
    subclass saves portably through `get_config`, while a Lambda saves code.

    Args:
        function: the function to apply; it receives the layer's input
            (a tensor, or a list of tensors) as first argument, plus
            `training` and/or `mask` if its signature names them.
        output_shape: the output shape, when it cannot be inferred by
            running `function` (the default, on a batch of zeros). A tuple
            without the batch axis (the input's batch size is prepended),
            a list of such tuples for several outputs, or a function of
            the full input shape returning the full output shape.
        mask: None, a function `mask(inputs, mask)` returning the output
            mask, or a fixed mask returned whatever the input.
        arguments: an optional dict of keyword arguments passed to
            `function` on every call.
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).

    Example:
        >>> from numkeras import layers, models, ops
        >>> a, b = layers.Input(shape=(3,)), layers.Input(shape=(3,))
        >>> diff = layers.Lambda(lambda t: ops.abs(t[0] - t[1]))([a, b])
        >>> models.Model([a, b], diff).output.shape
        (None, 3)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: `function` must be callable. Received: function={function!r} (of type "
                            f"{type(function).__name__}). Pass a function, e.g. Lambda(lambda x: x * 2).")
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"Lambda: `arguments` must be a dict of keyword arguments for the function. "
                            f"Received: arguments={arguments!r}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = _as_shapes(output_shape)
        params = _parameter_names(function)
        self._fn_expects_training_arg = "training" in params
        self._fn_expects_mask_arg = "mask" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)  # a copy: a function editing its kwargs must not change the config
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        outputs = self.function(inputs, **kwargs)
        # Arrays or scalars a NumPy-only function returns become Tensors, so later layers see one type.
        return map_structure(lambda o: o if isinstance(o, Tensor) else as_tensor(o), outputs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    # -- shapes ---------------------------------------------------------------
    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            specs = map_structure_up_to_shapes(lambda s: KerasTensor(s, self.dtype), input_shape)
            return map_structure(lambda t: t.shape, self._infer_output_spec(specs))
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = flatten_shapes(input_shape)[0]
        batch = first[0] if first else None
        return map_structure_up_to_shapes(lambda s: (batch,) + tuple(s), self._output_shape)

    def compute_output_spec(self, inputs, *args, **kwargs):
        if self._output_shape is None:
            return self._infer_output_spec(inputs, *args, **kwargs)
        shapes = self.compute_output_shape(map_structure(lambda t: tuple(t.shape), inputs))
        return map_structure_up_to_shapes(lambda s: KerasTensor(s, self.dtype), shapes)

    def _infer_output_spec(self, inputs, *args, **kwargs):
        """Runs the function once on zeros (batch size 1) and reads its outputs' shapes and dtypes."""
        zeros = map_structure(lambda t: np.zeros(_concrete(t.shape), t.dtype), inputs)
        leaves = flatten(inputs)
        batch = leaves[0].shape[0] if leaves and leaves[0].shape else None
        try:
            with np.errstate(all="ignore"):  # zeros may hit log(0) and the like; only shapes matter here
                outputs = self(zeros, *args, **kwargs)
        except Exception as e:
            raise NotImplementedError(
                f"Lambda layer {self.name!r}: could not infer the output shape by running its function on zeros of "
                f"shape {map_structure(lambda t: t.shape, inputs)} ({type(e).__name__}: {e}). Pass `output_shape` "
                "to this Lambda layer.") from e
        return map_structure(lambda o: KerasTensor((batch,) + tuple(o.shape[1:]), o.dtype), outputs)

    # -- config ---------------------------------------------------------------
    def get_config(self):
        """The config; `function` (and a callable `output_shape` or `mask`) is stored by name or by source.

        Raises:
            ValueError: if a lambda's source code cannot be found (e.g. it was
                typed at an interactive prompt) or it closes over a value that
                cannot be stored.
        """
        config = {**super().get_config(), "function": self._serialize_function(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (self._serialize_function(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = self._serialize_function(self.mask) if callable(self.mask) else _serialize_value(self.mask)
        config["arguments"] = _serialize_value(self.arguments)
        return config

    def _serialize_function(self, fn):
        if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
            return {"class_name": "__lambda__", "config": {"source": self._lambda_source(fn),
                                                          "variables": self._captured_values(fn),
                                                          "module": fn.__module__}}
        name = getattr(fn, "__name__", None)
        if name is None:
            raise ValueError(f"Lambda layer {self.name!r}: cannot serialize {fn!r} (of type {type(fn).__name__}): it "
                             "has no name. Use a function defined with `def` and pass it in `custom_objects` when "
                             "loading, or subclass Layer.")
        for module in _PUBLIC_MODULES:
            if getattr(_numkeras_module(module), name, None) is fn:
                return {"module": f"keras.{module}", "class_name": "function", "config": name,
                        "registered_name": name}
        return {"module": fn.__module__, "class_name": "function", "config": name, "registered_name": name}

    def _lambda_source(self, fn):
        source = _find_lambda_source(fn)
        if source is None:
            raise ValueError(
                f"Lambda layer {self.name!r}: cannot serialize its lambda because its source code is not available "
                "(was it typed at an interactive prompt?). Define the function with `def` in a module and pass it "
                "in `custom_objects` when loading, or subclass Layer.")
        return source

    def _captured_values(self, fn):
        """The values of the closure variables and plain module-level constants the lambda reads."""
        values = {}
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell: the variable was never assigned
                continue
            try:
                values[name] = _serialize_value(value)
            except ValueError:
                raise ValueError(f"Lambda layer {self.name!r}: its lambda uses the variable {name!r} from an "
                                 f"enclosing function, holding {type(value).__name__} {value!r}, which cannot be "
                                 "saved. Pass it through `arguments=` as a number, string, list or array, or "
                                 "subclass Layer.") from None
        for name in fn.__code__.co_names:
            value = fn.__globals__.get(name, _MISSING)
            if _is_plain(value):  # e.g. SCALE = 2.0 at module level
                values[name] = value
        return values or None

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        """Creates a Lambda from `get_config()`'s output.

        Args:
            config: the dict `get_config()` returned.
            custom_objects: optional dict mapping names to functions; a
                function stored by name is looked up here first.
            safe_mode: when True (the default), a config holding a lambda's
                code is refused: running code from a file can do anything.
                Pass False only for files you trust.

        Raises:
            ValueError: in safe mode, for a lambda stored as code; and for a
                function name that cannot be resolved.
        """
        config = dict(config)
        custom = dict(custom_objects or {})
        name = config.get("name")
        config["function"] = _deserialize_function(config["function"], custom, safe_mode, name)
        if "output_shape" in config:
            shape = config["output_shape"]
            config["output_shape"] = (_deserialize_function(shape, custom, safe_mode, name)
                                      if isinstance(shape, (dict, str)) else shape)
        if config.get("mask") is not None:
            mask = config["mask"]
            config["mask"] = (_deserialize_function(mask, custom, safe_mode, name)
                              if isinstance(mask, dict) and mask.get("class_name") in ("__lambda__", "function")
                              else _deserialize_value(mask))
        if "arguments" in config:
            config["arguments"] = _deserialize_value(config["arguments"])
        return cls(**config)


# -- function (de)serialization -------------------------------------------------
_MISSING = object()


def _numkeras_module(name):
    return importlib.import_module(f"numkeras.{name}")


def _parameter_names(fn):
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):  # some builtins have no introspectable signature
        return set()


def _find_lambda_source(fn):
    """The text of the lambda expression defining `fn`, found in its source file; None if unavailable.

    Several lambdas can share a line, so the one chosen is the innermost whose
    span holds every instruction position of `fn`'s code.
    """
    if getattr(fn, "_lambda_source", None):  # rebuilt by from_config: saved again as it was loaded
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


def _deserialize_function(config, custom_objects, safe_mode, layer_name):
    if isinstance(config, str):  # a bare name
        config = {"class_name": "function", "config": config}
    if not isinstance(config, dict) or config.get("class_name") not in ("__lambda__", "function"):
        raise ValueError(f"Lambda layer {layer_name!r}: unrecognized function config {config!r}. Expected a "
                         "function name or a dict written by Lambda.get_config().")
    if config["class_name"] == "__lambda__":
        if safe_mode:
            raise ValueError(
                f"Refusing to deserialize Lambda layer {layer_name!r}: its `function` is a Python lambda stored as "
                "code, and loading code from a file can execute arbitrary commands. If you trust the source of this "
                "file, pass `safe_mode=False` (to Lambda.from_config or to the loading function). Better: replace the "
                "lambda with a named function and pass it in `custom_objects`.")
        return _load_lambda(config["config"], custom_objects, layer_name)
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
    raise ValueError(f"Lambda layer {layer_name!r}: could not find the function {name!r} (from module {module!r}). "
                     f"Pass it in `custom_objects`, e.g. custom_objects={{{name!r}: {name}}}.")


def _import(module):
    try:
        return sys.modules.get(module) or importlib.import_module(module)
    except ImportError:
        return None


def _load_lambda(inner, custom_objects, layer_name):
    """Rebuilds a lambda from numkeras's source form or from Keras's bytecode form."""
    import numkeras
    from numkeras import ops
    if not isinstance(inner, dict) or not isinstance(inner.get("source", inner.get("code")), str):
        raise ValueError(f"Lambda layer {layer_name!r}: a stored lambda needs a 'source' (numkeras) or 'code' "
                         f"(Keras) string. Received: {inner!r}.")
    namespace = {"np": np, "numpy": np, "numkeras": numkeras, "keras": numkeras, "ops": ops}
    module = _import(inner["module"]) if isinstance(inner.get("module"), str) else None
    if module is not None:
        namespace.update(vars(module))
    namespace.update({k: _deserialize_value(v) for k, v in dict(inner.get("variables") or {}).items()})
    namespace.update(custom_objects)
    if "source" in inner:
        try:
            fn = eval(compile(f"({inner['source']})", f"<Lambda {layer_name} source>", "eval"), namespace)  # noqa: S307
        except SyntaxError as e:
            raise ValueError(f"Lambda layer {layer_name!r}: the stored source {inner['source']!r} is not valid "
                             f"Python ({e.msg}).") from e
    else:  # written by Keras: marshalled bytecode, tied to the Python version that wrote it
        try:
            code = marshal.loads(base64.b64decode(inner["code"]))
        except (ValueError, EOFError, TypeError) as e:
            code = e
        if not isinstance(code, types.CodeType):
            raise ValueError(f"Lambda layer {layer_name!r}: its function was saved by Keras as Python bytecode that "
                             f"this Python ({sys.version.split()[0]}) cannot read ({code}). Rebuild the model in "
                             "code and load only the weights.")
        defaults = tuple(inner["defaults"]) if inner.get("defaults") else None
        closure = tuple(types.CellType(v) for v in inner["closure"]) if inner.get("closure") else None
        fn = types.FunctionType(code, namespace, code.co_name, defaults, closure)
    if not isinstance(fn, types.FunctionType):
        raise ValueError(f"Lambda layer {layer_name!r}: the stored source {inner.get('source')!r} is not a function.")
    fn._lambda_source = inner.get("source")
    return fn


# -- plain values (arguments, closure variables, fixed masks) -------------------
def _is_plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _serialize_value(value):
    """JSON-safe form of `value`; arrays and Tensors take Keras's `__numpy__` / `__tensor__` form."""
    if isinstance(value, dict):
        return {k: _serialize_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_serialize_value(v) for v in value)
    if isinstance(value, (Tensor, np.ndarray, np.generic)):
        array = np.asarray(unwrap(value))
        kind = "__tensor__" if isinstance(value, Tensor) else "__numpy__"
        return {"class_name": kind, "config": {"value": array.tolist(), "dtype": str(array.dtype)}}
    if _is_plain(value):
        return value
    raise ValueError(f"Cannot serialize {value!r} (of type {type(value).__name__}): expected numbers, strings, "
                     "lists, dicts or arrays.")


def _deserialize_value(value):
    if isinstance(value, dict):
        if value.get("class_name") in ("__numpy__", "__tensor__") and isinstance(value.get("config"), dict):
            array = np.asarray(value["config"]["value"], dtype=value["config"].get("dtype"))
            return Tensor(array) if value["class_name"] == "__tensor__" else array
        return {k: _deserialize_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deserialize_value(v) for v in value]
    return value


def _as_shapes(output_shape):
    """Lists of ints (as JSON gives back) become tuples; functions and None pass through."""
    if output_shape is None or callable(output_shape):
        return output_shape
    if is_shape(output_shape):
        return tuple(output_shape)
    if isinstance(output_shape, (list, tuple)):
        return [_as_shapes(s) for s in output_shape]
    raise ValueError(f"Lambda: `output_shape` must be a tuple (without the batch axis), a list of tuples or a "
                     f"function. Received: output_shape={output_shape!r}.")
