"""Optimizer: the base class that turns gradients into in-place variable updates.

A step (`apply` / `apply_gradients`) drops None gradients, casts the rest to
their variable's dtype, unscales, clips, applies weight decay, calls the
subclass's `update_step` once per variable, projects constrained variables
and finally increments `iterations`. Subclasses create their per-variable
state ("slots") in `build`, which runs on the first step.

`update_step` receives NumPy arrays and updates `variable.data` in place
with `out=` arguments. The built-in optimizers walk each variable in
cache-sized pieces with preallocated scratch buffers (`self._chunker`, see
`optimizers/chunking.py`): a step allocates no arrays of the weights' size.

Overflow: squares and sums of squares saturate at the dtype's largest
finite value instead of going inf, then NaN (`optimizers/saturating.py`).

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> v = numkeras.Variable([1.0, 2.0])
    >>> opt = optimizers.SGD(learning_rate=0.5)
    >>> _ = opt.apply_gradients([(np.array([1.0, 1.0], "float32"), v)])
    >>> v.numpy(), int(opt.iterations.numpy())
    (array([0.5, 1.5], dtype=float32), 1)
"""
import collections
import re
import warnings

import numpy as np

from numkeras.backend import floatx, xp
from numkeras.backend.denormals import flush_denormals
from numkeras.engine.tensor import unwrap
from numkeras.engine.variable import Variable
from numkeras.optimizers import schedules
from numkeras.optimizers.chunking import Chunker
from numkeras.optimizers.hyperparameters import check_bool, check_number
from numkeras.optimizers.schedules import LearningRateSchedule
from numkeras.utils.keras2_idioms import note as keras2_note

_NAME_UIDS = collections.Counter()


def _auto_name(cls_name):
    """Keras's naming: snake_case of the class name, then `_1`, `_2`, ... for repeats."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", cls_name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    uid = _NAME_UIDS[name]
    _NAME_UIDS[name] += 1
    return f"{name}_{uid}" if uid else name


class Optimizer:
    """Base class for optimizers.

    Subclasses override `build(variables)` (call `super().build` first, then
    create slots with `add_variable_from_reference`), `update_step(gradient,
    variable, learning_rate)` and `get_config`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` (evaluated at
            `iterations` each step) or a callable that takes no arguments and
            returns the rate. Settable later through the `learning_rate` property.
        weight_decay: if set, each step first shrinks every variable by
            `variable * weight_decay * learning_rate`.
        clipnorm: if set, each gradient is clipped to this L2 norm.
        clipvalue: if set, each gradient is clipped to [-clipvalue, clipvalue].
        global_clipnorm: if set, all gradients are scaled together so that
            their joint L2 norm is at most this value.
        use_ema: if True, keep an exponential moving average of the weights.
            Defaults to False.
        ema_momentum: the EMA's momentum. Defaults to 0.99.
        ema_overwrite_frequency: if set, overwrite the weights with their EMA
            every this many steps; otherwise only `finalize_variable_values`
            does (`fit` calls it at the end).
        loss_scale_factor: if set, gradients are divided by it before use.
        gradient_accumulation_steps: if set (an int >= 2), variables are
            updated every this many steps with the mean of the gradients.
        name: the optimizer's name. Defaults to the snake_case class name.
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        cls = type(self).__name__
        learning_rate = _keras2_learning_rate(cls, learning_rate, kwargs)
        if kwargs:
            raise ValueError(f"{cls}: argument(s) not recognized: {kwargs}.")
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                f"{cls}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}.")
        if gradient_accumulation_steps is not None and not (
                isinstance(gradient_accumulation_steps, int) and gradient_accumulation_steps >= 2):
            raise ValueError(f"{cls}: `gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps={gradient_accumulation_steps!r}.")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{cls}: `name` must be a string or None. Received: name={name!r} "
                            f"(of type {type(name).__name__}). Pass e.g. name='my_optimizer'.")
        check_number(cls, "weight_decay", weight_decay, low=0, usual="0.004", allow_none=True)
        for clip, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
            check_number(cls, clip, value, low=0, low_open=True, usual="1.0", allow_none=True)
        check_bool(cls, "use_ema", use_ema)
        check_number(cls, "ema_momentum", ema_momentum, low=0, high=1, usual="0.99")
        check_number(cls, "loss_scale_factor", loss_scale_factor, low=0, low_open=True, usual="None",
                     allow_none=True)
        if ema_overwrite_frequency is not None and (isinstance(ema_overwrite_frequency, bool) or not isinstance(
                ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
            raise ValueError(f"{cls}: `ema_overwrite_frequency` must be a positive integer or None. "
                             f"Received: ema_overwrite_frequency={ema_overwrite_frequency!r}. "
                             "Pass e.g. ema_overwrite_frequency=100, or None to overwrite only at the end of fit.")
        self.name = name or _auto_name(cls)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._index = {}  # id(variable) -> position in _trainable_variables
        self._chunker = Chunker()  # the pieces update_step walks, and their scratch buffers
        self._exclude_ids, self._exclude_pattern, self._decay_cache = set(), None, {}
        # Keras lists these two first in `variables` (model.summary counts them as optimizer params);
        # a schedule or a callable learning rate has no variable.
        self._iterations = self.add_variable((), dtype="int64", name="iteration")
        self._learning_rate = None
        self.learning_rate = learning_rate

    # -- state ----------------------------------------------------------------
    @property
    def iterations(self):
        """The number of steps taken, an int64 Variable (updates, when accumulating gradients)."""
        if self.gradient_accumulation_steps:
            return Variable(int(self._iterations.data) // self.gradient_accumulation_steps,
                            dtype="int64", trainable=False, name="iteration")
        return self._iterations

    @property
    def learning_rate(self):
        """The current learning rate as a Python float; assign a float, a schedule or a callable to change it.

        With a `LearningRateSchedule`, this is the schedule's value at `iterations`.
        """
        rate = self._learning_rate
        if isinstance(rate, LearningRateSchedule):
            return float(rate(self._iterations))
        if isinstance(rate, Variable):
            return float(rate.data)
        return float(rate())

    @learning_rate.setter
    def learning_rate(self, value):
        value = unwrap(value)
        if isinstance(value, LearningRateSchedule) or callable(value):
            if isinstance(self._learning_rate, Variable):  # Keras untracks the replaced variable
                self._variables.remove(self._learning_rate)
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                "constructor argument, hence its learning rate is not settable. If you need the learning rate "
                "to be settable, you should instantiate the optimizer with a float `learning_rate` argument.")
        if not isinstance(value, (bool, str)) and np.ndim(value) == 0:
            try:
                value = float(value)
            except (TypeError, ValueError):
                pass
            else:
                check_number(type(self).__name__, "learning_rate", value, low=0, usual="0.001")
                if not isinstance(self._learning_rate, Variable):
                    self._learning_rate = self.add_variable((), dtype=floatx(), name="learning_rate")
                self._learning_rate.data[...] = value
                return
        raise ValueError(f"{type(self).__name__}: `learning_rate` should be a float, a "
                         f"`LearningRateSchedule` instance, or a callable that takes no arguments. "
                         f"Received: learning_rate={value!r}.")

    @property
    def variables(self):
        """All optimizer state: iteration, learning rate, then the slots, in creation order."""
        return self._variables[:]

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        """Creates a non-trainable state Variable tracked in `variables`."""
        from numkeras import initializers
        variable = Variable(initializers.get(initializer), shape=tuple(shape), dtype=dtype or floatx(),
                            trainable=False, name=name)
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Creates a state Variable shaped like `reference_variable`, named after it."""
        prefix = getattr(reference_variable, "path", None) or getattr(reference_variable, "name", "variable")
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype,
                                 name=f"{prefix.replace('/', '_')}_{name or 'var'}")

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable for each name in `name` (a string or a list, interleaved as Keras does).

        `initializer` is one initializer for all names, or a list with one per name.
        """
        names = [name] if isinstance(name, str) else list(name)
        inits = list(initializer) if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for i, n in enumerate(names):
                slots[i].append(self.add_variable_from_reference(variable, n, inits[i]))
        return slots[0] if isinstance(name, str) else slots

    def build(self, variables):
        """Records the variables to train and creates base state; subclasses add their slots."""
        variables = list(variables)
        if self.use_ema:
            self._averages = self.add_optimizer_variables(variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulators = self.add_optimizer_variables(variables, "gradient_accumulator")
        self._trainable_variables = variables
        self._index = {id(v): i for i, v in enumerate(variables)}
        self.built = True

    def _get_variable_index(self, variable):
        return self._index[id(variable)]

    # -- a step ---------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies one step from `(gradient, variable)` pairs. Returns `iterations`."""
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs)
            self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Applies one step of `grads` to `trainable_variables` (or to the variables built on).

        Gradients may be Tensors, NumPy arrays or None (that variable is skipped).
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{type(self).__name__}.apply(): when passing `grads` without variables, the optimizer "
                    "must already be built. Call `optimizer.build(trainable_variables)` first, or pass "
                    "`trainable_variables`.")
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
            self._check_known(variables)
        if len(grads) != len(variables):
            raise ValueError(f"{type(self).__name__}.apply(): received {len(grads)} gradients for "
                             f"{len(variables)} variables. Pass one gradient (or None) per variable.")
        with flush_denormals():
            self._apply(grads, variables)

    def _apply(self, grads, variables):
        grads, variables = self._filter_empty_gradients(grads, variables)
        if any(v.overwrite_with_gradient for v in variables):
            grads, variables = self._overwrite_with_gradients(grads, variables)
        if self.loss_scale_factor is not None:
            grads = [g / g.dtype.type(self.loss_scale_factor) for g in grads]
        if self.gradient_accumulation_steps:
            self._accumulate_and_maybe_update(grads, variables)
        else:
            self._update(grads, variables)
        if self.use_ema:
            self._update_moving_averages()
        self._iterations.data += 1

    @staticmethod
    def _overwrite_with_gradients(grads, variables):
        """Sets each `overwrite_with_gradient` variable to its gradient; returns the other pairs."""
        kept_g, kept_v = [], []
        for g, v in zip(grads, variables):
            if v.overwrite_with_gradient:
                v.assign(g)
            else:
                kept_g.append(g)
                kept_v.append(v)
        return kept_g, kept_v

    def _update(self, grads, variables):
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables)
        learning_rate = self.learning_rate
        for gradient, variable in zip(grads, variables):
            self.update_step(gradient, variable, learning_rate)
        for variable in variables:
            if variable.constraint is not None:
                variable.assign(variable.constraint(variable))

    def assign(self, variable, value):
        """Sets `variable` to `value` (Keras's hook for custom `update_step`s)."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Adds `value` to `variable` in place."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """Subtracts `value` from `variable` in place."""
        variable.assign_sub(value)

    def update_step(self, gradient, variable, learning_rate):
        """Updates `variable` in place from `gradient` (an ndarray of its dtype and shape)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step`.")

    def _check_known(self, variables):
        for v in variables:
            if id(v) not in self._index:
                raise ValueError(
                    f"Unknown variable: {getattr(v, 'path', v)!r}. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of variables, "
                    "create a new optimizer instance.")

    def _filter_empty_gradients(self, grads, variables):
        kept_g, kept_v, missing = [], [], []
        for g, v in zip(grads, variables):
            if g is None:
                missing.append(getattr(v, "path", getattr(v, "name", repr(v))))
                continue
            kept_g.append(self._as_array(g, v))
            kept_v.append(v)
        if not kept_g:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. "
                          "If using `model.compile()`, did you forget to provide a `loss` argument?",
                          stacklevel=3)
        return kept_g, kept_v

    @staticmethod
    def _as_array(gradient, variable):
        """The gradient as an ndarray of the variable's dtype and shape (no copy when it already is)."""
        target = variable.data.dtype
        g = unwrap(gradient)
        if not isinstance(g, xp.ndarray) or g.dtype != target:
            g = xp.asarray(g, dtype=target)
        if g.shape != variable.data.shape:
            if g.size != variable.data.size:
                raise ValueError(
                    f"The gradient for variable {getattr(variable, 'path', '')!r} has shape {g.shape}, but the "
                    f"variable has shape {variable.data.shape}. Pass gradients in the same order as the "
                    "variables, each shaped like its variable.")
            g = g.reshape(variable.data.shape)
        return g

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            out = []
            for g in grads:
                norm = float(xp.sqrt(xp.sum(xp.square(g, dtype=xp.float64))))
                out.append(g * g.dtype.type(self.clipnorm / max(norm, self.clipnorm)))
            return out
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = float(xp.sqrt(sum(xp.sum(xp.square(g, dtype=xp.float64)) for g in grads)))
            scale = self.global_clipnorm / max(norm, self.global_clipnorm) if np.isfinite(norm) else np.nan
            return [g * g.dtype.type(scale) for g in grads]
        if self.clipvalue and self.clipvalue > 0:
            return [xp.clip(g, -g.dtype.type(self.clipvalue), g.dtype.type(self.clipvalue)) for g in grads]
        return grads

    # -- weight decay ---------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables (by object, or by a name containing any of `var_names`) from weight decay.

        Must be called before the optimizer is built.
        """
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(map(re.escape, var_names))) if var_names else None
        self._decay_cache = {}

    def _use_weight_decay(self, variable):
        key = id(variable)
        if key not in self._decay_cache:
            excluded = key in self._exclude_ids or (
                self._exclude_pattern is not None and self._exclude_pattern.search(variable.name) is not None)
            self._decay_cache[key] = not excluded
        return self._decay_cache[key]

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        learning_rate = self.learning_rate
        for variable in variables:
            if self._use_weight_decay(variable):
                factor = variable.data.dtype.type(self.weight_decay * learning_rate)
                for _, w, tmp in self._chunker.chunks(variable.data, variable.data):
                    xp.multiply(w, factor, out=tmp)
                    w -= tmp

    # -- gradient accumulation and EMA ----------------------------------------
    def _accumulate_and_maybe_update(self, grads, variables):
        accumulators = [self._accumulators[self._index[id(v)]].data for v in variables]
        if (int(self._iterations.data) + 1) % self.gradient_accumulation_steps:
            for g, acc in zip(grads, accumulators):
                acc += g
            return
        steps = self.gradient_accumulation_steps
        self._update([(g + acc) / g.dtype.type(steps) for g, acc in zip(grads, accumulators)], variables)
        for acc in accumulators:
            acc[...] = 0

    def _update_moving_averages(self):
        first = int(self.iterations.data) == 0
        for variable, average in zip(self._trainable_variables, self._averages):
            momentum = 0.0 if first else self.ema_momentum
            average.data[...] = momentum * average.data + (1 - momentum) * variable.data
        freq = self.ema_overwrite_frequency
        if freq and (int(self.iterations.data) + 1) % freq == 0:
            self.finalize_variable_values(self._trainable_variables)

    def finalize_variable_values(self, var_list):
        """With `use_ema`, overwrites the variables with their moving averages (`fit` calls this at the end)."""
        if self.use_ema:
            for variable, average in zip(var_list, self._averages):
                variable.assign(average)

    # -- serialization ---------------------------------------------------------
    def get_config(self):
        """Returns the constructor arguments as a dict (state is not included).

        A schedule is stored serialized (a dict); a callable learning rate is stored as is.
        """
        rate = self._learning_rate
        if isinstance(rate, LearningRateSchedule):
            rate = schedules.serialize(rate)
        elif isinstance(rate, Variable):
            rate = float(rate.data)
        return {"name": self.name, "learning_rate": rate, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from `get_config()`'s output (a serialized schedule is rebuilt)."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, learning_rate={self.learning_rate:g}>"


def _keras2_learning_rate(cls, learning_rate, kwargs):
    """Keras 2's `lr=` and `decay=` (the 1st edition writes `RMSprop(lr=1e-4)`), run as Keras 2 ran them.

    `lr` is the learning rate; `decay` made it `lr / (1 + decay * iterations)`, which is Keras 3's
    `InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`. Each spelling is noted once per process.
    """
    if "lr" in kwargs:
        learning_rate = kwargs.pop("lr")
        keras2_note("optimizer-lr", f"{cls}(lr=...) is Keras 2's spelling; Keras 3 writes "
                                           f"{cls}(learning_rate={learning_rate!r}). numkeras runs it as written.", 5)
    decay = kwargs.pop("decay", None)
    if decay:
        if callable(learning_rate):
            raise ValueError(f"{cls}: Keras 2's `decay` and a learning-rate schedule cannot be combined. Received: "
                             f"decay={decay!r}, learning_rate={learning_rate!r}. Put the decay in the schedule.")
        keras2_note("optimizer-decay", f"{cls}(decay=...) is Keras 2's spelling; Keras 3 writes "
                                              f"learning_rate=keras.optimizers.schedules.InverseTimeDecay("
                                              f"{learning_rate!r}, decay_steps=1, decay_rate={decay!r}).", 5)
        learning_rate = schedules.InverseTimeDecay(learning_rate, decay_steps=1, decay_rate=decay)
    return learning_rate
