"""Every layer family against Keras: the same kwargs, weights and inputs give the same outputs.

numkeras builds each layer, draws its weights (`keras_reference.random_weights`) and calls it; Keras
builds the layer from the same kwargs, takes the same weights with `set_weights` (so the weights'
order and shapes must agree too) and calls it on the same inputs. One Keras process runs them all.
Random layers (dropout, noise, augmentation) are compared at inference, where they must pass
their input through (RandomCrop crops the centre).
"""
import warnings

import numpy as np
import pytest

from keras_parity import rnn_cases
from keras_parity.attention_test import COVERED as ATTENTION
from keras_parity.categorical_test import COVERED as CATEGORICAL
from keras_parity.categorical_test import NEEDS_TENSORFLOW
from keras_parity.harness import assert_close
from keras_parity.keras_reference import random_weights
from numkeras import layers

ACTIVATIONS = ("celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
               "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
               "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
               "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink")
TRAINING = {"training": True}

# (class name, kwargs, input shapes, call kwargs). Every case is called with training=False unless
# its call kwargs say otherwise.
CASES = [
    ("Dense", {"units": 4}, [(3, 5)], {}),
    ("Dense", {"units": 4, "activation": "relu", "use_bias": False}, [(2, 3, 5)], {}),
    ("EinsumDense", {"equation": "abc,cde->abde", "output_shape": [None, 2, 4], "bias_axes": "de"}, [(2, 3, 5)], {}),
    ("EinsumDense", {"equation": "abcd,cde->abe", "output_shape": [None, 3], "bias_axes": "e", "activation": "tanh"},
     [(2, 3, 2, 4)], {}),
    ("EinsumDense", {"equation": "...b,bc->...c", "output_shape": 4, "bias_axes": "c"}, [(2, 3, 5)], {}),
    ("EinsumDense", {"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"}, [(2, 3, 5)], {}),
    ("EinsumDense", {"equation": "abc,cd->abd", "output_shape": [3, 4], "bias_axes": "b"}, [(2, 3, 5)], {}),
    ("Embedding", {"input_dim": 7, "output_dim": 3}, [(2, 5)], {}),
    ("Embedding", {"input_dim": 7, "output_dim": 3, "mask_zero": True}, [(2, 5)], {}),
    ("Masking", {"mask_value": 0.0}, [(2, 4, 3)], {}),
    *[("Activation", {"activation": name}, [(3, 6)], {}) for name in ACTIVATIONS],
    ("ELU", {"alpha": 0.5}, [(3, 6)], {}),
    ("LeakyReLU", {"negative_slope": 0.2}, [(3, 6)], {}),
    ("PReLU", {}, [(2, 3, 4)], {}),
    ("PReLU", {"shared_axes": [1]}, [(2, 3, 4)], {}),
    ("ReLU", {"max_value": 0.8, "negative_slope": 0.1, "threshold": 0.2}, [(3, 6)], {}),
    ("Softmax", {"axis": 1}, [(2, 3, 4)], {}),
    # convolutional
    ("Conv1D", {"filters": 4, "kernel_size": 3}, [(2, 7, 3)], {}),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 7, 3)], {}),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, [(2, 7, 3)], {}),
    ("Conv1D", {"filters": 4, "kernel_size": 2, "groups": 2, "activation": "tanh"}, [(2, 7, 4)], {}),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, [(2, 3, 7)], {}),
    ("Conv2D", {"filters": 4, "kernel_size": (3, 2)}, [(2, 6, 5, 3)], {}),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 6, 5, 3)], {}),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "activation": "relu"}, [(2, 7, 6, 3)], {}),
    ("Conv2D", {"filters": 4, "kernel_size": 2, "groups": 2}, [(2, 5, 5, 4)], {}),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same", "data_format": "channels_first"},
     [(2, 3, 6, 5)], {}),
    ("Conv3D", {"filters": 2, "kernel_size": 2}, [(2, 4, 5, 4, 2)], {}),
    ("Conv3D", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 5, 4, 4, 2)], {}),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}, [(2, 5, 4)], {}),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 5, 4)], {}),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1}, [(2, 5, 4)], {}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 4, 5, 2)], {}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": (3, 2), "strides": (2, 1), "output_padding": (1, 0)},
     [(2, 4, 5, 2)], {}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 2, "dilation_rate": 2}, [(2, 4, 5, 2)], {}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
     [(2, 2, 4, 5)], {}),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, [(1, 3, 2, 3, 2)], {}),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, [(1, 3, 2, 3, 2)], {}),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, [(2, 7, 3)], {}),
    ("DepthwiseConv1D", {"kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 7, 3)], {}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, [(2, 5, 6, 3)], {}),
    ("DepthwiseConv2D", {"kernel_size": (2, 3), "strides": 2}, [(2, 5, 6, 3)], {}),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 3, "depth_multiplier": 2}, [(2, 7, 3)], {}),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, [(2, 5, 6, 3)], {}),
    # pooling
    ("MaxPooling1D", {"pool_size": 2}, [(2, 7, 3)], {}),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, [(2, 7, 3)], {}),
    ("AveragePooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, [(2, 7, 3)], {}),
    ("AveragePooling1D", {"pool_size": 2, "data_format": "channels_first"}, [(2, 3, 7)], {}),
    ("MaxPooling2D", {"pool_size": (2, 3)}, [(2, 6, 7, 3)], {}),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, [(2, 6, 7, 3)], {}),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, [(2, 6, 7, 3)], {}),
    ("AveragePooling2D", {"pool_size": 2, "data_format": "channels_first"}, [(2, 3, 6, 7)], {}),
    ("MaxPooling3D", {"pool_size": 2}, [(2, 4, 5, 4, 2)], {}),
    ("AveragePooling3D", {"pool_size": 2, "strides": 2, "padding": "same"}, [(2, 5, 5, 3, 2)], {}),
    ("GlobalAveragePooling1D", {}, [(2, 7, 3)], {}),
    ("GlobalMaxPooling1D", {"keepdims": True}, [(2, 7, 3)], {}),
    ("GlobalAveragePooling2D", {"data_format": "channels_first"}, [(2, 3, 4, 5)], {}),
    ("GlobalMaxPooling2D", {}, [(2, 4, 5, 3)], {}),
    ("GlobalAveragePooling3D", {"keepdims": True}, [(2, 3, 4, 2, 3)], {}),
    ("GlobalMaxPooling3D", {}, [(2, 3, 4, 2, 3)], {}),
    # normalization
    ("BatchNormalization", {}, [(4, 5)], {}),
    ("BatchNormalization", {"axis": 1}, [(4, 3, 5)], {}),
    ("BatchNormalization", {"momentum": 0.9}, [(6, 2, 3)], TRAINING),
    ("BatchNormalization", {"center": False, "scale": False}, [(6, 3)], TRAINING),
    ("LayerNormalization", {}, [(3, 6)], {}),
    ("LayerNormalization", {"axis": [1, 2]}, [(2, 3, 4)], {}),
    ("LayerNormalization", {"rms_scaling": True}, [(3, 6)], {}),
    ("LayerNormalization", {"center": False, "epsilon": 0.1}, [(3, 6)], {}),
    ("GroupNormalization", {"groups": 2}, [(2, 5, 4)], {}),
    ("GroupNormalization", {"groups": 3, "axis": 1}, [(2, 6, 4)], {}),
    # merging
    ("Add", {}, [(3, 4), (3, 4)], {}),
    ("Subtract", {}, [(3, 4), (3, 4)], {}),
    ("Multiply", {}, [(3, 4), (3, 4), (3, 4)], {}),
    ("Average", {}, [(3, 4), (3, 4), (3, 4)], {}),
    ("Maximum", {}, [(3, 4), (3, 4), (3, 4)], {}),
    ("Minimum", {}, [(3, 4), (3, 4)], {}),
    ("Concatenate", {}, [(3, 4), (3, 2)], {}),
    ("Concatenate", {"axis": 1}, [(3, 4, 2), (3, 1, 2)], {}),
    ("Dot", {"axes": 1}, [(3, 4), (3, 4)], {}),
    ("Dot", {"axes": (2, 1)}, [(2, 3, 4), (2, 4, 5)], {}),
    ("Dot", {"axes": -1, "normalize": True}, [(3, 4), (3, 4)], {}),
    # regularization (identity at inference)
    ("Dropout", {"rate": 0.5}, [(3, 4)], {}),
    ("ActivityRegularization", {"l1": 0.1, "l2": 0.2}, [(3, 4)], {}),
    ("GaussianDropout", {"rate": 0.3}, [(3, 4)], {}),
    ("GaussianNoise", {"stddev": 0.5}, [(3, 4)], {}),
    ("SpatialDropout1D", {"rate": 0.5}, [(2, 5, 3)], {}),
    ("SpatialDropout2D", {"rate": 0.5}, [(2, 4, 5, 3)], {}),
    ("SpatialDropout3D", {"rate": 0.5}, [(2, 3, 4, 2, 3)], {}),
    # reshaping
    ("Flatten", {}, [(2, 3, 4)], {}),
    ("Flatten", {"data_format": "channels_first"}, [(2, 3, 4, 5)], {}),
    ("Reshape", {"target_shape": (3, -1)}, [(2, 6, 2)], {}),
    ("Permute", {"dims": (2, 1)}, [(2, 3, 4)], {}),
    ("RepeatVector", {"n": 3}, [(2, 4)], {}),
    ("Cropping1D", {"cropping": (1, 2)}, [(2, 6, 3)], {}),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, [(2, 5, 6, 3)], {}),
    ("Cropping3D", {"cropping": 1}, [(2, 4, 5, 4, 2)], {}),
    ("UpSampling1D", {"size": 2}, [(2, 4, 3)], {}),
    ("UpSampling2D", {"size": (2, 3)}, [(2, 3, 4, 2)], {}),
    ("UpSampling2D", {"size": 2, "interpolation": "bilinear"}, [(2, 3, 4, 2)], {}),
    ("UpSampling3D", {"size": 2}, [(2, 2, 3, 2, 2)], {}),
    ("ZeroPadding1D", {"padding": 2}, [(2, 4, 3)], {}),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 1))}, [(2, 3, 4, 2)], {}),
    ("ZeroPadding3D", {"padding": 1}, [(2, 2, 3, 2, 2)], {}),
    # preprocessing
    ("CenterCrop", {"height": 4, "width": 3}, [(2, 6, 5, 3)], {}),
    ("CenterCrop", {"height": 8, "width": 8}, [(2, 6, 5, 3)], {}),
    ("Normalization", {"mean": [0.5, -0.2, 1.0], "variance": [2.0, 0.5, 1.5]}, [(4, 3)], {}),
    ("Normalization", {"mean": [0.5, -0.2, 1.0], "variance": [2.0, 0.5, 1.5], "invert": True}, [(4, 3)], {}),
    ("Rescaling", {"scale": 1 / 255, "offset": -1.0}, [(2, 4, 4, 3)], {}),
    ("Resizing", {"height": 4, "width": 3}, [(2, 6, 5, 3)], {}),
    ("Resizing", {"height": 9, "width": 7}, [(2, 6, 5, 3)], {}),
    ("Resizing", {"height": 8, "width": 7, "interpolation": "nearest"}, [(2, 6, 5, 3)], {}),
    ("Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True}, [(2, 6, 5, 3)], {}),
    ("RandomFlip", {}, [(2, 4, 4, 3)], {}),
    ("RandomRotation", {"factor": 0.2}, [(2, 4, 4, 3)], {}),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.1}, [(2, 4, 4, 3)], {}),
    ("RandomZoom", {"height_factor": 0.2}, [(2, 4, 4, 3)], {}),
    ("RandomContrast", {"factor": 0.5}, [(2, 4, 4, 3)], {}),
    ("RandomCrop", {"height": 3, "width": 2}, [(2, 5, 4, 3)], {}),
]
ADAPT_CASES = [  # (class name, kwargs, input shape): adapt() on a batch, then called on another
    ("Normalization", {}, (8, 3)),
    ("Normalization", {"axis": None}, (8, 3)),
    ("Normalization", {"axis": (1, 2)}, (6, 2, 3)),
]
# True disagreements, each checked by hand: case id (its part after the number) -> why numkeras differs.
XFAIL = {
    "Activation-activation=sparsemax": "Keras 3.15.1's sparsemax is wrong on some rows: the outputs need not sum to "
        "1 (row 0 of this input gives all zeros, on the JAX and NumPy backends alike); numkeras matches the "
        "definition (Martins & Astudillo, 2016) computed by sorting in NumPy.",
    "RandomCrop-height=3-width=2": "Keras 3.15.1's RandomCrop.transform_images returns the input unchanged at "
        "inference, though its docstring says inference takes the largest centred window of the target aspect "
        "ratio, resized; numkeras does what the docstring says, so its output shape never depends on `training`.",
}


def case_id(i, cls, kwargs):
    brief = "-".join(f"{k}={v}" for k, v in kwargs.items()).replace(" ", "").replace("/", "_")
    return f"{i:03d}-{cls}" + (f"-{brief}" if brief else "")


IDS = [case_id(i, cls, kwargs) for i, (cls, kwargs, _, _) in enumerate(CASES)]
ADAPT_IDS = [case_id(i, cls, kwargs) + "-adapt" for i, (cls, kwargs, _) in enumerate(ADAPT_CASES)]


def numkeras_side(cls, kwargs, shapes, call_kwargs, seed):
    """Inputs, the weights drawn, and numkeras's outputs and weights after the call."""
    rs = np.random.RandomState(seed)
    xs = [rs.randint(0, kwargs["input_dim"], size=s).astype("int32") if cls == "Embedding" else  # ids
          rs.normal(size=s).astype("float32") for s in shapes]
    x = xs[0] if len(xs) == 1 else xs
    with warnings.catch_warnings():  # Keras warns on rms_scaling=True too; the output must still agree
        warnings.filterwarnings("ignore", message=".*rms_scaling=True is deprecated", category=UserWarning)
        layer = getattr(layers, cls)(**kwargs)
    layer(x)
    weights = random_weights([(tuple(w.shape), w.name) for w in layer.weights], seed)
    layer.set_weights(weights)
    y = np.asarray(layer(x, **{"training": False, **call_kwargs}))
    return xs, weights, y, [np.asarray(w) for w in layer.get_weights()]


@pytest.fixture(scope="module")
def results(keras_reference):
    """numkeras's outputs (or the error it raised) and Keras's results, by case id."""
    ref, ours = keras_reference, {}
    for i, (case, (cls, kwargs, shapes, call_kwargs)) in enumerate(zip(IDS, CASES)):
        try:
            xs, weights, y, after = numkeras_side(cls, kwargs, shapes, call_kwargs, seed=i)
        except Exception as e:  # this case's test fails with it; the others still run
            ours[case] = e
            continue
        ours[case] = (y, after)
        ref.add(case, "layer", class_name=cls, kwargs=kwargs, inputs=[ref.array(x) for x in xs],
                weights=[ref.array(w) for w in weights], call_kwargs={"training": False, **call_kwargs})
    for i, (case, (cls, kwargs, shape)) in enumerate(zip(ADAPT_IDS, ADAPT_CASES)):
        rs = np.random.RandomState(100 + i)
        data, x = (rs.normal(2.0, 3.0, size=shape).astype("float32") for _ in range(2))
        try:
            layer = getattr(layers, cls)(**kwargs)
            layer.adapt(data)
            ours[case] = (np.asarray(layer(x)), [np.asarray(w) for w in layer.get_weights()])
        except Exception as e:
            ours[case] = e
            continue
        ref.add(case, "layer", class_name=cls, kwargs=kwargs, inputs=[ref.array(x)], adapt=ref.array(data))
    return ours, ref.run()


def compare(results, case, cls):
    ours, theirs = results
    if isinstance(ours[case], Exception):
        raise ours[case]
    y, after = ours[case]
    assert_close(y, theirs[case]["out0"], what=f"{case}: output")
    theirs_after = [theirs[case][f"weight{i}"] for i in range(sum(k.startswith("weight") for k in theirs[case].arrays))]
    assert len(after) == len(theirs_after), f"{case}: numkeras has {len(after)} weights, Keras {len(theirs_after)}"
    for i, (a, b) in enumerate(zip(after, theirs_after)):
        assert_close(a, b, what=f"{case}: weight {i} after the call")


def params(ids):
    return [pytest.param(i, id=case, marks=[pytest.mark.xfail(strict=True, reason=XFAIL[case[4:]])]
                         if case[4:] in XFAIL else []) for i, case in enumerate(ids)]


@pytest.mark.parametrize("index", params(IDS))
def test_layer_output_matches_keras(results, index):
    compare(results, IDS[index], CASES[index][0])


@pytest.mark.parametrize("index", params(ADAPT_IDS))
def test_adapted_layer_matches_keras(results, index):
    compare(results, ADAPT_IDS[index], ADAPT_CASES[index][0])


def test_every_layer_has_a_parity_case():
    """Each public layer class (aliases by identity) has an output case here, in attention_test.py (layers called
    on several inputs with masks) or in rnn_cases.py (recurrent layers and wrappers); saving_test.py files them."""
    not_computing = {"Layer", "InputLayer", "KerasTensor", "Lambda"}  # Lambda's Python code cannot cross to Keras
    not_computing |= set(NEEDS_TENSORFLOW)  # Keras 3 runs these only with TensorFlow: see categorical_test.py
    public = {getattr(layers, n) for n in layers.__all__ if n[0].isupper() and n not in not_computing}
    covered = {getattr(layers, cls) for cls, *_ in CASES + ADAPT_CASES} | {getattr(layers, cls) for cls in ATTENTION}
    covered |= {getattr(layers, cls) for cls in rnn_cases.COVERED}  # rnn_test.py's cases
    covered |= {getattr(layers, cls) for cls in CATEGORICAL}  # categorical_test.py's cases
    missing = sorted(cls.__name__ for cls in public - covered if isinstance(cls, type))
    assert not missing, f"layers without a parity case in tests/keras_parity/layers_test.py: {missing}"
