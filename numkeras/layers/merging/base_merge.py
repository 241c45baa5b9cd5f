"""Merge: the base of layers that combine a list of inputs elementwise.

Shapes follow Keras 3: the batch sizes must agree; the other axes broadcast
like NumPy, aligned on the right (a size-1 or unknown axis matches any size);
an input of lower rank gains size-1 axes right after the batch axis.

Masks follow Keras 3 too: the output mask is the OR of the input masks when
every input has one, else none (`compute_mask`); Maximum, Minimum and
Multiply also keep masked entries out of the values (`_merge_masked`).

Example:
    >>> from numkeras.layers import Add
    >>> Add().compute_output_shape([(None, 4, 3), (None, 1, 3)])
    (None, 4, 3)
"""
import numpy as np

from numkeras.engine import math_ops, shape_ops
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.layer import Layer
from numkeras.utils.tree import is_shape


class Merge(Layer):
    """Base class of the elementwise merge layers (Add, Multiply, Maximum, ...).

    Subclasses implement `_merge_function(inputs)` on a list of tensors of
    equal rank. `Concatenate` and `Dot` override the shape rules too.

    Args:
        **kwargs: standard layer keyword arguments (`name`, `dtype`, ...).
    """

    _exact_inputs = None  # Subtract and Dot take exactly 2
    _align_ranks = True  # elementwise merges broadcast inputs of lower rank

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def build(self, input_shape):
        self.compute_output_shape(input_shape)  # validates the shapes early, as Keras's build does
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer ({type(self).__name__} {self.name!r}) should be called on a list of "
                             f"inputs. Received: inputs of shape {tuple(inputs.shape)} (not a list of tensors). "
                             "Pass the tensors as a list, e.g. layer([x1, x2]).")
        # Re-checked on every call: a shared layer may meet new shapes after its first build.
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        masks = [x._keras_mask if isinstance(x, Tensor) else None for x in inputs]
        if self._align_ranks:
            rank = max(x.ndim for x in inputs)
            inputs = [_expand_after_batch(x, rank) for x in inputs]
        if any(m is not None for m in masks) and type(self)._merge_masked is not Merge._merge_masked:
            return self._merge_masked(list(inputs), masks)
        return self._merge_function(list(inputs))

    def _merge_masked(self, inputs, masks):
        """The merge when some inputs carry masks; layers whose values depend on them override it."""
        return self._merge_function(inputs)

    def compute_mask(self, inputs, mask=None):
        """The OR of the input masks when every input has one; else None (Keras's rule)."""
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or not isinstance(inputs, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}): `mask` must be a list with one entry "
                             f"(or None) per input. Received: {len(inputs) if isinstance(inputs, (list, tuple)) else 1} "
                             f"input(s) and mask={mask!r}.")
        if any(m is None for m in mask):
            return None
        out = np.asarray(unwrap(mask[0]), dtype=bool)
        for m in mask[1:]:
            out = out | np.asarray(unwrap(m), dtype=bool)
        return Tensor(out)

    def _input_shapes(self, input_shape):
        """Checks that `input_shape` is a non-empty list of shapes; returns it as a list of tuples."""
        cls = type(self).__name__
        if is_shape(input_shape) or not isinstance(input_shape, (list, tuple)) or not input_shape:
            raise ValueError(f"A `{cls}` layer should be called on a list of at least 1 input. "
                             f"Received: input_shape={input_shape}. Pass the tensors as a list, e.g. layer([x1, x2]).")
        shapes = [tuple(s) for s in input_shape]
        if self._exact_inputs is not None and len(shapes) != self._exact_inputs:
            raise ValueError(f"A `{cls}` layer should be called on exactly {self._exact_inputs} inputs. "
                             f"Received: {len(shapes)} inputs with input_shape={shapes}.")
        return shapes

    def _batch_size(self, shapes):
        sizes = {s[0] for s in shapes if s} - {None}
        if len(sizes) > 1:
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}) cannot merge tensors with different batch "
                             f"sizes. Received tensors with shapes {shapes}.")
        return sizes.pop() if sizes else None

    def compute_output_shape(self, input_shape):
        shapes = self._input_shapes(input_shape)
        batch = self._batch_size(shapes)
        out = shapes[0][1:]
        for shape in shapes[1:]:
            out = self._broadcast(out, shape[1:], shapes)
        return (batch,) + out

    def _broadcast(self, a, b, shapes):
        """The broadcast of two shapes without their batch axis (None = unknown)."""
        if len(a) < len(b):
            a, b = b, a
        lead, tail = a[:len(a) - len(b)], a[len(a) - len(b):]
        out = []
        for i, j in zip(tail, b):
            if i is None or j is None:
                out.append(None)  # unknown until run time, as in Keras
            elif i == 1 or j == 1 or i == j:
                out.append(j if i == 1 else i)
            else:
                _mismatch(self, shapes)
        return tuple(lead) + tuple(out)


def _mismatch(layer, shapes):
    raise ValueError(f"Layer {layer.name!r} ({type(layer).__name__}): inputs have incompatible shapes. Received "
                     f"shapes {shapes}. Apart from the batch axis, each axis must have the same size in every input "
                     "or size 1 (broadcast).")


def merge_with_mask_fill(op, inputs, masks):
    """Keras's masked Maximum/Minimum: a masked entry takes the running result's value (or gives its own to
    it), so masked entries never win; the output mask (the OR) is attached when every input has one."""
    output, output_mask = None, None
    for x, mask in zip(inputs, masks):
        mask = None if mask is None else np.broadcast_to(np.asarray(unwrap(mask), bool)[..., None], x.shape)
        if output is None:
            output, output_mask = x, mask
            continue
        if mask is not None:
            x = math_ops.where(mask, x, output)
        if output_mask is not None:
            output = math_ops.where(output_mask, output, x)
        output_mask = output_mask | mask if mask is not None and output_mask is not None else None
        output = op(output, x)
    if output_mask is not None:
        output = math_ops.multiply(output, 1) if output is inputs[0] else output
        output._keras_mask = Tensor(output_mask.any(axis=-1))
    return output


def _expand_after_batch(x, rank):
    # (batch, 3) meeting (batch, 4, 3) becomes (batch, 1, 3): the non-batch axes align on the right.
    while x.ndim < rank:
        x = shape_ops.expand_dims(x, 1)
    return x
