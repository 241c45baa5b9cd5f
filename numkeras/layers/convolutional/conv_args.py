"""Argument checks shared by the convolution layers: tuples, padding, data_format, input shapes.

Example:
    >>> from numkeras.layers.convolutional.conv_args import standardize_tuple
    >>> standardize_tuple(3, 2, "kernel_size")
    (3, 3)
"""
import numpy as np


def standardize_tuple(value, n, name, allow_zero=False):
    """Returns `value` (an int or n ints) as a tuple of n ints, all > 0 (>= 0 with `allow_zero`)."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value!r}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (int(value),) * n
    try:
        value = tuple(value)
    except TypeError:
        raise ValueError(message + ".") from None
    if len(value) != n or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        raise ValueError(message + ".")
    bad = [v for v in value if v < 0 or (v == 0 and not allow_zero)]
    if bad:
        relation = ">=" if allow_zero else ">"
        raise ValueError(f"{message}, including values {bad} that do not satisfy `value {relation} 0`.")
    return tuple(int(v) for v in value)


def standardize_padding(value, allow_causal=False):
    """Returns the lower-cased padding name: 'valid', 'same' (or 'causal' where allowed)."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be one of {allowed}. Received: padding={value!r}.")
    return padding


def set_geometry(layer, kernel_size, strides, padding, data_format, dilation_rate, allow_causal=False):
    """Checks and stores what every conv layer takes: kernel_size, strides, dilation_rate, padding, data_format."""
    rank = layer.rank
    layer.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
    layer.strides = standardize_tuple(strides, rank, "strides")
    layer.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
    layer.padding = standardize_padding(padding, allow_causal=allow_causal)
    layer.data_format = standardize_data_format(data_format)


def standardize_data_format(data_format):
    """Returns 'channels_last' (the default, also for None) or 'channels_first'."""
    if data_format is None:
        return "channels_last"
    value = str(data_format).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                         f"Received: data_format={data_format!r}.")
    return value


def check_input_shape(layer, shape, rank, channels=None):
    """Raises a clear error when `shape` is not a `rank`-D batch, or has the wrong number of channels."""
    shape = tuple(shape)
    layout = "(batch, " + ", ".join(["spatial"] * rank) + ", channels)"
    if layer.data_format == "channels_first":
        layout = "(batch, channels, " + ", ".join(["spatial"] * rank) + ")"
    if len(shape) != rank + 2:
        hint = " Add a channels axis, e.g. x[..., None]." if len(shape) == rank + 1 else ""
        raise ValueError(f'Input 0 of layer "{layer.name}" ({type(layer).__name__}) is incompatible with the layer: '
                         f"expected ndim={rank + 2} {layout}, found ndim={len(shape)}. Full shape received: "
                         f"{shape}.{hint}")
    axis = -1 if layer.data_format == "channels_last" else 1
    if channels is not None and shape[axis] is not None and shape[axis] != channels:
        raise ValueError(f'Input 0 of layer "{layer.name}" ({type(layer).__name__}) is incompatible with the layer: '
                         f"expected axis {axis} of input shape to have value {channels}, but received input with "
                         f"shape {shape}. The layer was built for {channels} input channels.")


def spatial_of(layer, shape):
    return tuple(shape[1:-1]) if layer.data_format == "channels_last" else tuple(shape[2:])


def channels_of(layer, shape):
    return shape[-1] if layer.data_format == "channels_last" else shape[1]


def with_channels(layer, batch, spatial, channels):
    """Assembles an output shape in the layer's data format."""
    if layer.data_format == "channels_last":
        return (batch,) + tuple(spatial) + (channels,)
    return (batch, channels) + tuple(spatial)


def conv_output_spatial(layer, input_shape, kernel_size, strides, padding, dilation_rate):
    """Output spatial sizes of a convolution (None stays None); errors when the kernel does not fit."""
    out = []
    for size, k, s, d in zip(spatial_of(layer, input_shape), kernel_size, strides, dilation_rate):
        if size is None:
            out.append(None)
        elif padding in ("same", "causal"):
            out.append(-(-size // s))
        else:
            n = (size - (k - 1) * d - 1) // s + 1
            if n <= 0:
                raise ValueError(
                    f'Layer "{layer.name}" ({type(layer).__name__}): the kernel (kernel_size={kernel_size}, '
                    f"dilation_rate={dilation_rate}) is larger than the input's spatial shape "
                    f"{spatial_of(layer, input_shape)} (full input shape {tuple(input_shape)}), so the output would "
                    f"be empty with padding='valid'. Use padding='same', a smaller kernel_size or a larger input.")
            out.append(n)
    return tuple(out)


def known_channels(layer, input_shape):
    """The input's channel count, or a clear error when the shape does not say."""
    channels = channels_of(layer, input_shape)
    if channels is None:
        raise ValueError(f'Layer "{layer.name}" ({type(layer).__name__}) needs a known number of input channels. '
                         f"Received input_shape={tuple(input_shape)}.")
    return channels
