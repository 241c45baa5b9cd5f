"""ImageNet input preprocessing and prediction decoding, shared by the application models.

`preprocess_input` turns RGB images with values in [0, 255] into what a
model's pre-trained weights expect, in one of three conventions:

- `'caffe'` (VGG, ResNet): RGB to BGR, then subtract the ImageNet mean of
  each channel (103.939, 116.779, 123.68 in BGR order); no scaling.
- `'tf'` (Inception, Xception, MobileNet): scale to [-1, 1] (`x / 127.5 - 1`).
- `'torch'`: scale to [0, 1], subtract the mean (0.485, 0.456, 0.406) and
  divide by the standard deviation (0.229, 0.224, 0.225) of each RGB channel.

`decode_predictions` names the top classes of a batch of 1000-way
predictions, from the ImageNet class index (a JSON file fetched once
through the checksummed download cache, folder `models/`).

Example:
    >>> import numpy as np
    >>> from numkeras.applications import imagenet_utils
    >>> x = np.array([[[0.0, 127.5, 255.0]]], dtype="float32")
    >>> imagenet_utils.preprocess_input(x, mode="tf")
    array([[[-1.,  0.,  1.]]], dtype=float32)
"""
import json

import numpy as np

from numkeras.backend import floatx
from numkeras.engine.tensor import Tensor
from numkeras.layers.core.lambda_layer import Lambda
from numkeras.layers.keras_tensor import is_keras_tensor
from numkeras.utils.file_utils import get_file

CLASS_INDEX_FILE = "imagenet_class_index.json"
CLASS_INDEX_ORIGIN = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"  # md5, as Keras publishes it

MODES = ("caffe", "tf", "torch")
DATA_FORMATS = ("channels_last", "channels_first")
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCH_MEAN_RGB = (0.485, 0.456, 0.406)
TORCH_STD_RGB = (0.229, 0.224, 0.225)

_class_indexes = {}  # path of the class index file -> its parsed contents


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a batch of RGB images (values in [0, 255]) for an ImageNet model.

    As in Keras, a floating-point NumPy array is preprocessed in place (and
    returned): pass `np.copy(x)` to keep the original. Any other NumPy
    array (integers) is first converted to a new array of `floatx()`
    (float32). A numkeras `Tensor` gives a new `Tensor` (the computation is
    differentiable); a symbolic tensor (`layers.Input()`) gives the output
    of a `Lambda` layer doing the same, so a model can preprocess its own
    input. float32 stays float32.

    Args:
        x: A NumPy array, a numkeras `Tensor` or a symbolic tensor, 3D (one
            image) or 4D (a batch), with 3 color channels in RGB order.
        data_format: `"channels_last"` (images are `(..., height, width,
            channels)`) or `"channels_first"` (`(..., channels, height,
            width)`). Defaults to None, which means `"channels_last"`.
        mode: `"caffe"`, `"tf"` or `"torch"` (see the module docstring).
            Defaults to `"caffe"`.

    Returns:
        The preprocessed array or `Tensor`.

    Raises:
        ValueError: an unknown `mode` or `data_format`, or (for `"caffe"`
            and `"torch"`) a channel axis that is not of size 3.

    Example:

    >>> import numpy as np
    >>> x = np.zeros((1, 2, 2, 3), dtype="uint8")
    >>> y = preprocess_input(x)  # caffe: BGR minus the ImageNet means
    >>> y.dtype, y[0, 0, 0].tolist()
    (dtype('float32'), [-103.93900299072266, -116.77899932861328, -123.68000030517578])
    """
    if mode not in MODES:
        raise ValueError(f"preprocess_input: `mode` must be one of {MODES}. Received: mode={mode!r}.")
    if data_format is None:
        data_format = "channels_last"
    elif data_format not in DATA_FORMATS:
        raise ValueError(f"preprocess_input: `data_format` must be one of {DATA_FORMATS} (or None for "
                         f"'channels_last'). Received: data_format={data_format!r}.")
    if isinstance(x, Tensor):
        return _preprocess_tensor(x, data_format, mode)
    if is_keras_tensor(x):  # inside a model definition: the same computation, as a layer
        _check_channels(x.shape, data_format, mode)
        return Lambda(_preprocess_tensor, arguments={"data_format": data_format, "mode": mode})(x)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    return _preprocess_array(x, data_format, mode)


def decode_predictions(preds, top=5):
    """Names the `top` most likely ImageNet classes of each prediction in a batch.

    Args:
        preds: A NumPy array (or `Tensor`) of shape `(samples, 1000)`, a
            batch of ImageNet predictions.
        top: How many classes to return per sample. Defaults to `5`.

    Returns:
        A list with one list per sample of `(class_id, class_name, score)`
        tuples (e.g. `('n01440764', 'tench', 0.9)`), most likely first.

    Raises:
        ValueError: `preds` is not of shape `(samples, 1000)`, or `top` is
            not a positive integer.
        numkeras.utils.file_utils.DownloadError: the class index is not in
            the cache and cannot be fetched.

    Example (`decode_predictions(model.predict(x))` on a batch gives, for
    a sample whose most likely class is 1, `[('n01443537', 'goldfish',
    0.75), ...]`; the shape is checked before anything is fetched):

    >>> import numpy as np
    >>> decode_predictions(np.zeros((1, 10)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: decode_predictions expects a batch of ImageNet predictions, ... Received: preds with shape (1, 10)...
    """
    preds = np.asarray(preds.numpy() if isinstance(preds, Tensor) else preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "decode_predictions expects a batch of ImageNet predictions, an array of shape (samples, 1000). "
            f"Received: preds with shape {preds.shape}. For one sample, pass preds[None]; a model with another "
            "number of classes needs its own class names.")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"decode_predictions: `top` must be a positive integer. Received: top={top!r}.")
    index = _class_index()
    results = []
    for pred in preds:
        best = np.argsort(pred, kind="stable")[::-1][:top]
        results.append([(*index[str(i)], pred[i]) for i in best])
    return results


def _class_index():
    path = get_file(CLASS_INDEX_FILE, CLASS_INDEX_ORIGIN, cache_subdir="models", file_hash=CLASS_INDEX_HASH)
    if path not in _class_indexes:
        with open(path, encoding="utf-8") as f:
            _class_indexes[path] = json.load(f)
    return _class_indexes[path]


def _channel_axis(ndim, data_format):
    if data_format == "channels_last":
        return ndim - 1
    return 0 if ndim == 3 else 1


def _check_channels(shape, data_format, mode):
    if not shape:
        raise ValueError("preprocess_input expects images with a channel axis. Received: a scalar.")
    axis = _channel_axis(len(shape), data_format)
    if mode != "tf" and (axis < 0 or shape[axis] != 3):
        raise ValueError(
            f"preprocess_input(mode={mode!r}) expects 3 color channels (RGB) on the channel axis {axis} "
            f"({data_format}). Received: shape {tuple(shape)}. Check data_format, or convert the images to RGB.")
    return axis


def _per_channel(values, ndim, axis, dtype):
    shape = [1] * ndim
    shape[axis] = 3
    return np.asarray(values, dtype=dtype).reshape(shape)


def _preprocess_array(x, data_format, mode):
    axis = _check_channels(x.shape, data_format, mode)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(floatx())
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        x -= _per_channel(TORCH_MEAN_RGB, x.ndim, axis, x.dtype)
        x /= _per_channel(TORCH_STD_RGB, x.ndim, axis, x.dtype)
        return x
    x = np.flip(x, axis=axis)  # RGB -> BGR: a view, so the caller's array is written, as in Keras
    x -= _per_channel(CAFFE_MEAN_BGR, x.ndim, axis, x.dtype)
    return x


def _preprocess_tensor(x, data_format, mode):
    from numkeras import ops
    axis = _check_channels(x.shape, data_format, mode)
    if not np.issubdtype(np.dtype(x.dtype), np.floating):
        x = ops.cast(x, floatx())
    dtype = np.dtype(x.dtype)
    if mode == "tf":
        return x / ops.convert_to_tensor(np.asarray(127.5, dtype)) - ops.convert_to_tensor(np.asarray(1.0, dtype))
    if mode == "torch":
        x = x / ops.convert_to_tensor(np.asarray(255.0, dtype))
        mean = ops.convert_to_tensor(_per_channel(TORCH_MEAN_RGB, x.ndim, axis, dtype))
        std = ops.convert_to_tensor(_per_channel(TORCH_STD_RGB, x.ndim, axis, dtype))
        return (x - mean) / std
    x = ops.flip(x, axis=axis)
    return x - ops.convert_to_tensor(_per_channel(CAFFE_MEAN_BGR, x.ndim, axis, dtype))
