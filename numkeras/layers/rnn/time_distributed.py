"""TimeDistributed: applies one layer to every timestep of a sequence, with the same weights.

The timesteps are folded into the batch, the layer is called once on
(batch * timesteps, ...) and the result unfolded: the same values as
calling it step by step (Keras's loop) for any layer that treats samples
independently, in one call. Keras's loop is kept where folding would change
the result: a layer that takes a `mask` gets each step's mask, and a layer
that normalizes by batch statistics in training (BatchNormalization, also
nested inside the wrapped layer) normalizes each timestep by that step's
statistics and updates its moving averages once per step, in time order.
The output carries the input's mask.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.TimeDistributed(layers.Dense(2))(np.ones((4, 5, 3), "float32")).shape
    (4, 5, 2)
"""
import inspect

from numkeras.engine import shape_ops
from numkeras.layers.layer import Layer
from numkeras.layers.rnn.rnn import check_mask


class TimeDistributed(Layer):
    """Applies `layer` to each temporal slice of an input (batch, timesteps, ...).

    Args:
        layer: the layer to apply (its weights are shared by all timesteps).

    Call arguments:
        inputs: (batch, timesteps, ...) with at least 3 dimensions.
        mask: optional (batch, timesteps) booleans, handed to `layer` per step
            when its call takes a mask.
        training: passed to `layer`.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed: layer must be a numkeras Layer. Received: layer={layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _child_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(f"Layer {self.name!r} (TimeDistributed) needs inputs of shape (batch, timesteps, ...) "
                             f"with at least 3 dimensions. Received: input_shape={input_shape}. Give each sample a "
                             "time axis, e.g. x[:, None] for a single step.")
        return (input_shape[0],) + tuple(input_shape[2:])

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(self._child_shape(tuple(input_shape)))
            self.layer.built = True
        self.built = True

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_shape(tuple(input_shape)))
        return (child[0], input_shape[1]) + tuple(child[1:])

    def compute_mask(self, inputs, mask=None):
        return mask

    def call(self, inputs, training=None, mask=None):
        self._child_shape(inputs.shape)
        batch, timesteps = inputs.shape[0], inputs.shape[1]
        kwargs = {"training": training} if "training" in _call_parameters(self.layer) else {}
        mask = check_mask(self, mask, batch, timesteps)
        step_masks = mask is not None and "mask" in _call_parameters(self.layer)
        if step_masks or (training and _batch_dependent(self.layer)):
            steps = [self.layer(shape_ops.getitem(inputs, (slice(None), t)), **kwargs,
                                **({"mask": mask[:, t]} if step_masks else {}))
                     for t in range(timesteps)]
            return shape_ops.stack(steps, axis=1)
        folded = shape_ops.reshape(inputs, (batch * timesteps,) + tuple(inputs.shape[2:]))
        y = self.layer(folded, **kwargs)
        return shape_ops.reshape(y, (batch, timesteps) + tuple(y.shape[1:]))

    def get_config(self):
        from numkeras.saving.serialization_lib import serialize_keras_object
        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from numkeras.saving.serialization_lib import deserialize_keras_object
        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        return cls(**config)


def _batch_dependent(layer):
    """Whether `layer` or a layer inside it normalizes by batch statistics in training."""
    return layer._batch_dependent_in_training or any(_batch_dependent(sub) for sub in layer._sublayers)


def _call_parameters(layer):
    return inspect.signature(layer.call).parameters
