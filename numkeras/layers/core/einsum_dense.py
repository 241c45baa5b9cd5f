"""EinsumDense: a dense layer whose product is any einsum of the input with the kernel.

The equation names the input's, the kernel's and the output's axes
(`"abc,cd->abd"` is a Dense over the last axis of a 3-D input). The kernel
takes each of its axes' sizes from the input (an axis it shares with the
input) or from `output_shape` (an axis it shares with the output), and the
bias runs over the output axes named in `bias_axes`, broadcast over the
output axes to their right that it does not name, as in Keras.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")
    >>> layer(np.ones((3, 5, 6), "float32")).shape, layer.kernel.shape, layer.bias.shape
    ((3, 5, 2, 4), (6, 2, 4), (2, 4))
"""
import re

from numkeras import activations, initializers
from numkeras.engine import einsum_ops
from numkeras.layers.layer import Layer
from numkeras.layers.weight_options import set_weight_options, weight_options_config


class EinsumDense(Layer):
    """A layer computing `activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: an einsum equation `"<input>,<kernel>-><output>"` with
            letters for axes; `...` may stand for leading input axes
            (`"...b,bc->...c"`) or, after at least two letters, trailing ones
            (`"ab...,bc->ac..."`).
        output_shape: the output shape without the batch axis, an int for a
            1-D output; None for an axis whose size comes from the input.
        activation: activation name or function. Defaults to None (linear).
        bias_axes: letters of the output axes the bias runs over, or None
            for no bias. Defaults to None.
        kernel_initializer: defaults to "glorot_uniform" (its fans computed
            from the kernel axes shared with the input and with the output).
        bias_initializer: defaults to "zeros".
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional constraints.
        **kwargs: base layer arguments such as `name` and `dtype`.
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, **kwargs):
        kwargs.pop("quantization_config", None)  # Keras writes these (None unless quantized)
        kwargs.pop("gptq_unpacked_column_size", None)
        super().__init__(**kwargs)
        if lora_rank:
            raise ValueError(f"EinsumDense: LoRA is not supported by numkeras. Received: lora_rank={lora_rank!r}. "
                             f"Leave lora_rank=None.")
        if not isinstance(equation, str):
            raise ValueError(f"EinsumDense: `equation` must be a string such as 'ab,bc->ac'. "
                             f"Received: equation={equation!r}.")
        _split(equation)  # fails early on an equation of the wrong form
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        set_weight_options(self, kernel=(kernel_initializer, kernel_regularizer, kernel_constraint),
                           bias=(bias_initializer, bias_regularizer, bias_constraint))

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_equation(
            self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape, self.name)
        init = self.kernel_initializer
        if isinstance(init, initializers.VarianceScaling) and (init.input_axes is None or init.output_axes is None):
            init = type(init).from_config({**init.get_config(), "seed": init.seed, "input_axes": input_axes,
                                           "output_axes": output_axes})
        self.kernel = self.add_weight(shape=tuple(kernel_shape), initializer=init, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(shape=tuple(bias_shape), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        self._input_ndim = len(input_shape)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self._input_ndim:
            raise ValueError(f"Input 0 of layer {self.name!r} is incompatible with the layer: expected ndim="
                             f"{self._input_ndim}, found ndim={inputs.ndim}. Full shape received: {inputs.shape}.")
        if self.bias is not None:
            x = einsum_ops.einsum_bias(self.equation, inputs, self.kernel, self.bias)
        else:
            x = einsum_ops.einsum(self.equation, inputs, self.kernel)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(analyze_equation(self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape,
                                      self.name)[2])

    def get_config(self):
        return {**super().get_config(), "output_shape": self.partial_output_shape, "equation": self.equation,
                "activation": activations.serialize(self.activation), "bias_axes": self.bias_axes,
                **weight_options_config(self, ("kernel", "bias"), with_activity_regularizer=True),
                "quantization_config": None}


_FORMS = (  # (pattern, where '...' stands), '...' written as '0'
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), None),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$"), "left"),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$"), "right"),
)


def _split(equation):
    dotted = equation.replace(" ", "").replace("...", "0")
    for pattern, elided in _FORMS:
        match = pattern.match(dotted)
        if match:
            return match.group(1), match.group(2), match.group(3), elided
    raise ValueError(f"EinsumDense: invalid einsum equation {equation!r}. Equations must be of the form "
                     f"'[X],[Y]->[Z]', '...[X],[Y]->...[Z]' or '[X]...,[Y]->[Z]...', with letters for axes.")


def analyze_equation(equation, bias_axes, input_shape, output_shape, name="einsum_dense"):
    """Returns `(kernel_shape, bias_shape or None, full_output_shape, kernel input axes, kernel output axes)`."""
    input_spec, kernel_spec, output_spec, elided_side = _split(equation)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided and elided_side is None):
        raise ValueError(f"EinsumDense layer {name!r}: the equation {equation!r} names {len(input_spec)} input "
                         f"axes, but the input has shape {input_shape}. Give one letter per input axis.")
    full = [input_shape[0]] + list(output_shape)
    if elided_side == "left":
        full[1:1] = input_shape[1:elided]
    elif elided_side == "right":
        full.extend(input_shape[len(input_shape) - elided:])
    offset = elided if elided_side == "left" else 0
    input_at = {c: input_shape[i + offset] for i, c in enumerate(input_spec)}
    if len(full) != len(output_spec) + elided:
        raise ValueError(f"EinsumDense layer {name!r}: output_shape={tuple(output_shape)} gives "
                         f"{len(full) - 1 - elided} output axes after the batch, but the equation {equation!r} "
                         f"names {len(output_spec) - 1}. Give one size (or None) per output axis but the first.")
    output_at = {c: offset + i for i, c in enumerate(output_spec)}
    for c in input_spec:
        if c in output_at and full[output_at[c]] is not None and full[output_at[c]] != input_at[c]:
            raise ValueError(f"EinsumDense layer {name!r}: input shape and output shape do not match at shared "
                             f"axis {c!r}: the input has {input_at[c]}, output_shape gives {full[output_at[c]]}.")
        if c in output_at:
            full[output_at[c]] = input_at[c]
    for c in output_spec:
        if c not in input_spec and c not in kernel_spec:
            raise ValueError(f"EinsumDense layer {name!r}: output axis {c!r} of {equation!r} is in neither the "
                             f"input nor the kernel.")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, c in enumerate(kernel_spec):
        if c in output_at:
            kernel_shape.append(full[output_at[c]])
            output_axes.append(i)
        elif c in input_at:
            kernel_shape.append(input_at[c])
            input_axes.append(i)
        else:
            raise ValueError(f"EinsumDense layer {name!r}: kernel axis {c!r} of {equation!r} is in neither the "
                             f"input nor the output, so its size is unknown.")
    if any(n is None for n in kernel_shape):
        raise ValueError(f"EinsumDense layer {name!r}: the kernel shape {tuple(kernel_shape)} has an unknown size. "
                         f"Give output_shape sizes for the output axes the kernel shares.")
    bias_shape = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(f"EinsumDense layer {name!r}: bias axis {c!r} is not an output axis of "
                                 f"{equation!r}. Received: bias_axes={bias_axes!r}.")
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [full[output_at[c]] if c in bias_axes else 1 for c in output_spec[first:]]
        if elided_side != "left":
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, full, input_axes, output_axes
