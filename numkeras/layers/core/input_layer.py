"""Input and InputLayer: declare the shape a model expects.

`Input(shape)` returns a symbolic `KerasTensor` (a shape and dtype, no
values); `Sequential([Input(shape=(784,)), ...])` builds the model at once.

Example:
    >>> from numkeras import layers
    >>> layers.Input(shape=(784,)).shape
    (None, 784)
"""
from numkeras.layers.keras_tensor import KerasTensor, Node
from numkeras.layers.layer import Layer, _as_shape


class InputLayer(Layer):
    """The entry point of a model: it only records the input shape.

    Args:
        shape: the shape of one sample (batch axis excluded).
        batch_size: optional fixed batch size.
        dtype: the input dtype. Defaults to floatx().
        batch_shape: the full shape including the batch axis (instead of shape).
        name: the layer name.
    """

    _tracked = False  # a model's input is not one of its layers

    def __init__(self, shape=None, batch_size=None, dtype=None, batch_shape=None, name=None, **kwargs):
        if shape is None and batch_shape is None:
            shape = kwargs.pop("input_shape", None)
            batch_shape = kwargs.pop("batch_input_shape", None)
        super().__init__(dtype=dtype, name=name, **kwargs)
        if batch_shape is None:
            if shape is None:
                raise ValueError("InputLayer needs a shape. Received: shape=None and batch_shape=None. "
                                 "Pass shape=(features,) e.g. Input(shape=(784,)).")
            batch_shape = (batch_size,) + _as_shape(shape, "shape", self)
        else:
            batch_shape = _as_shape(batch_shape, "batch_shape", self)
        self.batch_shape = tuple(batch_shape)
        self._batch_input_shape = self.batch_shape
        Node(self, inputs=[], outputs=KerasTensor(self.batch_shape, self.dtype, name=self.name))
        self.output_shape = self.batch_shape
        self.built = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, batch_shape=None, name=None):  # noqa: N802 - Keras's name
    """Returns a symbolic KerasTensor for a model input of `shape` (batch axis excluded)."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape, name=name).output
