"""The Layer base class: config in `__init__`, weights in `build`, math in `call`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers, ops
    >>> class Scale(layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
    ...     def call(self, inputs):
    ...         return ops.multiply(inputs, self.w)
    >>> Scale()(np.ones((2, 3), "float32")).shape
    (2, 3)
"""
import inspect
import threading

import numpy as np

from numkeras.backend import floatx, from_host, standardize_dtype, to_host, xp
from numkeras.engine.tensor import Tensor, as_tensor
from numkeras.engine.variable import Variable
from numkeras.layers import mask_propagation
from numkeras.layers.keras_tensor import KerasTensor, Node, any_symbolic
from numkeras.metrics.metric import Metric
from numkeras.utils.naming import snake_case, unique_name
from numkeras.utils.tree import flatten, flatten_shapes, is_shape, map_structure, map_structure_up_to_shapes
from numkeras.utils.argument_checks import wrap_constructor

_CONCRETE = (Tensor, np.ndarray)  # input types that are never symbolic: no structure walk
_NO_INPUTS = object()  # `layer(query=..., value=...)`: the first argument passed by name
_SPREAD = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
_AGGREGATIONS = (None, "none", "mean", "sum", "only_first_replica")


class _CallState(threading.local):
    """How deep this thread is in layer calls (counted once any layer has used `add_loss`)."""

    depth = 0


_calls = _CallState()
_add_loss_used = [False]  # until a layer adds a loss, calls neither count their depth nor clear losses
metric_attributes_used = [False]  # until a Metric is assigned to a layer, `metrics` need not walk the layers


def _active_calls():
    """How many `Layer.__call__` frames this thread is inside (when the first loss is added, mid-call)."""
    import sys
    frame, count = sys._getframe(), 0
    while frame is not None:
        count += frame.f_code is Layer.__call__.__code__
        frame = frame.f_back
    return count


class Layer:
    """Base class of all layers.

    Args:
        trainable: whether the layer's weights are updated in training. Defaults to True.
        name: the layer name. Defaults to the snake-cased class name, made unique.
        dtype: the dtype of weights and computations, or a dtype policy ("mixed_float16":
            float16 computations, float32 weights). Defaults to the global policy
            (`numkeras.config.dtype_policy()`, which follows `floatx()`).
        activity_regularizer: optional penalty on the layer's output.
        input_shape, input_dim, batch_size, batch_input_shape: Keras's way of
            declaring the model input on the first layer of a Sequential model.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        wrap_constructor(cls)  # built-in classes check their constructor arguments (utils/argument_checks.py)

    output_shape = None  # set when a model builds the layer (used by summary)
    _output_hook = None  # fn(layer, outputs) after every call: fit's NaN diagnosis sets it
    _tracked = True  # whether assigning it to another layer's attribute makes it a sublayer
    # Whether one sample's output in training depends on the rest of the batch (BatchNormalization's batch
    # statistics): TimeDistributed then calls the layer timestep by timestep instead of folding time into batch.
    _batch_dependent_in_training = False

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True, name=None,
                 **kwargs):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_size = kwargs.pop("batch_size", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected keyword argument(s): "
                            f"{', '.join(sorted(kwargs))}.{_suggest_arguments(type(self), kwargs)}")
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(_as_shape(input_shape, "input_shape", self))
        self._batch_input_shape = None if batch_input_shape is None else tuple(batch_input_shape)
        self.name = name or unique_name(snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.dtype_policy = dtype
        self.autocast = autocast
        self.built = False
        self._weights = []
        self._sublayers = []
        self._activity_losses = []
        self._losses = []  # add_loss(): cleared when an outermost call starts, as in Keras
        self._metrics = []  # Metric objects assigned as attributes (a custom train_step's trackers)
        self._inbound_nodes = []  # one Node per symbolic call (functional API)
        from numkeras import regularizers
        self.activity_regularizer = regularizers.get(activity_regularizer)
        params = inspect.signature(self.call).parameters
        self._call_takes_training = "training" in params
        self._call_params = tuple(name for name, p in params.items() if p.kind not in _SPREAD)
        self._call_param_set = frozenset(self._call_params)
        self._call_takes_masks = any(name == "mask" or name.endswith("_mask") for name in self._call_params)
        # Keras's default: a layer that overrides compute_mask supports masking.
        self._computes_mask = type(self).compute_mask is not Layer.compute_mask
        self._mask_work = self._call_takes_masks or self._computes_mask  # else only a carried mask needs work
        if self._supports_masking is None:  # not set by a subclass before this __init__
            self._supports_masking = self._computes_mask

    # -- attribute tracking: sublayers assigned as attributes are found automatically
    def __setattr__(self, name, value):
        if isinstance(value, Layer) and value._tracked and value is not self:
            self.__dict__.setdefault("_sublayers", []).append(value)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) and v._tracked for v in value):
            self.__dict__.setdefault("_sublayers", []).extend(v for v in value if v is not self)
        elif isinstance(value, Metric):
            metric_attributes_used[0] = True
            metrics = self.__dict__.setdefault("_metrics", [])
            if not any(m is value for m in metrics):
                metrics.append(value)
        super().__setattr__(name, value)

    # -- lifecycle ------------------------------------------------------------
    def build(self, input_shape):
        """Creates the weights. Override to add weights with `add_weight`."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The layer's computation. Override it."""
        return inputs

    def __call__(self, inputs=_NO_INPUTS, *args, training=None, **kwargs):
        # Losses from add_loss are cleared when an outermost call starts. The depth that says "outermost" is
        # counted only once some layer has added a loss (it costs about 1 us a call); every call runs inside
        # this try, so the calls already running when the first loss is added are counted too (add_loss).
        if _add_loss_used[0]:
            if not _calls.depth:
                self._clear_losses()
            _calls.depth += 1
        try:
            if inputs is _NO_INPUTS:
                inputs = self._pop_first_argument(kwargs)
            if type(inputs) not in _CONCRETE and any_symbolic(inputs):
                return self._symbolic_call(inputs, *args, **kwargs)
            inputs = self._convert_input(inputs)
            if not self.built:
                self.build(_shape_of(inputs))
                self.built = True
            if self._call_takes_training:
                kwargs["training"] = training
            previous_mask = inputs._keras_mask if type(inputs) is Tensor else mask_propagation.masks_of(inputs)
            masking = previous_mask is not None or self._mask_work  # one test on the common, unmasked path
            if masking and self._call_takes_masks:
                mask_propagation.populate_mask_arguments(self, inputs, args, kwargs)
                if kwargs.get("mask") is not None:
                    previous_mask = kwargs["mask"]
            if self._activity_losses:
                self.__dict__["_activity_losses"] = []  # plain set: __setattr__'s tracking is not needed
            if self._autocast_weights:
                outputs = self._call_with_compute_weights(inputs, args, kwargs)
            else:
                outputs = self.call(inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                for output in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
                    loss = self.activity_regularizer(output)
                    if output.ndim and output.shape[0]:  # per-sample, as Keras: batch size must not set its weight
                        loss = loss / output.shape[0]
                    self._activity_losses.append(loss)
            if masking:
                mask_propagation.attach_output_masks(self, inputs, outputs, previous_mask)
            if Layer._output_hook is not None:
                Layer._output_hook(self, outputs)
            return outputs
        finally:
            if _add_loss_used[0] and _calls.depth:
                _calls.depth -= 1

    def _pop_first_argument(self, kwargs):
        """The first argument of `call`, passed by name (`mha(query=q, value=v)`), taken out of `kwargs`."""
        name = self._call_params[0] if self._call_params else "inputs"
        if name not in kwargs:
            raise TypeError(f"Layer {self.name!r} was called without inputs: pass them first, or by name as "
                            f"{name}=... (its call() takes {list(self._call_params)}). Received keyword "
                            f"arguments: {sorted(kwargs)}.")
        return kwargs.pop(name)

    # -- dtype policy -----------------------------------------------------------
    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy`: its compute and variable dtypes."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        from numkeras.dtype_policies.dtype_policy import get
        policy = get(value)
        self.__dict__.update(_dtype_policy=policy, _compute_dtype=policy.compute_dtype,
                             _autocast_weights=policy.compute_dtype != policy.variable_dtype)

    @property
    def dtype(self):
        """The dtype of the layer's weights (its policy's `variable_dtype`), as in Keras."""
        return self._dtype_policy.variable_dtype

    @dtype.setter
    def dtype(self, value):
        self.dtype_policy = value

    @property
    def compute_dtype(self):
        """The dtype of the layer's computations and outputs."""
        return self._compute_dtype

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights."""
        return self._dtype_policy.variable_dtype

    def _call_with_compute_weights(self, inputs, args, kwargs):
        """`call` with the layer's own trainable float weights read in the compute dtype (a mixed policy).

        Each such attribute is a cast of its Variable for the call's duration, so the gradient
        reaches the float32 Variable through the cast; the Variables are put back afterwards.
        """
        from numkeras.engine.math_ops import cast
        mine = {id(w) for w in self._weights if w.trainable and w.autocast and w.data.dtype.kind == "f"}
        originals = {name: value for name, value in self.__dict__.items() if id(value) in mine}
        self.__dict__.update({name: cast(value, self._compute_dtype) for name, value in originals.items()})
        try:
            return self.call(inputs, *args, **kwargs)
        finally:
            self.__dict__.update(originals)

    # -- masking (Keras's contract; the machinery is in mask_propagation.py) ---
    _masks_from_inner_layers = False  # models: their outputs carry the masks their own layers attached
    _supports_masking = None  # set in __init__ (never through self.__dict__, which would slow every attribute read)

    @property
    def supports_masking(self):
        """Whether the layer passes a mask on: `compute_mask` gives its outputs' mask.

        False by default (the mask stops here, with a warning); True when the
        layer overrides `compute_mask`. Layers whose output mask is their input
        mask set `self.supports_masking = True`.
        """
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value):
        self._supports_masking = bool(value)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs for `inputs` carrying `previous_mask`: by default, `previous_mask`.

        Only used when `supports_masking` is True. A mask is a bool tensor,
        True where a timestep counts (shape `(batch, timesteps)` for sequences).
        """
        return previous_mask

    def _convert_input(self, x):
        if type(x) is Tensor and (x.data.dtype == self._compute_dtype or not self.autocast):
            return x  # the common case, first
        if isinstance(x, (list, tuple)):
            return type(x)(self._convert_input(v) for v in x)
        if isinstance(x, dict):
            return {k: self._convert_input(v) for k, v in x.items()}
        mask = x._keras_mask if isinstance(x, Tensor) else None
        x = as_tensor(x) if isinstance(x, Tensor) else Tensor(from_host(x))
        # Floats follow the layer's dtype, as Keras's autocast does; ints stay (indices).
        if self.autocast and x.data.dtype.kind == "f" and x.data.dtype != self._compute_dtype:
            from numkeras.engine.math_ops import cast
            x = cast(x, self._compute_dtype)
            x._keras_mask = mask  # the cast value describes the same timesteps
        return x

    def _symbolic_call(self, inputs, *args, **kwargs):
        """Records a Node for a call on KerasTensors and returns symbolic outputs."""
        shapes = map_structure(lambda t: tuple(t.shape), inputs)
        if not self.built:
            self.build(shapes[0] if isinstance(shapes, list) and len(shapes) == 1 and
                       not isinstance(inputs, list) else shapes)
            self.built = True
        outputs = self.compute_output_spec(inputs, *args, **kwargs)
        previous_mask = kwargs.get("mask")
        if previous_mask is None:
            previous_mask = mask_propagation.masks_of(inputs)
        if mask_propagation.any_mask(previous_mask) or self._computes_mask:
            mask_propagation.attach_symbolic_masks(self, inputs, outputs, previous_mask)
        Node(self, inputs, outputs, kwargs=dict(kwargs, **({"args": args} if args else {})))
        return outputs

    def compute_output_spec(self, inputs, *args, **kwargs):
        """Symbolic outputs (KerasTensors with shape and dtype) for symbolic `inputs`.

        Uses `compute_output_shape` when the layer defines it; otherwise runs
        `call` once on zeros (batch size 1) and reads the results.
        """
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = self.compute_output_shape(map_structure(lambda t: tuple(t.shape), inputs))
            return map_structure_up_to_shapes(lambda shape: KerasTensor(shape, self._compute_dtype), shapes)
        zeros = map_structure(lambda t: xp.zeros(_concrete(t.shape), t.dtype), inputs)
        batch = flatten(inputs)[0].shape[0]
        args, kwargs = mask_propagation.stand_in_arguments((args, kwargs))  # other tensors (value=, mask=)
        return map_structure(lambda o: KerasTensor((batch,) + tuple(o.shape[1:]), o.dtype), self(zeros, *args, **kwargs))

    def compute_output_shape(self, input_shape):
        """Returns the output shape for `input_shape` (batch dim may be None).

        The default runs `call` once on zeros (batch size 1) and reads the shapes.
        """
        zeros = map_structure_up_to_shapes(lambda shape: xp.zeros(_concrete(shape), self._compute_dtype),
                                           input_shape)
        batch = input_shape[0] if is_shape(input_shape) else flatten_shapes(input_shape)[0][0]
        return map_structure(lambda o: (batch,) + tuple(o.shape[1:]), self(zeros))

    # -- functional API: where this layer was called symbolically -------------
    def _single_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name!r} has never been called on a symbolic input, so it has no "
                                 f"{what}. Call it on layers.Input(...) (or put it in a built model) first.")
        if len(self._inbound_nodes) > 1:
            raise AttributeError(f"Layer {self.name!r} has been called {len(self._inbound_nodes)} times, so its "
                                 f"{what} is ambiguous. Use the outputs of each call directly.")
        return self._inbound_nodes[0]

    @property
    def input(self):
        """The symbolic input of the layer's only call."""
        return self._single_node("input").inputs

    @property
    def output(self):
        """The symbolic output of the layer's only call."""
        return self._single_node("output").outputs

    # -- weights --------------------------------------------------------------
    def add_weight(self, *args, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", overwrite_with_gradient=False,
                   name=None):
        """Creates a Variable owned by this layer and returns it.

        Args:
            shape: the weight shape. Defaults to () (a scalar). Shape, initializer and dtype
                may also be passed by position, as in Keras.
            initializer: name or callable. Defaults to "glorot_uniform" for
                floats, "zeros" otherwise.
            dtype: defaults to the layer's variable dtype (float32 under "mixed_float16").
            trainable: whether gradients update it. Defaults to True.
            autocast: whether a mixed-precision layer may read it in its compute dtype. Defaults to True.
            regularizer: optional penalty added to `layer.losses`.
            constraint: optional projection applied after each optimizer step.
            aggregation: "none", "mean", "sum" or "only_first_replica": how replicas would
                combine it (recorded on the variable). Defaults to "none".
            overwrite_with_gradient: if True, an optimizer step sets the weight to its gradient
                instead of updating it (Keras's float8 statistics use this). Defaults to False.
            name: the weight name (by keyword).
        """
        from numkeras import constraints, initializers, regularizers
        from numkeras.saving.weight_budget import charge
        if "_weights" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: call super().__init__() in __init__() before add_weight().")
        shape, initializer, dtype = _positional_weight_arguments(args, shape, initializer, dtype)
        if aggregation not in _AGGREGATIONS:
            raise ValueError(f"Layer {self.name!r}: add_weight(aggregation=...) must be one of None, 'none', "
                             f"'mean', 'sum' or 'only_first_replica'. Received: aggregation={aggregation!r}.")
        dtype = standardize_dtype(dtype or self._dtype_policy.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        shape = () if shape is None else tuple(_as_shape(shape, "shape", self))
        if None in shape:
            raise ValueError(f"Layer {self.name!r}: add_weight() needs a fully defined shape. Received: shape={shape}. "
                             "Build the weight in build(input_shape), where the sizes are known.")
        charge(shape, dtype, self.name)  # while load_model rebuilds a file, no more than the file stores
        variable = Variable(initializers.get(initializer), shape=shape, dtype=dtype, trainable=trainable,
                            name=name or f"variable_{len(self._weights)}",
                            regularizer=regularizers.get(regularizer), constraint=constraints.get(constraint),
                            autocast=autocast, aggregation=aggregation)
        variable.overwrite_with_gradient = bool(overwrite_with_gradient)
        variable.path = f"{self.name}/{variable.name}"
        self._weights.append(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True, regularizer=None,
                     constraint=None, name=None):
        """`add_weight` with the shape and initializer required, as Keras's `Layer.add_variable` takes them."""
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
                               autocast=autocast, regularizer=regularizer, constraint=constraint, name=name)

    # -- losses added in call, and metrics as attributes ------------------------
    def add_loss(self, loss):
        """Adds a loss term (a scalar or a tensor, summed) to `layer.losses` from inside `call`.

        The losses of a call are cleared when the next outermost call starts, so
        `model.losses` holds those of the latest forward pass; `fit`, `train_on_batch`
        and `compute_loss` add them to the training loss, as Keras does.

        Example:
            >>> import numpy as np
            >>> from numkeras import layers, ops
            >>> class ActivityPenalty(layers.Layer):
            ...     def call(self, x):
            ...         self.add_loss(0.1 * ops.sum(ops.square(x)))
            ...         return x
            >>> layer = ActivityPenalty()
            >>> _ = layer(np.ones((2, 2), "float32"))
            >>> [float(loss.numpy()) for loss in layer.losses]
            [0.4000000059604645]
        """
        if not _add_loss_used[0]:  # the first loss ever: count the layer calls this one runs inside
            _add_loss_used[0] = True
            _calls.depth = _active_calls()
        self.__dict__.setdefault("_losses", []).append(loss if isinstance(loss, Tensor) else
                                                       Tensor(from_host(loss, dtype=floatx())))

    def _clear_losses(self):
        """Empties the `add_loss` losses of this layer and every layer inside it."""
        if self._losses:
            self.__dict__["_losses"] = []
        for layer in self._sublayers:
            layer._clear_losses()

    @property
    def metrics(self):
        """The Metric objects assigned to this layer's attributes, then those of its sublayers."""
        out = []
        if metric_attributes_used[0]:
            self._collect_metrics(out)
        return out

    def _collect_metrics(self, out):
        out.extend(self._metrics)
        for layer in self._sublayers:
            if type(layer).metrics is Layer.metrics:
                layer._collect_metrics(out)
            else:  # a sublayer that lists its own (a nested model, or an override)
                out.extend(layer.metrics)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._sublayers:
            layer.trainable = value

    def _own_weights(self):
        """This layer's own weights in Keras's order: those created trainable, then the others."""
        return [w for w in self._weights if w.trainable] + [w for w in self._weights if not w.trainable]

    def _weight_layers(self):
        """The sublayers whose weights follow this layer's own, in Keras's order (models may override)."""
        return self._sublayers

    def _weights_by_owner(self):
        """`(weight, owner)` pairs, layer by layer as Keras lists them: the layer's own weights, then each
        sublayer's (depth first), every weight once, at its first place."""
        out, seen = [], set()
        self._collect_weights(out, seen)
        return out

    def _collect_weights(self, out, seen):
        for w in self._own_weights():
            if id(w) not in seen:
                seen.add(id(w))
                out.append((w, self))
        for layer in self._weight_layers():
            layer._collect_weights(out, seen)

    @property
    def weights(self):
        """All weights, layer by layer (Keras 3's order): this layer's own weights (trainable ones first),
        then each sublayer's in turn. `get_weights` and `set_weights` use this order."""
        return [w for w, _ in self._weights_by_owner()]

    @property
    def trainable_weights(self):
        """The weights the optimizer updates, in the order of `weights`.

        As in Keras, a weight counts when it was created trainable and the layer
        that owns it is trainable; a frozen layer lists none.
        """
        if not self.trainable:
            return []
        return [w for w, owner in self._weights_by_owner() if w.trainable and owner.trainable]

    @property
    def non_trainable_weights(self):
        """The other weights (moving statistics, frozen layers' weights), in the order of `weights`."""
        if not self.trainable:
            return self.weights
        return [w for w, owner in self._weights_by_owner() if not (w.trainable and owner.trainable)]

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        return self.non_trainable_weights

    @property
    def variables(self):
        return self.weights

    @property
    def losses(self):
        """The losses of the last call (activity penalties, then `add_loss` terms), each sublayer's, then
        weight penalties."""
        out = list(self._activity_losses) + list(self._losses)
        for layer in self._sublayers:
            out.extend(layer.losses)
        out.extend(w.regularizer(w) for w in self._weights if w.regularizer is not None)
        return out

    def get_weights(self):
        """Returns the weights' values as a list of NumPy arrays (copies)."""
        return [np.array(to_host(w.data)) for w in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays, in the order of `get_weights()`."""
        params = self.weights
        if len(weights) != len(params):
            raise ValueError(
                f"Layer {self.name!r} expects {len(params)} weight arrays, but set_weights() received "
                f"{len(weights)}. Pass a list shaped like layer.get_weights().")
        values = [to_host(value) for value in weights]
        for w, value in zip(params, values):  # every array is checked before any is assigned
            if value.shape != w.shape:
                raise ValueError(
                    f"Layer {self.name!r} weight {w.name!r} has shape {w.shape}, but set_weights() received "
                    f"an array of shape {value.shape}. Pass arrays shaped like layer.get_weights().")
            if value.dtype.kind not in "biuf":
                raise ValueError(
                    f"Layer {self.name!r} weight {w.name!r} holds numbers, but set_weights() received an array "
                    f"of dtype {value.dtype}. Pass numeric arrays, e.g. np.asarray(value, dtype='float32').")
        for w, value in zip(params, values):
            w.assign(value)

    def count_params(self):
        """Returns the number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call count_params on layer {self.name!r}, but the layer isn't built. "
                "Build it first, e.g. by calling it on a batch or by giving the model an input shape.")
        return int(sum(int(np.prod(w.shape)) for w in self.weights))

    # -- config ---------------------------------------------------------------
    def get_config(self):
        """Returns the constructor arguments as a dict (enough to rebuild the layer)."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_policy.name}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _positional_weight_arguments(args, shape, initializer, dtype):
    """Keras's `add_weight(shape, initializer, dtype)` by position; a name must come by keyword."""
    if len(args) > 3:
        raise TypeError(f"add_weight() takes at most 3 positional arguments (shape, initializer, dtype) but "
                        f"{len(args)} were given. Pass the others by keyword.")
    if args and isinstance(args[0], str):
        raise ValueError(f"add_weight(): pass the name by keyword: add_weight(shape=..., name={args[0]!r}). "
                         f"Received: add_weight({args[0]!r}, ...).")
    given = {"shape": shape, "initializer": initializer, "dtype": dtype}
    for key, value in zip(given, args):
        if given[key] is not None:
            raise ValueError(f"add_weight(): {key} was passed both by position and by keyword.")
        given[key] = value
    return given["shape"], given["initializer"], given["dtype"]


def _concrete(shape):
    return tuple(1 if d is None else d for d in shape)


def _unique(weights):
    seen, out = set(), []
    for w in weights:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out


def _shape_of(inputs):
    if isinstance(inputs, (list, tuple)):
        return [_shape_of(x) for x in inputs]
    if isinstance(inputs, dict):
        return {k: _shape_of(v) for k, v in inputs.items()}
    return inputs.shape


def _as_shape(shape, arg, layer):
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape),)
    dims = None if isinstance(shape, (str, bytes)) else _dims(shape)
    if dims is None or any(d is not None and d < 0 for d in dims):
        raise ValueError(f"Layer {type(layer).__name__}: {arg} must be a tuple of non-negative integers (None for "
                         f"a size not known in advance), e.g. {arg}=(784,). Received: {arg}={shape!r}.")
    return dims


def _dims(shape):
    """The dimensions of `shape` as ints, or None if one is not an integer (2.5, '3', True)."""
    try:
        dims = tuple(shape)
    except TypeError:
        return None
    if not all(d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool)) for d in dims):
        return None
    return tuple(None if d is None else int(d) for d in dims)


def _suggest_arguments(cls, kwargs):
    """' Did you mean ...?' for misspelled keyword arguments, from the signatures of `cls` and its bases."""
    import difflib
    valid = {name for klass in cls.__mro__ if "__init__" in vars(klass)
             for name in inspect.signature(klass.__init__).parameters if name not in ("self", "args", "kwargs")}
    valid |= {"input_shape", "input_dim", "batch_size", "batch_input_shape"}
    hints = [f"{name!r} -> {close[0]!r}" for name in sorted(kwargs)
             for close in [difflib.get_close_matches(name, valid, n=1)] if close]
    return f" Did you mean: {', '.join(hints)}?" if hints else " Remove it or check the spelling."


wrap_constructor(Layer)  # the base class's own arguments (name, dtype, ...) too
