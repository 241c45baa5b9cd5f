"""Bidirectional: runs a recurrent layer forwards and a copy of it backwards, and merges the two.

The backward layer reads the sequence last step first; with
`return_sequences` its outputs are flipped back to the input's time order
before merging, so step t of the result sees the whole sequence. Weights:
the forward layer's, then the backward layer's (Keras's order).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.Bidirectional(layers.LSTM(4, return_sequences=True))(np.ones((2, 5, 3), "float32")).shape
    (2, 5, 8)
"""
import copy

from numkeras.engine import math_ops, shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.rnn.rnn import state_sizes

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _serialize(layer):
    from numkeras.saving.serialization_lib import serialize_keras_object
    return serialize_keras_object(layer)


def _deserialize(config, custom_objects=None):
    from numkeras.saving.serialization_lib import deserialize_keras_object
    return deserialize_keras_object(config, custom_objects=custom_objects)


def _without_prefix(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Layer):
    """Bidirectional wrapper for recurrent layers.

    Args:
        layer: a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`); its copy named
            "forward_<name>" runs forwards.
        merge_mode: how the two outputs combine: "concat" (default), "sum", "mul",
            "ave", or None for a list of both.
        weights: accepted for Keras compatibility (initial weights, half each).
        backward_layer: optional layer to run backwards; defaults to a copy of
            `layer` with `go_backwards=True`, named "backward_<name>".

    Call arguments:
        sequences: (batch, timesteps, features).
        initial_state: the forward layer's states then the backward layer's.
        mask: (batch, timesteps) booleans, passed to both layers.
        training: passed to both layers.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Bidirectional: layer must be a numkeras Layer (an RNN). Received: layer={layer!r}.")
        if not hasattr(layer, "return_sequences"):
            raise ValueError(f"Bidirectional: `layer` must be a recurrent layer (LSTM, GRU, SimpleRNN or RNN). "
                             f"Received: layer={layer.__class__.__name__}. Wrap the recurrent layer, e.g. "
                             "Bidirectional(LSTM(32)), and put other layers before or after it.")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"Bidirectional: backward_layer must be a Layer. Received: {backward_layer!r}.")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Bidirectional: merge_mode must be one of {MERGE_MODES}. "
                             f"Received: merge_mode={merge_mode!r}.")
        super().__init__(**kwargs)
        config = _serialize(layer)
        config["config"]["name"] = "forward_" + _without_prefix(layer.name, "forward_")
        self.forward_layer = _deserialize(config)
        if backward_layer is None:
            config = _serialize(layer)
            config["config"]["go_backwards"] = True
            config["config"]["name"] = "backward_" + _without_prefix(layer.name, "backward_")
            backward_layer = _deserialize(config)
        self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = self.backward_layer.use_cudnn = layer.use_cudnn
        self._check_pair()
        for rnn in (self.forward_layer, self.backward_layer):
            if hasattr(rnn, "zero_output_for_mask"):  # as Keras: a masked step outputs zeros in sequences
                rnn.zero_output_for_mask = rnn.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = weights
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def _check_pair(self):
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError("Bidirectional: the forward and backward layers need different go_backwards. "
                             f"Received: forward go_backwards={fwd.go_backwards}, backward "
                             f"go_backwards={bwd.go_backwards}. Pass a backward_layer with go_backwards=True.")
        for name in ("stateful", "return_sequences", "return_state"):
            if getattr(fwd, name) != getattr(bwd, name):
                raise ValueError(f"Bidirectional: the forward and backward layers must agree on {name}. Received: "
                                 f"{getattr(fwd, name)} forward, {getattr(bwd, name)} backward.")

    def build(self, sequences_shape, initial_state_shape=None):
        if isinstance(sequences_shape, list) and sequences_shape and isinstance(sequences_shape[0], (list, tuple)):
            sequences_shape = sequences_shape[0]
        for rnn in (self.forward_layer, self.backward_layer):
            if not rnn.built:
                rnn.build(tuple(sequences_shape))
                rnn.built = True
        if self._initial_weights:
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None
        self.built = True

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (shape[-1] * 2,)
        outputs = [tuple(shape), tuple(shape)] if self.merge_mode is None else [tuple(shape)]
        if self.return_state:
            return outputs + states + states
        return outputs if self.merge_mode is None else outputs[0]

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask, training=training)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = shape_ops.flip(y_rev, axis=1)  # back to the input's time order
        if self.merge_mode == "concat":
            output = [shape_ops.concatenate([y, y_rev], axis=-1)]
        elif self.merge_mode == "sum":
            output = [math_ops.add(y, y_rev)]
        elif self.merge_mode == "ave":
            output = [math_ops.divide(math_ops.add(y, y_rev), 2.0)]
        elif self.merge_mode == "mul":
            output = [math_ops.multiply(y, y_rev)]
        else:
            output = [y, y_rev]
        if self.return_state or self.merge_mode is None:
            return output + states
        return output[0]

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        if self.return_sequences:
            output_mask = mask if self.merge_mode else [mask, mask]
        else:
            output_mask = None if self.merge_mode else [None, None]
        if self.return_state:
            n_states = len(state_sizes(self.forward_layer.cell))
            heads = output_mask if isinstance(output_mask, list) else [output_mask]
            return heads + [None] * (2 * n_states)
        return output_mask

    @property
    def states(self):
        fwd, bwd = self.forward_layer.states, self.backward_layer.states
        return tuple(fwd) + tuple(bwd) if fwd and bwd else None

    def reset_states(self):
        if not self.stateful:
            raise AttributeError(f"Layer {self.name!r} must be stateful to reset its states; pass a layer made "
                                 "with stateful=True.")
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    def get_config(self):
        return {**super().get_config(), "merge_mode": self.merge_mode, "layer": _serialize(self.forward_layer),
                "backward_layer": _serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        config["layer"] = _deserialize(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = _deserialize(config["backward_layer"], custom_objects)
        return cls(**config)
