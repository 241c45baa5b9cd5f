"""How a mask travels from layer to layer, as in Keras 3.

A mask is a boolean tensor, True where a timestep counts, carried on the tensor it describes
(`tensor._keras_mask`). When a layer is called:

1. if its `call` has a `mask` argument and it is called on one tensor argument (or one list of
   them), the mask(s) on that argument are passed as `mask=` unless the caller passed one; with
   several tensor arguments, each argument `name` with a `{name}_mask` parameter gets its own
   (`query_mask`, `value_mask`, ...);
2. after `call`, a layer that `supports_masking` attaches `compute_mask(inputs, previous_mask)` to
   outputs that have no mask yet (`previous_mask` is the `mask=` passed, else the first
   argument's); a layer that does not support masking drops the mask, with a warning.

Symbolic calls (functional models) attach a symbolic mask the same way, so `layer.output._keras_mask`
shows where a mask exists; at run time the masks travel on the real tensors.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> ids = np.array([[3, 1, 0]])
    >>> embedded = layers.Embedding(5, 2, mask_zero=True)(ids)
    >>> masks_of(embedded).numpy().tolist()
    [[True, True, False]]
"""
import warnings

import numpy as np

from numkeras.engine.tensor import Tensor
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.utils.tree import flatten, map_structure


def masks_of(value):
    """The mask(s) carried by `value`: None for a tensor without one, a list/dict for lists/dicts."""
    if isinstance(value, (Tensor, KerasTensor)):
        return value._keras_mask
    if isinstance(value, (list, tuple)):
        return [masks_of(v) for v in value]
    if isinstance(value, dict):
        return {k: masks_of(v) for k, v in value.items()}
    return None


def any_mask(masks):
    """True if the structure `masks` holds a mask."""
    if masks is None:
        return False
    if isinstance(masks, (list, tuple, dict)):
        return any(m is not None for m in flatten(masks))
    return True


def _is_tensor_argument(value):
    if isinstance(value, (Tensor, KerasTensor, np.ndarray)):
        return True
    if isinstance(value, (list, tuple, dict)) and value:
        leaves = flatten(value)
        return all(v is None or isinstance(v, (Tensor, KerasTensor, np.ndarray)) for v in leaves) and any(
            v is not None for v in leaves)
    return False


def populate_mask_arguments(layer, inputs, args, kwargs):
    """Fills `kwargs["mask"]` (or `kwargs["{name}_mask"]`) from the masks on the call's tensors.

    Args:
        layer: the layer being called (its call's parameter names are `layer._call_params`).
        inputs, args: the call's first and other positional arguments.
        kwargs: the call's keyword arguments; updated in place.
    """
    names = layer._call_params
    bound = dict(zip(names[1:], args))
    positional = set(bound) | {names[0]}
    bound[names[0]] = inputs
    bound.update(kwargs)
    tensors = {name: value for name, value in bound.items() if name != "training" and _is_tensor_argument(value)}
    if len(tensors) == 1:
        if "mask" in layer._call_param_set and "mask" not in positional and kwargs.get("mask") is None:
            kwargs["mask"] = masks_of(next(iter(tensors.values())))
    elif len(tensors) > 1:
        for name, value in tensors.items():
            key = f"{name}_mask"
            if key in layer._call_param_set and key not in positional and kwargs.get(key) is None:
                kwargs[key] = masks_of(value)


def attach_output_masks(layer, inputs, outputs, previous_mask):
    """After a call: attaches `layer.compute_mask(inputs, previous_mask)` to `outputs`, or warns
    that the mask is dropped when the layer does not support masking."""
    if layer._masks_from_inner_layers:
        return
    if layer.supports_masking:
        flat = flatten(outputs)
        if all(isinstance(t, Tensor) and t._keras_mask is not None for t in flat):
            return  # the layer set its masks itself (as Masking and the merge layers do)
        masks = layer.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for tensor, mask in zip(flat, flatten(masks)):
            if isinstance(tensor, Tensor) and tensor._keras_mask is None and mask is not None:
                tensor._keras_mask = mask if isinstance(mask, Tensor) else Tensor(np.asarray(mask))
    elif any_mask(previous_mask):
        warn_mask_dropped(layer)


def attach_symbolic_masks(layer, inputs, outputs, previous_mask):
    """The symbolic twin of `attach_output_masks`: `compute_mask` runs on stand-in values (zeros,
    all-True masks) of the symbolic shapes, and each output gets a bool KerasTensor mask."""
    if layer._masks_from_inner_layers:
        return
    if not layer.supports_masking:
        if any_mask(previous_mask):
            warn_mask_dropped(layer)
        return
    masks = layer.compute_mask(map_structure(_stand_in, inputs), map_structure(_stand_in, previous_mask))
    if masks is None:
        return
    for tensor, mask in zip(flatten(outputs), flatten(masks)):
        if isinstance(tensor, KerasTensor) and tensor._keras_mask is None and mask is not None:
            tensor._keras_mask = KerasTensor(_symbolic_mask_shape(np.shape(mask), tensor.shape), "bool")


def stand_in_arguments(structure):
    """`structure` with each KerasTensor replaced by a stand-in value (for running a call on shapes)."""
    return map_structure(lambda v: _stand_in(v).data if isinstance(v, KerasTensor) else v, structure)


def _stand_in(value):
    if not isinstance(value, KerasTensor):
        return value
    shape = tuple(1 if d is None else d for d in value.shape)
    if value.dtype == "bool":
        return Tensor(np.ones(shape, dtype=bool))
    return Tensor(np.zeros(shape, dtype=value.dtype))


def _symbolic_mask_shape(concrete, output_shape):
    """The mask's symbolic shape: a prefix of the output's when it matches one, else batch-first."""
    standing = tuple(1 if d is None else d for d in output_shape)
    if len(concrete) <= len(standing) and tuple(concrete) == standing[:len(concrete)]:
        return tuple(output_shape[:len(concrete)])
    return (None,) + tuple(concrete[1:]) if concrete else ()


def warn_mask_dropped(layer):
    warnings.warn(
        f"Layer {layer.name!r} (of type {type(layer).__name__}) received an input with a mask, but it does not "
        "support masking (supports_masking=False), so the layers after it see no mask. If the mask should pass "
        "through unchanged, set `self.supports_masking = True` in the layer's __init__ (or override "
        "`compute_mask`); if it should stop here, remove it earlier (e.g. mask_zero=False).", UserWarning,
        stacklevel=4)
