"""The checks every application model makes on its arguments, and its input and output ends.

Each model function (`VGG16`, `ResNet50`, ...) takes the same arguments as
Keras's: `include_top`, `weights`, `input_tensor`, `input_shape`, `pooling`,
`classes`, `classifier_activation`, `name`. The helpers here check them the
way Keras does (same rules, same resulting shapes), with errors that name
the model, the argument, what was received, what was expected, and the fix.

numkeras has no global image data format: the models are `channels_last`,
as Keras's are by default (batch normalization on axis 3).

A model function does, in order (vgg16.py is the shortest example):
`check_weights`, `check_pooling`, `obtain_input_shape`, `image_input`, its
layers (`check_classifier_activation` where the classifier goes), then
`functional_model(input_tensor, img_input, x, name)` and
`weights.load_weights(model, weights, include_top, top_file, notop_file)`.

Example:
    >>> from numkeras.applications import arguments
    >>> arguments.obtain_input_shape(None, default_size=224, min_size=32, require_flatten=True,
    ...                              weights=None, model="VGG16")
    (224, 224, 3)
    >>> arguments.obtain_input_shape(None, default_size=224, min_size=32, require_flatten=False,
    ...                              weights=None, model="VGG16")
    (None, None, 3)
"""
import os
import warnings

from numkeras.layers.core.input_layer import Input
from numkeras.layers.keras_tensor import is_keras_tensor

POOLING_MODES = (None, "avg", "max")


def check_weights(weights, include_top, classes, model):
    """Checks `weights` (None, 'imagenet' or an existing file) and `classes` against it.

    Args:
        weights: what the caller passed as `weights`.
        include_top: what the caller passed as `include_top`.
        classes: what the caller passed as `classes`.
        model: the model's name for the error message ("VGG16").

    Raises:
        ValueError: `weights` is none of the three, or ImageNet weights with
            a classifier were asked for with `classes` other than 1000.
    """
    if not (weights is None or _is_imagenet(weights) or _is_file(weights)):
        raise ValueError(
            f"{model}: `weights` must be None (random initialization), 'imagenet' (pre-trained on ImageNet) "
            f"or the path to an existing weights file. Received: weights={weights!r}. Check the spelling, or "
            "the path (it must exist).")
    if not isinstance(include_top, bool):
        raise ValueError(f"{model}: `include_top` must be True or False. Received: include_top={include_top!r}.")
    if _is_imagenet(weights) and include_top and classes != 1000:
        raise ValueError(
            f"{model}: ImageNet weights with `include_top=True` classify into 1000 classes, so `classes` must be "
            f"1000. Received: classes={classes!r}. Pass weights=None to train a classifier for {classes} classes, "
            "or include_top=False to put your own classifier on the pre-trained features.")
    if include_top and (isinstance(classes, bool) or not isinstance(classes, int) or classes < 1):
        raise ValueError(f"{model}: `classes` must be a positive integer. Received: classes={classes!r}.")


def check_pooling(pooling, model):
    """Checks `pooling` is None, 'avg' or 'max' (Keras ignores any other value; numkeras refuses it)."""
    if pooling not in POOLING_MODES:
        raise ValueError(
            f"{model}: `pooling` must be None (the last block's 4D output), 'avg' (global average pooling) or "
            f"'max' (global max pooling). Received: pooling={pooling!r}.")


def obtain_input_shape(input_shape, default_size, min_size, require_flatten, weights, model):
    """Returns the model's input shape (height, width, channels), checking the caller's.

    Args:
        input_shape: the caller's `input_shape`, or None.
        default_size: the model's default height and width (224 for VGG16).
        min_size: the smallest height and width the model accepts.
        require_flatten: whether the classifier is included (the shape must
            then be static, and with ImageNet weights exactly the default).
        weights: the caller's `weights` (ImageNet weights need 3 channels).
        model: the model's name for error messages.

    Returns:
        A tuple of three, with None for a free height or width.

    Raises:
        ValueError: the shape is not three entries, is too small, has other
            than 3 channels with ImageNet weights, differs from the default
            with ImageNet weights and the classifier, or is not static when
            the classifier is included.
    """
    imagenet = _is_imagenet(weights)
    if input_shape is not None:
        input_shape = _as_shape(input_shape, model)
    if not imagenet and input_shape and len(input_shape) == 3:
        if input_shape[-1] not in (1, 3):
            warnings.warn(f"{model} usually takes 1 or 3 input channels; input_shape={input_shape} has "
                          f"{input_shape[-1]}.", stacklevel=3)
        default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if imagenet and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError(
                f"{model}: with `include_top=True` and ImageNet weights the input shape must be {default_shape}. "
                f"Received: input_shape={input_shape}. Leave input_shape unset, or pass include_top=False to use "
                "another image size.")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(f"{model}: `input_shape` must be three entries (height, width, channels). Received: "
                             f"input_shape={input_shape}.")
        if imagenet and input_shape[-1] != 3:
            raise ValueError(f"{model}: ImageNet weights need 3 input channels (RGB). Received: "
                             f"input_shape={input_shape}. Use 3 channels, or weights=None.")
        if any(size is not None and size < min_size for size in input_shape[:2]):
            raise ValueError(f"{model}: the input must be at least {min_size}x{min_size}. Received: "
                             f"input_shape={input_shape}. Resize the images, or pass a larger input_shape.")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(f"{model}: with `include_top=True` the input shape must be static (no None). Received: "
                         f"input_shape={input_shape}. Give every size, or pass include_top=False.")
    return input_shape


def check_classifier_activation(classifier_activation, weights, model):
    """With pre-trained weights, the classifier's activation must be None or 'softmax' (as in Keras)."""
    from numkeras import activations
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in (activations.get("softmax"), activations.get(None)):
        raise ValueError(
            f"{model}: with pre-trained weights `classifier_activation` must be None (logits) or 'softmax'. "
            f"Received: classifier_activation={classifier_activation!r}. Use one of those, or weights=None.")


def classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, weights, model,
                          top_pool_name="avg_pool", pool_names=(None, None)):
    """The end every family but VGG shares: with the top, global average pooling and the `classes`-way
    "predictions" Dense; without it, the global pooling `pooling` asks for (or none). Layer names as Keras's
    family gives them (None: the automatic name)."""
    from numkeras import layers
    if include_top:
        x = layers.GlobalAveragePooling2D(name=top_pool_name)(x)
        check_classifier_activation(classifier_activation, weights, model)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=pool_names[0])(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=pool_names[1])(x)
    return x


def image_input(input_tensor, input_shape, model):
    """The model's input: `input_tensor` (a KerasTensor) if given, else a new `Input(input_shape)`."""
    if input_tensor is None:
        return Input(shape=input_shape)
    if not is_keras_tensor(input_tensor):
        raise ValueError(
            f"{model}: `input_tensor` must be a symbolic tensor, the output of `layers.Input()` or of a layer "
            f"called on one. Received: {type(input_tensor).__name__}. For data, build the model first and call "
            "it (or its predict) on the data.")
    return input_tensor


def model_inputs(input_tensor, img_input):
    """The model's inputs: the `Input`s that `input_tensor` comes from, or the new `Input`."""
    if input_tensor is None:
        return img_input
    sources, seen, stack = [], set(), [input_tensor]
    while stack:  # walk back to the Input layers, without recursion
        tensor = stack.pop()
        node = tensor._keras_history
        if node is None or id(tensor) in seen:
            continue
        seen.add(id(tensor))
        parents = node.input_tensors()
        if not parents:
            sources.append(tensor)
        stack.extend(reversed(parents))
    return sources[0] if len(sources) == 1 else sources


def functional_model(input_tensor, img_input, outputs, name):
    """The functional `Model` from the inputs (see `model_inputs`) to `outputs`, named `name`."""
    from numkeras.models import Model
    return Model(model_inputs(input_tensor, img_input), outputs, name=name)


def correct_pad(inputs, kernel_size):
    """The ((top, bottom), (left, right)) zero padding before a stride-2 'valid' convolution of `kernel_size`.

    What Keras's MobileNet-style models use: half the kernel on each side, one
    less before when the size is even (and when it is unknown).

    Example:
        >>> from numkeras import layers
        >>> correct_pad(layers.Input((224, 224, 3)), 3), correct_pad(layers.Input((225, 224, 3)), (5, 3))
        (((0, 1), (0, 1)), ((2, 2), (0, 1)))
    """
    height, width = inputs.shape[1:3]
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    adjust = (1, 1) if height is None else (1 - height % 2, 1 - width % 2)
    return ((kh // 2 - adjust[0], kh // 2), (kw // 2 - adjust[1], kw // 2))


def _is_imagenet(weights):
    return isinstance(weights, str) and weights == "imagenet"


def _is_file(weights):
    return isinstance(weights, (str, os.PathLike)) and os.path.isfile(weights)


def _as_shape(input_shape, model):
    try:
        shape = tuple(None if size is None else int(size) for size in input_shape)
    except (TypeError, ValueError):
        raise ValueError(f"{model}: `input_shape` must be a tuple of three integers (height, width, channels). "
                         f"Received: input_shape={input_shape!r}.") from None
    if any(size is not None and size < 1 for size in shape):
        raise ValueError(f"{model}: `input_shape` sizes must be positive. Received: input_shape={input_shape!r}.")
    return shape
