"""Lambda: wraps a Python function as a layer.

The function runs on the layer's inputs; numkeras ops inside it are
differentiable, so gradients flow through a Lambda like through any layer.

Saving differs from Keras on purpose. Keras stores a lambda's Python
bytecode; numkeras stores its source text (and the plain values it closes
over), and `from_config` refuses to run that code unless `safe_mode=False`
is passed, since loading code from a file can execute anything. A named
function is stored by name and found again through `custom_objects`. How
a function is written and read back is numkeras/saving/function_serialization.py.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Lambda(lambda x: x ** 2)(np.array([[1.0, 3.0]], "float32")).numpy()
    array([[1., 9.]], dtype=float32)
"""
import inspect

import numpy as np

from numkeras.backend import errstate as _errstate
from numkeras.engine.tensor import Tensor, as_tensor
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer, _concrete
from numkeras.utils.tree import flatten, flatten_shapes, is_shape, map_structure, map_structure_up_to_shapes


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
            with _errstate(all="ignore"):  # zeros may hit log(0) and the like; only shapes matter here
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
        # Imported here, so that building a model with Dense (in this package) loads no saving code.
        from numkeras.saving.function_serialization import serialize_function, serialize_value
        owner = f"Lambda layer {self.name!r}"
        config = {**super().get_config(), "function": serialize_function(self.function, owner)}
        if self._output_shape is not None:
            config["output_shape"] = (serialize_function(self._output_shape, owner) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = serialize_function(self.mask, owner) if callable(self.mask) else serialize_value(self.mask)
        config["arguments"] = serialize_value(self.arguments)
        return config

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
        from numkeras.saving.function_serialization import deserialize_function, deserialize_value
        config = dict(config)
        custom = dict(custom_objects or {})
        owner = f"Lambda layer {config.get('name')!r}"
        config["function"] = deserialize_function(config["function"], custom, safe_mode, owner)
        if "output_shape" in config:
            shape = config["output_shape"]
            config["output_shape"] = (deserialize_function(shape, custom, safe_mode, owner)
                                      if isinstance(shape, (dict, str)) else shape)
        if config.get("mask") is not None:
            mask = config["mask"]
            config["mask"] = (deserialize_function(mask, custom, safe_mode, owner)
                              if isinstance(mask, dict) and mask.get("class_name") in ("__lambda__", "function")
                              else deserialize_value(mask))
        if "arguments" in config:
            config["arguments"] = deserialize_value(config["arguments"])
        return cls(**config)


def _parameter_names(fn):
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):  # some builtins have no introspectable signature
        return set()


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
