"""The Trainer: compile, fit, evaluate and predict, mixed into every Model.

A training step is the one a user would write by hand:

    with GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True)) + sum(model.losses)
    optimizer.apply(tape.gradient(loss, model.trainable_weights), model.trainable_weights)

so `fit` and a hand-written loop give the same weights for the same seed.
"""
import numpy as np

from numkeras.backend import random_generator
from numkeras.engine.reduction_ops import sum as reduce_sum
from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor
from numkeras.trainers import data_checks


class Trainer:
    """compile/fit/evaluate/predict for a Model."""

    compiled = False
    optimizer = None
    loss = None
    stop_training = False
    history = None

    # -- compile --------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training.

        Args:
            optimizer: name or instance. Defaults to "rmsprop".
            loss: name, function or Loss instance.
            metrics: list of metric names, functions or Metric instances.
        """
        from numkeras import losses, metrics as metrics_module, optimizers
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._loss_fn = losses.get_loss(loss) if loss is not None else None
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise TypeError(f"compile(): metrics must be a list, e.g. metrics=['accuracy']. Received: "
                            f"metrics={metrics!r}.")
        for m in metrics or []:  # unknown names fail here, not at the first batch
            if isinstance(m, str) and m.lower() not in ("accuracy", "acc", "crossentropy", "ce"):
                metrics_module.get(m)
        self._metric_specs = list(metrics or [])
        self._metrics = None  # resolved on the first batch, when label shapes are known
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.compiled = True
        self.stop_training = False

    def _resolve_metrics(self, y, y_pred):
        if self._metrics is None:
            from numkeras.metrics import get_metric
            self._metrics = [get_metric(m, y, y_pred) for m in self._metric_specs]

    @property
    def metrics(self):
        """The loss tracker, then the compiled metrics (once they are resolved)."""
        if not self.compiled:
            return []
        return [self._loss_tracker] + list(self._metrics or [])

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def _require_compiled(self, method):
        if not self.compiled or self._loss_fn is None:
            what = "compile()" if not self.compiled else "compile() with a loss"
            raise RuntimeError(
                f"You must call {what} before {method}(). For example: "
                "model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy']).")

    # -- steps ----------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus the model's regularization losses."""
        loss = self._loss_fn(y, y_pred, sample_weight=sample_weight)
        extra = self.losses
        if extra:
            loss = loss + reduce_sum(_stack_scalars(extra))
        return loss

    def train_step(self, x, y, sample_weight=None):
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        weights = self.trainable_weights
        self.optimizer.apply(tape.gradient(loss, weights), weights)
        return self._update_metrics(loss, y, y_pred, sample_weight, len(x))

    def test_step(self, x, y, sample_weight=None):
        y_pred = self(x, training=False)
        loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        return self._update_metrics(loss, y, y_pred, sample_weight, len(x))

    def _update_metrics(self, loss, y, y_pred, sample_weight, batch_size):
        self._loss_tracker.update_state(float(loss.data), sample_weight=batch_size)
        self._resolve_metrics(y, y_pred)
        for metric in self._metrics:
            metric.update_state(y, y_pred.data, sample_weight=sample_weight)
        return self._logs()

    def _logs(self):
        logs = {m.name: float(m.result()) for m in self._metrics or []}
        logs["loss"] = float(self._loss_tracker.result())
        return logs

    def _reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    # -- data -----------------------------------------------------------------
    def _prepare(self, x, y, sample_weight, method):
        x = data_checks.as_array(x, "x", method)
        data_checks.warn_if_unscaled_uint8(x, method)
        self._check_and_build(x, method)
        if y is None:
            raise ValueError(f"{method}() needs labels y. Received: y=None. Pass y=labels with one row per sample.")
        y = data_checks.as_array(y, "y", method)
        data_checks.check_same_length(x, y, method)
        if sample_weight is not None:
            sample_weight = data_checks.as_array(sample_weight, "sample_weight", method)
            data_checks.check_same_length(x, sample_weight, method, "sample_weight")
        output_shape = self._output_shape_for(x)
        if output_shape is not None:
            data_checks.check_labels(y, output_shape, self._loss_fn)
        return x, y, sample_weight

    def _check_and_build(self, x, method):
        expected = getattr(self, "_batch_input_shape", None)
        data_checks.check_input_shape(x, expected, self.name, method)
        if not self.built:
            self.build((None,) + tuple(x.shape[1:]))

    def _output_shape_for(self, x):
        try:
            return self.compute_output_shape((None,) + tuple(x.shape[1:]))
        except (NotImplementedError, TypeError):
            return None

    # -- fit ------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None, sample_weight=None,
            initial_epoch=0, steps_per_epoch=None, validation_steps=None, validation_batch_size=None,
            validation_freq=1):
        """Trains the model for `epochs` epochs over (x, y) and returns a History.

        Args:
            x, y: input and label arrays with one row per sample.
            batch_size: samples per step. Defaults to 32.
            epochs: number of epochs (counting from 0 up to `epochs`).
            verbose: "auto" (1), 0 (silent), 1 (progress bar) or 2 (one line per epoch).
            callbacks: list of `numkeras.callbacks.Callback`.
            validation_split: fraction of the data, taken from the end before
                shuffling, held out for validation.
            validation_data: `(x_val, y_val)` or `(x_val, y_val, sample_weight)`.
            shuffle: reshuffle the training data every epoch. Defaults to True.
            sample_weight: optional per-sample weights.
            initial_epoch: epoch to start from (for resuming).
        """
        from numkeras.callbacks import CallbackList
        self._require_compiled("fit")
        batch_size = _check_batch_size(batch_size)
        if not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"fit(): epochs must be a non-negative integer. Received: epochs={epochs!r}.")
        if not 0 <= validation_split < 1:
            raise ValueError(f"fit(): validation_split must be in [0, 1). Received: "
                             f"validation_split={validation_split!r}.")
        x, y, sample_weight = self._prepare(x, y, sample_weight, "fit")
        if validation_split and validation_data is None:
            split = int(len(x) * (1 - validation_split))
            if split == 0 or split == len(x):
                raise ValueError(f"fit(): validation_split={validation_split} leaves an empty training or "
                                 f"validation set for {len(x)} samples. Use more data or another split.")
            validation_data = (x[split:], y[split:]) if sample_weight is None else (
                x[split:], y[split:], sample_weight[split:])
            x, y = x[:split], y[:split]
            sample_weight = None if sample_weight is None else sample_weight[:split]
        if validation_data is not None:
            validation_data = self._prepare(*_unpack_validation(validation_data), "fit (validation_data)")

        verbose = 1 if verbose == "auto" else verbose
        steps = -(-len(x) // batch_size)
        callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        callbacks.on_train_begin()
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self._reset_metrics()
            callbacks.on_epoch_begin(epoch)
            order = random_generator().permutation(len(x)) if shuffle else None
            for step in range(steps):
                callbacks.on_train_batch_begin(step)
                index = slice(step * batch_size, (step + 1) * batch_size)
                if order is not None:
                    index = np.sort(order[index])  # sorted rows gather faster, same batch
                sw = None if sample_weight is None else sample_weight[index]
                logs = self.train_step(x[index], y[index], sw)
                callbacks.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_arrays(*validation_data, validation_batch_size or batch_size, callbacks)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callbacks.on_train_end(logs)
        return self.history

    # -- evaluate -------------------------------------------------------------
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        """Returns the loss (a float) when no metrics are compiled, else [loss, *metrics].

        With `return_dict=True`, returns {name: value}.
        """
        from numkeras.callbacks import CallbackList
        self._require_compiled("evaluate")
        batch_size = _check_batch_size(batch_size)
        x, y, sample_weight = self._prepare(x, y, sample_weight, "evaluate")
        verbose = 1 if verbose == "auto" else verbose
        n_steps = -(-len(x) // batch_size)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                 steps=n_steps)
        logs = self._evaluate_arrays(x, y, sample_weight, batch_size, callbacks)
        if return_dict:
            return logs
        values = [logs["loss"]] + [logs[m.name] for m in self._metrics or []]
        return values[0] if len(values) == 1 else values

    def _evaluate_arrays(self, x, y, sample_weight=None, batch_size=32, callbacks=None):
        self._reset_metrics()
        if callbacks is not None:
            callbacks.on_test_begin()
        logs = {}
        for step in range(-(-len(x) // batch_size)):
            index = slice(step * batch_size, (step + 1) * batch_size)
            if callbacks is not None:
                callbacks.on_test_batch_begin(step)
            logs = self.test_step(x[index], y[index], None if sample_weight is None else sample_weight[index])
            if callbacks is not None:
                callbacks.on_test_batch_end(step, logs)
        if callbacks is not None:
            callbacks.on_test_end(logs)
        return logs

    # -- predict --------------------------------------------------------------
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for `x` as a NumPy array, computed in batches."""
        from numkeras.callbacks import CallbackList
        batch_size = _check_batch_size(batch_size)
        x = data_checks.as_array(x, "x", "predict")
        self._require_built("predict", x)
        verbose = 1 if verbose == "auto" else verbose
        n_steps = -(-len(x) // batch_size)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                 steps=n_steps)
        callbacks.on_predict_begin()
        outputs = []
        for step in range(n_steps):
            callbacks.on_predict_batch_begin(step)
            out = self(x[step * batch_size:(step + 1) * batch_size], training=False).data
            outputs.append(out)
            callbacks.on_predict_batch_end(step, {"outputs": out})
        callbacks.on_predict_end()
        return np.concatenate(outputs) if len(outputs) > 1 else outputs[0]

    def _require_built(self, method, x):
        if not self.built:
            raise ValueError(
                f"{method}() was called on model {self.name!r}, which was never built: it has no input shape "
                "and no weights yet, so its outputs would be meaningless. Train it with fit() first, or declare "
                "the input: give the first layer input_shape=..., start with layers.Input(shape=...), or call "
                "model.build(input_shape).")
        data_checks.check_input_shape(x, getattr(self, "_batch_input_shape", None), self.name, method)

    # -- single batches -------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on one batch; returns the loss (and metrics) on that batch."""
        self._require_compiled("train_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight, "train_on_batch")
        self._reset_metrics()
        return self._batch_result(self.train_step(x, y, sample_weight), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates the model on one batch."""
        self._require_compiled("test_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight, "test_on_batch")
        self._reset_metrics()
        return self._batch_result(self.test_step(x, y, sample_weight), return_dict)

    def predict_on_batch(self, x):
        """Returns the model's outputs for one batch as a NumPy array."""
        x = data_checks.as_array(x, "x", "predict_on_batch")
        self._require_built("predict_on_batch", x)
        return self(x, training=False).data

    def _batch_result(self, logs, return_dict):
        if return_dict:
            return logs
        values = [logs["loss"]] + [logs[m.name] for m in self._metrics or []]
        return values[0] if len(values) == 1 else values


def _check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer. Received: batch_size={batch_size!r}.")
    return int(batch_size)


def _unpack_validation(data):
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError("fit(): validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight). "
                         f"Received a {type(data).__name__} of length {len(data) if hasattr(data, '__len__') else '?'}.")
    return tuple(data) if len(data) == 3 else (data[0], data[1], None)


def _stack_scalars(values):
    from numkeras.engine.shape_ops import stack
    return stack([v if isinstance(v, Tensor) else Tensor(np.asarray(v, dtype="float32")) for v in values])
