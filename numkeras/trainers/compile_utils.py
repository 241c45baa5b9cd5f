"""What `compile()` turns the loss and metrics arguments into, for one or many outputs.

A model's outputs are handled as a flat list in a fixed order, each with a
key: the output dict's key, else the output layer's name. Losses, loss
weights and metrics may be given once (every output), as a list (by
position) or as a dict (by key); logged names follow Keras: `loss`, then
`{key}_loss` and `{key}_{metric}` when there are several outputs.

Example:
    >>> keys = output_keys(None, 1)
    >>> keys
    ['output']
"""
import numpy as np

from numkeras.backend import to_host
from numkeras.engine.tensor import Tensor
from numkeras.utils.tree import flatten


def output_keys(model, count):
    """The key of each output: dict keys (sorted), else the output layers' names."""
    struct = getattr(model, "_outputs_struct", None)
    if isinstance(struct, dict):
        return sorted(struct)
    names = getattr(model, "output_names", None)
    if names and len(names) == count and len(set(names)) == count:
        return list(names)
    return ["output"] if count == 1 else [f"output_{i}" for i in range(count)]


def per_output(spec, keys, what):
    """Spreads a compile argument over the outputs: one value each (None where not given).

    With several outputs, a list of as many metrics as outputs gives one to
    each, as in Keras 3; a list of another length goes to every output
    whole, as Keras 2 did (Keras 3 refuses it).
    """
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(keys))
        if unknown:
            raise ValueError(f"compile(): {what} has keys {unknown} that are not model outputs. The outputs are "
                             f"named {keys}: key the dict by those names.")
        return [spec.get(k) for k in keys]
    if what == "metrics" and len(keys) == 1 and isinstance(spec, (list, tuple)):
        return [flatten(list(spec))]  # one output: every metric of a nested list is its own, as Keras flattens them
    if isinstance(spec, (list, tuple)) and what != "metrics" and (len(keys) > 1 or len(spec) == 1):
        # one loss (or weight) per output; one output may be given a list of one, as Keras takes it
        if len(spec) != len(keys):
            raise ValueError(f"compile(): the model has {len(keys)} outputs ({keys}), but {what} is a list of "
                             f"{len(spec)}. Pass one entry per output, or a dict keyed by output name.")
        return list(spec)
    if what == "metrics" and isinstance(spec, (list, tuple)) and len(keys) > 1:
        if len(spec) == len(keys):
            return list(spec)  # Keras 3: one entry (a metric or a list of them) per output
        if spec and all(isinstance(s, (list, tuple)) or s is None for s in spec):
            raise ValueError(f"compile(): the model has {len(keys)} outputs ({keys}), but metrics is a list of "
                             f"{len(spec)} lists. Pass one list per output, or a dict keyed by output name.")
    return [spec] * len(keys)


class CompiledObjectives:
    """The losses, loss weights and metrics of a compiled model, per output.

    It also acts as one metric, "compile_metrics", whose result is a dict of
    every compiled metric. As in Keras 3, the per-output loss trackers
    (`{key}_loss`, for a model with several outputs that have a loss) are not
    part of it: `model.metrics` lists them after it once a loss has been
    computed, and `compile_metrics` is listed only when compile() was given
    `metrics` or `weighted_metrics`.

    As in Keras, sample weights (and class weights) reach only the
    `weighted_metrics`; the `metrics` count every sample alike. A weighted
    metric whose name an unweighted one already has is logged as
    `weighted_<name>`.
    """

    name = "compile_metrics"

    def __init__(self, model, loss, loss_weights, metrics, weighted_metrics=None):
        for spec in flatten([metrics or [], weighted_metrics or []]):  # fails in compile, not after the first step
            if spec is not None and not isinstance(spec, str) and not callable(spec):
                raise ValueError(f"compile(): metrics holds {spec!r} (of type {type(spec).__name__}), which is not a "
                                 "metric. Pass metric names such as 'accuracy', Metric instances or functions "
                                 "fn(y_true, y_pred).")
        self._model = model
        self._specs = (loss, loss_weights, metrics)
        self.weighted_metrics = weighted_metrics
        self.keys = None
        self.metrics = None
        self.loss_trackers = []
        self.loss_computed = False  # Keras lists the per-output loss trackers once the loss was first computed

    def build(self, count):
        """Spreads the compile arguments over the model's `count` outputs."""
        from numkeras import metrics as metrics_module
        from numkeras.losses.registry import get_loss
        self.keys = output_keys(self._model, count)
        loss, loss_weights, metrics = self._specs
        self.losses = [None if spec is None else get_loss(spec) for spec in per_output(loss, self.keys, "loss")]
        if loss is not None and all(l is None for l in self.losses):
            raise ValueError("compile(): no loss was given for any output. Pass loss=... for each output.")
        weights = per_output(loss_weights, self.keys, "loss_weights") if loss_weights is not None else [1.0] * count
        self.loss_weights = [1.0 if w is None else float(w) for w in weights]
        self.metric_specs = _listed(per_output(metrics or [], self.keys, "metrics"))
        self.weighted_metric_specs = _listed(per_output(self.weighted_metrics or [], self.keys, "metrics"))
        self.metrics = None
        self.multi = count > 1
        # one tracker per output that has a loss, when more than one has (Keras's compile_loss metrics)
        tracked = sum(loss is not None for loss in self.losses) > 1
        self._output_trackers = [metrics_module.Mean(name=f"{k}_loss") if tracked and loss is not None else None
                                 for k, loss in zip(self.keys, self.losses)]
        # listed in the loss dict's order for a model whose outputs are a dict (Keras builds them in that order)
        order = list(loss) if isinstance(loss, dict) and isinstance(getattr(self._model, "_outputs_struct", None),
                                                                  dict) else self.keys
        by_key = dict(zip(self.keys, self._output_trackers))
        self.loss_trackers = [by_key[k] for k in order if by_key.get(k) is not None]

    def metric_specs_given(self):
        """Whether compile() was given any metrics."""
        return bool(flatten([self._specs[2] or [], self.weighted_metrics or []]))

    def listed(self):
        """Whether `model.metrics` lists this container: compile() was given `metrics` or `weighted_metrics`
        (even empty), as Keras 3 creates its compile_metrics only then."""
        return self._specs[2] is not None or self.weighted_metrics is not None

    def listed_loss_trackers(self):
        """The per-output loss trackers `model.metrics` lists: none until a loss was computed."""
        return self.loss_trackers if self.loss_computed else []

    def keras_metric_names(self):
        """The names Keras 3 gives the compiled metrics inside compile_metrics: each metric's own name, without
        the output's prefix and before any `weighted_`/`_1` renaming. Keras orders evaluate's flat list by these
        names (which match a logged name only for a single output), so they are kept."""
        return list(self._base_names) if self.metrics is not None else []

    def resolve_metrics(self, y_true, y_pred):
        """Creates the metric objects once label and prediction shapes are known."""
        from numkeras.metrics.registry import get_metric
        self.metrics, self._base_names = [], []
        taken = {}  # log name -> how many metrics asked for it
        for weighted, spec_lists in ((False, self.metric_specs), (True, self.weighted_metric_specs)):
            for index, (key, specs) in enumerate(zip(self.keys, spec_lists)):
                for spec in specs:
                    metric = get_metric(spec, y_true[index], y_pred[index])
                    self._base_names.append(metric.name)
                    metric.name = _log_name(metric.name, key if self.multi else None, weighted, taken)
                    self.metrics.append((metric, index, weighted))

    def flat_labels(self, y):
        """Labels as a list in output order (dicts matched by key)."""
        if isinstance(y, dict):
            missing = [k for k in self.keys if k not in y and self.losses[self.keys.index(k)] is not None]
            if missing:
                raise ValueError(f"The label dict has keys {sorted(y)}, but the model outputs are named {self.keys}. "
                                 f"Missing labels for: {missing}. Pass y as a dict keyed by output name.")
            unknown = sorted(str(k) for k in y if k not in self.keys)
            if unknown:
                raise ValueError(f"The label dict has keys {sorted(map(str, y))}, but the model outputs are named "
                                 f"{self.keys}: {unknown} name no output. Key y by those output names.")
            return [y.get(k) for k in self.keys]
        flat = flatten(y) if isinstance(y, (list, tuple)) else [y]
        if len(flat) != len(self.keys):
            raise ValueError(f"The model has {len(self.keys)} output(s) ({self.keys}), but received "
                             f"{len(flat)} label array(s). Pass one label array per output (a list or a dict).")
        return flat

    def flat_sample_weights(self, sample_weight):
        """Sample weights as a list in output order: one array for all, a list by position or a dict by key."""
        count = len(self.keys)
        if isinstance(sample_weight, dict):
            unknown = sorted(str(k) for k in sample_weight if k not in self.keys)
            missing = [k for k in self.keys if k not in sample_weight]
            if unknown or missing:
                raise ValueError(f"sample_weight is a dict with keys {sorted(map(str, sample_weight))}, but the model "
                                 f"outputs are named {self.keys}" + (f"; {unknown} name no output" if unknown else "")
                                 + (f"; missing: {missing}" if missing else "") + ". Key sample_weight by exactly "
                                 "those output names (None leaves an output unweighted), or pass one array for all.")
            return [sample_weight[k] for k in self.keys]
        if isinstance(sample_weight, (list, tuple)):
            if len(sample_weight) != count:
                raise ValueError(f"The model has {count} output(s) ({self.keys}), but sample_weight is a list of "
                                 f"{len(sample_weight)} array(s). Pass one array per output (None leaves an output "
                                 "unweighted), a dict keyed by output name, or one array for all outputs.")
            return list(sample_weight)
        return [sample_weight] * count

    def total_loss(self, y_true, y_pred, sample_weight):
        """The weighted sum of the per-output losses, and each output's loss value.

        `sample_weight`: None, one array for every output, or a list/dict with
        one entry per output (see `flat_sample_weights`).
        """
        total, parts = None, []
        self.loss_computed = True
        weights = self.flat_sample_weights(sample_weight)
        for loss_fn, weight, yt, yp, sample_weight in zip(self.losses, self.loss_weights, y_true, y_pred, weights):
            if loss_fn is None:
                parts.append(None)
                continue
            value = loss_fn(yt, yp, sample_weight=sample_weight)
            parts.append(value)
            value = value if weight == 1.0 else value * np.float32(weight)
            total = value if total is None else total + value
        return total, parts

    def update_state(self, y_true, y_pred, sample_weight=None, loss_parts=()):
        """Updates every metric (and, given `loss_parts`, each output's loss tracker)."""
        y_pred = flatten(y_pred)
        if self.keys is None:
            self.build(len(y_pred))
        y_true = self.flat_labels(y_true)
        if self.metrics is None:
            self.resolve_metrics(y_true, y_pred)
        weights = self.flat_sample_weights(sample_weight)
        batch_size = len(y_pred[0])
        for tracker, part in zip(self._output_trackers, loss_parts):
            if tracker is not None and part is not None:
                value = part.data if isinstance(part, Tensor) else part  # the trainer keeps values, not Tensors
                tracker.update_state(float(value), sample_weight=batch_size)
        for metric, i, weighted in self.metrics:
            pred = y_pred[i]
            if isinstance(pred, Tensor) and pred._keras_mask is None:  # a masked output goes whole: metrics read its mask
                pred = pred.data
            metric.update_state(y_true[i], pred, sample_weight=weights[i] if weighted else None)

    def all_metrics(self):
        """The compiled metrics (the per-output loss trackers are `loss_trackers`)."""
        return [m for m, _, _ in self.metrics or []]

    @property
    def variables(self):
        """The state of every compiled metric, as Keras's compile_metrics lists it."""
        return [v for m in self.all_metrics() for v in getattr(m, "variables", ())]

    def result(self):
        return {m.name: _log_value(m.result()) for m in self.all_metrics()}

    def reset_state(self):
        for m in self.all_metrics() + self.loss_trackers:
            m.reset_state()


def _log_value(value):
    """A float for scalar results; per-class or per-threshold results stay arrays, as Keras logs them."""
    value = to_host(value.data if isinstance(value, Tensor) else value)  # logs come back to the host
    return float(value) if value.size == 1 else value


def _listed(specs):
    """Each output's metric specs as a list (None: no metrics)."""
    return [[] if m is None else (list(m) if isinstance(m, (list, tuple)) else [m]) for m in specs]


def _log_name(name, key, weighted, taken):
    """Keras's log name for a compiled metric: `{key}_{name}` for one of several outputs; a name already taken
    gets `_1`, `_2`, ... (a weighted metric first becomes `weighted_{name}`)."""
    full = name if key is None else f"{key}_{name}"
    if full in taken and weighted:
        full = f"weighted_{name}" if key is None else f"{key}_weighted_{name}"
    if full not in taken:
        taken[full] = 1
        return full
    taken[full] += 1
    return f"{full}_{taken[full] - 1}"
