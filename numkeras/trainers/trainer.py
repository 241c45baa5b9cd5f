"""The Trainer: compile, fit, evaluate and predict, mixed into every Model.

A training step is the one a user would write by hand:

    with GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    optimizer.apply(tape.gradient(loss, model.trainable_weights), model.trainable_weights)

so `fit` and a hand-written loop give the same weights for the same seed.
`train_step(data)` and `test_step(data)` can be overridden the Keras 3 way;
`data` is `(x, y, sample_weight)` for one batch.
"""
import numbers
import sys
import warnings

import numpy as np

from numkeras import backend as _backend
from numkeras.backend import errstate as _errstate
from numkeras.engine.reduction_ops import sum as reduce_sum
from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor
from numkeras import config
from numkeras.backend.denormals import flush_denormals
from numkeras.layers.layer import Layer, metric_attributes_used
from numkeras.trainers import data_adapters, data_checks, data_warnings, step_guard
from numkeras.trainers.array_iterator import ArrayEpochIterator, take
from numkeras.trainers.compile_utils import CompiledObjectives
from numkeras.trainers.keras2_methods import Keras2TrainerMethods
from numkeras.utils.tree import flatten, is_shape, map_structure, pack_sequence_as


class Trainer(Keras2TrainerMethods):
    """compile/fit/evaluate/predict for a Model."""

    compiled = False
    optimizer = None
    loss = None
    stop_training = False
    history = None
    _objectives = None
    _trained_weights = None
    _nan_check = False  # set by fit from numkeras.config
    _step_position = (0, 0)  # (epoch, step) of the running fit, for error messages
    steps_per_execution = 1
    run_eagerly = False  # what compile() was told; numkeras always runs eagerly
    jit_compile = False  # numkeras compiles no graph (Keras resolves "auto" to its backend's JIT)

    # -- compile --------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training.

        Args:
            optimizer: name or instance. Defaults to "rmsprop".
            loss: name, function or Loss instance; for several outputs, a list
                or a dict keyed by output name.
            loss_weights: optional per-output weights of the total loss.
            metrics: list of metric names, functions or Metric instances (a
                list of lists or a dict keyed by output name for several outputs).
                They count every sample alike, whatever the sample weights.
            weighted_metrics: metrics like `metrics`, but weighted by the
                `sample_weight` (or `class_weight`) given to fit/evaluate.
            steps_per_execution: the batches each call of the batch callbacks
                covers, as in Keras 3, where that many steps run at once: the
                callbacks hear of steps `(begin, begin + n - 1)`. Training is the
                same batch by batch. Defaults to 1.
        """
        from numkeras import metrics as metrics_module, optimizers
        from numkeras.losses.registry import get_loss
        # Everything is checked and built into locals first: a compile that fails leaves the model as it
        # was (its previous optimizer, loss and metrics), still able to train.
        _check_loss_weights(loss, loss_weights)
        if not data_checks.is_positive_int(steps_per_execution):
            raise ValueError(f"compile(): steps_per_execution must be a positive integer (the batches each callback "
                             f"call covers). Received: steps_per_execution={steps_per_execution!r}.")
        new_optimizer = optimizers.get(optimizer)
        for spec in flatten(loss):  # unknown names fail here, not at the first batch
            if spec is not None:
                get_loss(spec)
        for argument, given in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if given is not None and not isinstance(given, (list, tuple, dict)):
                raise TypeError(f"compile(): {argument} must be a list, e.g. {argument}=['accuracy']. Received: "
                                f"{argument}={given!r}.")
            for m in flatten(given or []):  # unknown names fail here, not at the first batch
                if isinstance(m, str) and m.lower() not in ("accuracy", "acc", "crossentropy", "ce"):
                    metrics_module.get(m)
        objectives = CompiledObjectives(self, loss, loss_weights, metrics, weighted_metrics)
        count = _known_output_count(self)
        if count:  # spreading the arguments over the outputs can fail: do it now, before the model changes
            objectives.build(count)
        loss_tracker = metrics_module.Mean(name="loss")
        # From here on nothing can fail.
        self.optimizer = new_optimizer
        self.loss = loss
        self._objectives = objectives
        self.__dict__["_loss_tracker"] = loss_tracker  # not one of the model's own metrics
        self._trained_weights = None  # taken at the first step: `trainable` changes count from the next compile
        self.compiled = True
        self.stop_training = False
        self.steps_per_execution = int(steps_per_execution)
        self.run_eagerly = bool(run_eagerly)

    @property
    def metrics(self):
        """Keras 3's order: the loss tracker, "compile_metrics" (every compiled metric; listed when compile() was
        given `metrics` or `weighted_metrics`), the per-output loss trackers (once a loss was computed), then the
        Metric objects assigned to the model's attributes, then its layers' (a nested model's are its own)."""
        out = []
        if self.compiled:
            objectives = self._objectives
            out.append(self._loss_tracker)
            if objectives.listed():
                out.append(objectives)
            out.extend(objectives.listed_loss_trackers())
        if metric_attributes_used[0]:  # else no layer holds a Metric: no walk
            out.extend(self.__dict__.get("_metrics", ()))
            for layer in self.__dict__.get("_sublayers", ()):
                if isinstance(layer, Trainer):  # a nested model keeps its own
                    continue
                if type(layer).metrics is Layer.metrics:
                    layer._collect_metrics(out)
                else:
                    out.extend(layer.metrics)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def _require_compiled(self, method):
        if not self.compiled:  # no loss is checked at the first step: add_loss() may bring the only one
            raise RuntimeError(
                f"You must call compile() before {method}(). For example: "
                "model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy']).")

    # -- steps ----------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss (summed over outputs with their weights) plus `model.losses` (regularization
        penalties and `add_loss` terms, each summed to a scalar), as Keras 3 computes it."""
        extra = self.losses
        if self.loss is None:
            self._loss_parts = ()
            if not extra:
                raise ValueError(f"Model {self.name!r} has no loss to compute: compile() was given no loss and no "
                                 "layer called add_loss(). Pass one to compile(), e.g. model.compile(optimizer="
                                 "'rmsprop', loss='categorical_crossentropy'), or add a loss in call() with "
                                 "self.add_loss(...).")
            return reduce_sum(_stack_scalars(extra))
        objectives = self._objectives
        if objectives.keys is None:
            objectives.build(len(flatten(y_pred)))
        loss, parts = objectives.total_loss(objectives.flat_labels(y), flatten(y_pred), sample_weight)
        # each output's loss as its value alone: a part kept as a Tensor would keep this step's whole graph
        # (every activation the backward holds) alive through the next step's forward
        self._loss_parts = tuple(None if part is None else part.data for part in parts)
        if extra:
            loss = loss + reduce_sum(_stack_scalars(extra))
        return loss

    def train_step(self, data):
        """One optimizer step on a batch `data = (x, y, sample_weight)`; returns the logs."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        if self._nan_check and not _backend.xp.isfinite(loss.data):
            raise step_guard.non_finite_loss_error(self, loss.data, x, *self._step_position)
        if self._trained_weights is None:
            self._trained_weights = self.trainable_weights
        weights = self._trained_weights
        dist = _distribution()
        grads = tape.gradient(loss, weights, on_ready=None if dist is None else dist.gradient_stream(weights))
        with step_guard.uninterruptible():  # Ctrl-C never leaves half-updated weights
            self.optimizer.apply(grads, weights)
        return self.compute_metrics(x, y, y_pred, sample_weight, loss=loss)

    def test_step(self, data):
        """Loss and metrics on a batch `data = (x, y, sample_weight)`; returns the logs."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        return self.compute_metrics(x, y, y_pred, sample_weight, loss=loss)

    def compute_metrics(self, x, y, y_pred, sample_weight=None, loss=None):
        """Updates the loss tracker and compiled metrics; returns their results."""
        if loss is not None:
            self._loss_tracker.update_state(float(loss.data), sample_weight=len(flatten(x)[0]))
        if self.loss is not None or self._objectives.metric_specs_given():
            self._objectives.update_state(y, y_pred, sample_weight, getattr(self, "_loss_parts", ()))
        return self.get_metrics_result()

    def get_metrics_result(self):
        """The current value of every metric in `metrics`, by name (compile_metrics unpacked) and sorted by name,
        as Keras 3 logs them."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = _log_value(result)
        return dict(sorted(logs.items()))

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    # -- data -----------------------------------------------------------------
    def _prepare(self, x, y, sample_weight, method):
        """Checks and converts one (x, y, sample_weight) triple; builds the model if needed."""
        x = _to_arrays(x, "x", method, _takes_strings(self))
        for leaf in flatten(x):
            data_checks.warn_if_unscaled_uint8(leaf, method)
        self._check_and_build(x, method)
        if y is None and self.loss is not None:
            raise ValueError(f"{method}() needs labels y. Received: y=None. Pass y=labels with one row per sample.")
        y = None if y is None else _to_arrays(y, "y", method)
        first = flatten(x)[0]
        for leaf in flatten(x)[1:]:
            data_checks.check_same_length(first, leaf, method, "another input")
        for leaf in flatten(y) if y is not None else ():
            data_checks.check_same_length(first, leaf, method)
        if sample_weight is not None:
            sample_weight = _sample_weights_as_arrays(sample_weight, method)
            for leaf in flatten(sample_weight):
                if leaf is not None:
                    data_checks.check_same_length(first, leaf, method, "sample_weight")
        if y is not None and self.loss is not None:
            self._check_labels(x, y, method)
            if isinstance(sample_weight, (dict, list)) and self._objectives.keys is not None:
                self._objectives.flat_sample_weights(sample_weight)  # a bad key or count fails before any step
        if method == "fit" and self.__dict__.pop("_warn_about_data", False):
            for leaf in flatten(x):
                data_warnings.warn_about_inputs(leaf, method)
            if y is not None and self.loss is not None and self._objectives.keys is not None:
                for labels, loss in zip(self._objectives.flat_labels(y), self._objectives.losses):
                    data_warnings.warn_about_labels(labels, loss, method)
        return x, y, sample_weight

    def _check_and_build(self, x, method):
        leaves = flatten(x)
        if len(leaves) == 1:
            data_checks.check_input_shape(leaves[0], getattr(self, "_batch_input_shape", None), self.name, method)
        if not self.built:
            self.build((None,) + tuple(leaves[0].shape[1:]) if len(leaves) == 1 else
                       map_structure(lambda a: (None,) + tuple(a.shape[1:]), x))

    def _check_labels(self, x, y, method=None):
        """Checks each output's labels against its loss and shape, before any step."""
        try:
            shapes = self.compute_output_shape(map_structure(lambda a: (None,) + tuple(a.shape[1:]), x)
                                               if len(flatten(x)) > 1 else (None,) + tuple(flatten(x)[0].shape[1:]))
        except (NotImplementedError, TypeError, ValueError):
            return
        shapes = [shapes] if is_shape(shapes) else list(shapes)
        objectives = self._objectives
        if objectives.keys is None:
            objectives.build(len(shapes))
        for labels, shape, loss in zip(objectives.flat_labels(y), shapes, objectives.losses):
            if labels is not None and loss is not None:
                data_checks.check_labels(labels, shape, loss, method)

    # -- data sources ---------------------------------------------------------
    def _batches(self, x, y, sample_weight, batch_size, method, shuffle=False, steps=None, class_weight=None):
        """An epoch iterator over arrays (checked here) or over a dataset/generator (checked per batch)."""
        batches = self._uncapped_batches(x, y, sample_weight, batch_size, method, shuffle, steps, class_weight)
        dist = _distribution()
        return _capped_steps(batches if dist is None else dist.shard(batches))

    def _uncapped_batches(self, x, y, sample_weight, batch_size, method, shuffle, steps, class_weight):
        if data_adapters.is_dataset(x):
            return data_adapters.EpochIterator(x, y, sample_weight, steps_per_epoch=steps, shuffle=shuffle,
                                               class_weight=class_weight, method=method)
        data = self._prepare(x, y, sample_weight, method) if method != "predict" else (
            self._prepare_inputs(x, method), None, None)
        if class_weight is not None:
            data = (data[0], data[1], data_adapters.weights_for_classes(*data[1:], class_weight, method))
        if steps is not None and not data_checks.is_positive_int(steps):
            name = {"fit": "steps_per_epoch", "fit (validation_data)": "validation_steps"}.get(method, "steps")
            raise ValueError(f"{method}(): {name} must be a positive integer or None. Received: {name}={steps!r}.")
        # no batch size with `steps`: Keras sizes the batches so that `steps` of them cover the data
        batch_size = None if batch_size is None and steps is not None else _check_batch_size(batch_size)
        return ArrayEpochIterator(data, batch_size, shuffle=shuffle, steps=steps)

    def _prepare_inputs(self, x, method):
        x = _to_arrays(x, "x", method, _takes_strings(self))
        self._require_built(method, x)
        return x

    # -- fit ------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None, sample_weight=None,
            initial_epoch=0, steps_per_epoch=None, validation_steps=None, validation_batch_size=None,
            validation_freq=1):
        """Trains the model for `epochs` epochs over (x, y) and returns a History.

        Args:
            x, y: input and label arrays with one row per sample (lists or
                dicts of arrays for several inputs or outputs); or x alone as
                a dataset, a generator or a `utils.PyDataset` of batches.
            batch_size: samples per step for arrays. Defaults to 32.
            epochs: number of epochs (counting from 0 up to `epochs`).
            verbose: "auto" (1), 0 (silent), 1 (progress bar) or 2 (one line per epoch).
            callbacks: list of `numkeras.callbacks.Callback`.
            validation_split: fraction of the data, taken from the end before
                shuffling, held out for validation (arrays only).
            validation_data: `(x_val, y_val)`, `(x_val, y_val, sample_weight)` or a dataset.
            shuffle: reshuffle the training data every epoch; "batch" shuffles
                the rows within each batch only. Defaults to True.
            class_weight: optional `{class: weight}` turned into sample weights.
            sample_weight: optional per-sample weights.
            initial_epoch: epoch to start from (for resuming).
            steps_per_epoch, validation_steps: batches per epoch (for arrays,
                an epoch goes on where the last stopped; without batch_size,
                the batches are sized so that this many cover the data).
            validation_freq: validate every that many epochs, or a list of
                the epochs (counted from 1) after which to validate.
        """
        from numkeras.callbacks import CallbackList, TerminateOnNaN
        self._require_compiled("fit")
        data_checks.check_fit_arguments(epochs=epochs, validation_split=validation_split,
                                        validation_freq=validation_freq, initial_epoch=initial_epoch)
        epochs = _capped_epochs(epochs)
        if class_weight is not None:
            data_checks.check_class_weight(class_weight, "fit")
        self.__dict__["_warn_about_data"] = True  # the soft warnings (data_warnings.py), once per fit
        if isinstance(validation_data, (tuple, list)) and validation_data and not validation_split:
            data_warnings.warn_if_validation_is_training(x, validation_data[0], "fit")
        if validation_split and validation_data is None:
            if data_adapters.is_dataset(x):
                raise ValueError("fit(): validation_split is only supported for arrays, not for a dataset or "
                                 "generator. Pass validation_data=... instead.")
            x, y, sample_weight = self._prepare(x, y, sample_weight, "fit")
            n = len(flatten(x)[0])
            split = int(n * (1 - validation_split))
            if split == 0 or split == n:
                raise ValueError(f"fit(): validation_split={validation_split} leaves an empty training or "
                                 f"validation set for {n} samples. Use more data or another split.")
            validation_data = take((x, y, sample_weight), slice(split, None))
            x, y, sample_weight = take((x, y, sample_weight), slice(0, split))
        train = self._batches(x, y, sample_weight, batch_size, "fit", shuffle, steps_per_epoch, class_weight)
        validation = None
        if validation_data is not None:
            val_args = (validation_data, None, None) if data_adapters.is_dataset(validation_data) else \
                _unpack_validation(validation_data)
            validation = self._batches(*val_args, validation_batch_size or batch_size, "fit (validation_data)",
                                       steps=validation_steps)

        verbose = 1 if verbose == "auto" else verbose
        dist = _distribution()
        if dist is not None:  # rank 0 alone prints and writes files
            callbacks, verbose = dist.rank_callbacks(callbacks, verbose)
        restore = self._restore_point()
        try:
            callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=epochs, steps=train.num_batches)
            self.stop_training = False
            # A TerminateOnNaN callback takes over non-finite losses the Keras way.
            self._nan_check = config.is_nan_check_enabled() and not any(
                isinstance(c, TerminateOnNaN) for c in callbacks.callbacks)
            callbacks.on_train_begin()
            # Diverging runs are reported by the NaN check, not numpy warnings; denormals flush to zero.
            with _errstate(all="ignore"), flush_denormals(), step_guard.interrupt_scope():
                if dist is not None:
                    dist.begin_fit(self)
                logs = self._train_epochs(train, validation, initial_epoch, epochs, validation_freq, callbacks)
        except BaseException as error:
            restore()  # undoes only a fit that failed before its first step (a later failure keeps the steps)
            if dist is not None and isinstance(error, Exception):  # one rank failing stops them all, naming it
                dist.fail(error, "in fit() at epoch %d, step %d" % self._step_position)
            raise
        finally:
            self._nan_check = False  # the check belongs to fit; train_on_batch keeps Keras's behaviour
            if dist is not None:
                dist.end_fit(self)
        callbacks.on_train_end(logs)
        return self.history

    def _train_epochs(self, train, validation, initial_epoch, epochs, validation_freq, callbacks):
        """The epoch loop of fit; returns the last epoch's logs."""
        checked = isinstance(train, ArrayEpochIterator)
        dist = _distribution()
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs, group = {}, _Executions(self.steps_per_execution)
            for step, batch in train:
                self._step_position = (epoch, step)
                if group.begins(step):
                    callbacks.on_train_batch_begin(step)
                data = batch if checked else self._prepare(*batch, "fit")
                if dist is None:
                    logs = self.train_step(_packed(data))
                else:  # this rank's share of the batch; gradients and metrics over all ranks
                    logs = dist.reduce_logs(self, self.train_step(_packed(data)) if dist.before_step(self, data)
                                            else dist.empty_step(self))
                if not group.ends(step):
                    continue
                callbacks.on_train_batch_end(group.last, logs)
                if self.stop_training if dist is None else dist.agree_stop(self.stop_training):
                    self.stop_training = True
                    break  # only ever after an execution ended: none is left open
            if group.open:  # the epoch ended inside an execution
                callbacks.on_train_batch_end(group.last, logs)
            if dist is not None:
                dist.end_epoch(self)
            epoch_logs = dict(logs)
            if validation is not None and _should_validate(epoch, validation_freq):
                epoch_logs.update({f"val_{k}": v for k, v in self._test_loop(validation, callbacks).items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training if dist is None else dist.agree_stop(self.stop_training):
                self.stop_training = True
                break
        return epoch_logs

    def _restore_point(self):
        """A function that puts back what a fit failing before its first step changed: `history`,
        `stop_training` and the metrics' state. After a step it does nothing: the steps taken stay."""
        optimizer = self.__dict__.get("optimizer")
        iterations = optimizer._iterations if optimizer is not None else None
        steps = int(iterations.data) if iterations is not None else None
        had_history, history = "history" in self.__dict__, self.__dict__.get("history")
        stop_training = self.stop_training
        state = [(v, v.data.copy()) for m in self.metrics for v in getattr(m, "variables", ())]

        def restore():
            if iterations is not None and int(iterations.data) != steps:
                return
            if had_history:
                self.__dict__["history"] = history
            else:
                self.__dict__.pop("history", None)
            self.stop_training = stop_training
            for variable, value in state:
                variable.data[...] = value
        return restore

    # -- evaluate -------------------------------------------------------------
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        """Returns the loss (a float) when no metrics are compiled, else [loss, *metrics].

        With `return_dict=True`, returns {name: value}. `x` may also be a
        dataset or generator of batches (then `steps` limits the batches).
        """
        from numkeras.callbacks import CallbackList
        self._require_compiled("evaluate")
        batches = self._batches(x, y, sample_weight, batch_size, "evaluate", steps=steps)
        verbose = 1 if verbose == "auto" else verbose
        dist = _distribution()
        if dist is not None:
            callbacks, verbose = dist.rank_callbacks(callbacks, verbose)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                 steps=batches.num_batches)
        logs = self._test_loop(batches, callbacks)
        logs = _opened(logs)
        return logs if return_dict else _flat_result(logs, self)

    def _test_loop(self, batches, callbacks):
        with flush_denormals():
            return self._test_batches(batches, callbacks)

    def _test_batches(self, batches, callbacks):
        checked = isinstance(batches, ArrayEpochIterator)
        if checked:  # each validation run starts from the first batch, as Keras's does
            batches.restart()
        self.reset_metrics()
        callbacks.on_test_begin()
        logs, group = {}, _Executions(self.steps_per_execution)
        dist = _distribution()
        for step, batch in batches:
            if group.begins(step):
                callbacks.on_test_batch_begin(step)
            data = batch if checked else self._prepare(*batch, "evaluate")
            if dist is None:
                logs = self.test_step(_packed(data))
            else:  # the metrics over all ranks' rows
                logs = dist.reduce_logs(self, self.test_step(_packed(data)) if dist.count_rows(data) else
                                        self.get_metrics_result())
            if group.ends(step):
                callbacks.on_test_batch_end(group.last, logs)
        if group.open:
            callbacks.on_test_batch_end(group.last, logs)
        callbacks.on_test_end(logs)
        return logs

    # -- predict --------------------------------------------------------------
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for `x` as NumPy arrays, computed in batches.

        `x` may be arrays, or a dataset or generator of batches (their labels are ignored).
        """
        if type(x) is np.ndarray and verbose == 0 and not callbacks and steps is None and x.ndim and (
                0 < len(x) <= _check_batch_size(batch_size)):  # serving one batch: no batching machinery
            x = data_checks.as_array(x, "x", "predict", _takes_strings(self))
            self._require_built("predict", x)
            return map_structure(_to_numpy, self(x, training=False))
        from numkeras.callbacks import CallbackList
        batches = self._batches(x, None, None, batch_size, "predict", steps=steps)
        verbose = 1 if verbose == "auto" else verbose
        checked = isinstance(batches, ArrayEpochIterator)
        dist = _distribution()
        if dist is not None:
            callbacks, verbose = dist.rank_callbacks(callbacks, verbose)
        elif checked and batches.rows <= batches.batch_size and not verbose and not callbacks:  # one batch of other inputs
            return map_structure(_to_numpy, self(batches.data[0], training=False))
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                 steps=batches.num_batches)
        callbacks.on_predict_begin()
        outputs, group = [], _Executions(self.steps_per_execution)
        for step, (bx, _, _) in batches:
            if group.begins(step):
                callbacks.on_predict_batch_begin(step)
            out = map_structure(_to_numpy, self(bx if checked else self._prepare_inputs(bx, "predict"),
                                                training=False))
            outputs.append(out)
            if group.ends(step):
                callbacks.on_predict_batch_end(group.last, {"outputs": group.outputs(outputs)})
        if group.open:
            callbacks.on_predict_batch_end(group.last, {"outputs": group.outputs(outputs)})
        callbacks.on_predict_end()
        if dist is not None:  # every rank's rows, in order
            outputs = dist.gather_predictions(outputs)
        if not outputs:
            raise ValueError("predict() received no data: the dataset or generator yielded no batch.")
        return _joined(outputs)

    def _require_built(self, method, x):
        if not self.built:
            raise ValueError(
                f"{method}() was called on model {self.name!r}, which was never built: it has no input shape "
                "and no weights yet, so its outputs would be meaningless. Train it with fit() first, or declare "
                "the input: give the first layer input_shape=..., start with layers.Input(shape=...), or call "
                "model.build(input_shape).")
        leaves = flatten(x)
        if len(leaves) == 1:
            data_checks.check_input_shape(leaves[0], getattr(self, "_batch_input_shape", None), self.name, method)

    # -- single batches -------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on one batch; returns the loss (and metrics) on that batch.

        `sample_weight` or `class_weight` (`{class: weight}`, single-output
        models) weigh the loss and the `weighted_metrics`, as in `fit`.
        """
        self._require_compiled("train_on_batch")
        data = self._prepare(x, y, sample_weight, "train_on_batch")
        if class_weight is not None:
            data_checks.check_class_weight(class_weight, "train_on_batch")
            data = (data[0], data[1], data_adapters.weights_for_classes(*data[1:], class_weight, "train_on_batch"))
        self.reset_metrics()
        logs = self.train_step(_packed(data))
        logs = _opened(logs)
        return logs if return_dict else _flat_result(logs, self)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates the model on one batch."""
        self._require_compiled("test_on_batch")
        data = self._prepare(x, y, sample_weight, "test_on_batch")
        self.reset_metrics()
        logs = self.test_step(_packed(data))
        logs = _opened(logs)
        return logs if return_dict else _flat_result(logs, self)

    def predict_on_batch(self, x):
        """Returns the model's outputs for one batch as NumPy arrays."""
        x = _to_arrays(x, "x", "predict_on_batch", _takes_strings(self))
        self._require_built("predict_on_batch", x)
        return map_structure(_to_numpy, self(x, training=False))


class _Executions:
    """Groups the steps of an epoch as Keras 3 runs them with `steps_per_execution=n`: the batch callbacks begin
    at the group's first step and end once per group, told its last step `begin + n - 1` (even when the data ran
    out before it), with the logs after the group's last batch."""

    def __init__(self, n):
        self.n, self.first, self.open = n, 0, False

    def begins(self, step):
        if step % self.n:
            return False
        self.first, self.open = step, True
        return True

    def ends(self, step):
        self.open = step - self.first + 1 < self.n
        return not self.open

    @property
    def last(self):
        return self.first + self.n - 1

    def outputs(self, outputs):
        """The predictions of the group's batches, joined (`outputs` holds one entry per step so far)."""
        return _joined(outputs[self.first:])


def _joined(batches):
    """Per-batch predictions (each an array or a structure of them) joined along the batch axis."""
    if len(batches) == 1:
        return batches[0]
    return pack_sequence_as(batches[0], [np.concatenate(c) for c in zip(*(flatten(b) for b in batches))])


def _distribution():
    """The data-parallel runtime when `numkeras.distribution.set_distribution` set one, else None. A program that
    never imported numkeras.distribution has none, and pays nothing for the question."""
    lib = sys.modules.get("numkeras.distribution.distribution_lib")
    return None if lib is None else lib.active()


def _to_arrays(data, arg, method, strings=False):
    """Checked arrays: a list or dict of arrays stays one (several inputs or outputs); anything else is one array.

    `strings`: the arrays may hold text (the inputs of a model that takes strings).
    """
    if isinstance(data, dict) or (isinstance(data, (list, tuple)) and data and all(
            isinstance(d, (np.ndarray, Tensor)) for d in data)):
        return map_structure(lambda a: data_checks.as_array(a, arg, method, strings), dict(data) if isinstance(
            data, dict) else list(data))
    return data_checks.as_array(data, arg, method, strings)


def _sample_weights_as_arrays(sample_weight, method):
    """One checked array, or a list/dict of them (None entries kept: that output goes unweighted)."""
    if isinstance(sample_weight, dict) or (isinstance(sample_weight, (list, tuple)) and sample_weight and all(
            isinstance(w, (np.ndarray, Tensor)) or w is None for w in sample_weight)):
        items = sample_weight.items() if isinstance(sample_weight, dict) else enumerate(sample_weight)
        checked = {k: None if w is None else data_checks.as_array(w, "sample_weight", method) for k, w in items}
        return checked if isinstance(sample_weight, dict) else list(checked.values())
    return data_checks.as_array(sample_weight, "sample_weight", method)


def _takes_strings(model):
    """Whether `model` reads text: a string Input, or a first layer that takes strings (TextVectorization)."""
    if getattr(model, "built", False):
        try:
            if any(getattr(t, "dtype", None) == "string" for t in flatten(model.inputs)):
                return True
        except (AttributeError, TypeError, ValueError):
            pass
    layers = getattr(model, "layers", None) or []
    return bool(layers) and getattr(layers[0], "_string_input", False)


def _packed(data):
    """A batch as Keras 3 hands it to train_step/test_step: `x` (or `(x,)` for several inputs) without
    labels, `(x, y)` without sample weights, else `(x, y, sample_weight)`."""
    if _backend.xp is not np:  # the batch moves to the device here, once per step
        data = map_structure(_to_device, data)
    x, y, sample_weight = data
    if sample_weight is not None:
        return data
    if y is not None:
        return x, y
    return (x,) if isinstance(x, (list, tuple)) else x


def _to_device(leaf):
    """A batch's numeric array on the backend's device; text and None stay where they are."""
    if leaf is None or isinstance(leaf, Tensor) or getattr(getattr(leaf, "dtype", None), "kind", "O") not in "biufc":
        return leaf
    return _backend.from_host(leaf)


def _opened(logs):
    """Logs with nested dicts (a custom step's `compile_metrics`) opened up, scalars as floats and keys sorted, as
    Keras returns them from evaluate, train_on_batch and test_on_batch."""
    out = {}
    for key, value in sorted(logs.items()):
        if isinstance(value, dict):
            out.update(_opened(value))
        else:
            out[key] = _log_value(value) if isinstance(value, (Tensor, np.ndarray, np.number)) else value
    return out


def _log_value(value):
    """A float for scalar results (Tensors and arrays alike); per-class results stay arrays, as Keras logs them."""
    value = _backend.to_host(value.data if isinstance(value, Tensor) else value)  # logs come back to the host
    return float(value) if value.size == 1 else value


def _to_numpy(t):
    return _backend.to_host(t.data if isinstance(t, Tensor) else t)


def _flat_result(logs, model):
    """The logs as a list in Keras 3's order; a float when only one.

    Keras lists the values of the names in `model.metrics` (compile_metrics
    read as its metrics' own names, which a model with several outputs never
    logs: it prefixes them), then every other key sorted. So one output gives
    [loss, *metrics in compile order], several give [loss, *per-output
    losses, *metrics sorted by name]. Keras lists a name twice when two
    compiled metrics share it; here each value comes once.
    """
    names = []
    for metric in model.metrics:
        names.extend(metric.keras_metric_names() if metric is model._objectives else [metric.name])
    names = [name for name in dict.fromkeys(names) if name in logs]
    values = [logs[name] for name in names] + [_log_value(logs[key]) for key in sorted(logs) if key not in names]
    return values[0] if len(values) == 1 else values


def _should_validate(epoch, validation_freq):
    """Whether fit validates after `epoch` (counted from 0): every `validation_freq` epochs, or after the epochs
    (counted from 1) that a list names, as Keras 3 reads it."""
    if isinstance(validation_freq, list):
        return epoch + 1 in validation_freq
    return (epoch + 1) % validation_freq == 0


def _check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if not data_checks.is_positive_int(batch_size):
        raise ValueError(f"batch_size must be a positive integer. Received: batch_size={batch_size!r}.")
    return int(batch_size)


def _unpack_validation(data):
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError("fit(): validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight). "
                         f"Received a {type(data).__name__} of length {len(data) if hasattr(data, '__len__') else '?'}.")
    return tuple(data) if len(data) == 3 else (data[0], data[1], None)


def _stack_scalars(values):
    """The losses as one vector: each a scalar, a non-scalar `add_loss` term summed first, as Keras does."""
    from numkeras.engine.math_ops import cast
    from numkeras.engine.shape_ops import stack
    out = []
    for v in values:
        v = v if isinstance(v, Tensor) else Tensor(np.asarray(v, dtype="float32"))
        if v.data.dtype.kind != "f":
            v = cast(v, "float32")
        out.append(reduce_sum(v) if v.ndim else v)
    if len({v.dtype for v in out}) > 1:
        out = [cast(v, "float32") for v in out]
    return stack(out)



def _capped_epochs(epochs):
    """`epochs` under `config.set_max_epochs`'s debugging limit, with a warning when it cuts."""
    limit = config.max_epochs()
    if limit is not None and limit < epochs:
        warnings.warn(f"Limiting epochs to {limit} (numkeras.config.set_max_epochs).", UserWarning, stacklevel=3)
        return limit
    return epochs


def _capped_steps(batches):
    """The epoch iterator `batches` cut to `config.set_max_steps_per_epoch`'s debugging limit (warns when it cuts)."""
    limit = config.max_steps_per_epoch()
    if limit is None:
        return batches
    if isinstance(batches, ArrayEpochIterator):
        if batches.num_batches <= limit:
            return batches
        batches.num_batches = limit
    else:
        known = batches.steps_per_epoch or batches._length()
        if known is not None and known <= limit:
            return batches
        batches.steps_per_epoch = limit
    warnings.warn(f"Limiting steps_per_epoch to {limit} (numkeras.config.set_max_steps_per_epoch).",
                  UserWarning, stacklevel=4)
    return batches


def _known_output_count(model):
    """The number of outputs when the model already knows it (functional, built Sequential), else None."""
    outputs = model.__dict__.get("_outputs_struct", None)
    if outputs is None:
        outputs = getattr(model, "outputs", None) if model.__dict__.get("built", False) else None
    try:
        return len(flatten(outputs)) if outputs is not None else None
    except Exception:  # a half-built model: the first batch will tell
        return None


def _check_loss_weights(loss, loss_weights):
    """`loss_weights` holds numbers; metric names there mean Keras 2's positional order was used."""
    if loss_weights is None:
        return
    values = list(loss_weights.values()) if isinstance(loss_weights, dict) else (
        list(loss_weights) if isinstance(loss_weights, (list, tuple)) else [loss_weights])
    bad = [w for w in values if w is not None and (isinstance(w, bool) or not isinstance(w, numbers.Real))]
    if not bad:
        return
    if any(isinstance(w, str) or callable(w) or isinstance(w, (list, tuple, dict)) for w in bad):
        raise TypeError(
            f"compile(): the third positional argument is `loss_weights` in Keras 3 (in Keras 2 it was "
            f"`metrics`). Received: loss_weights={loss_weights!r}, which looks like metrics. Pass them by name: "
            f"model.compile(optimizer=..., loss={loss!r}, metrics={loss_weights!r}).")
    raise TypeError(f"compile(): `loss_weights` must hold numbers (a float per output, a list or a dict keyed by "
                    f"output name). Received: loss_weights={loss_weights!r}. Pass e.g. loss_weights=[1.0, 0.5].")
