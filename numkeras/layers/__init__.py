"""Layers: the building blocks of models.

`layer.py` holds the `Layer` base class (`mask_propagation.py` its masking); each family has its folder, as in
Keras's tree: `core/` (Dense, Input, Lambda), `activations/`,
`convolutional/`, `pooling/`, `normalization/`, `regularization/` (Dropout,
noise), `reshaping/` (Flatten, Reshape, padding, ...), `merging/` and
`preprocessing/`; one file per layer inside.

Each name loads its family the first time it is used, so importing numkeras
for a Dense model does not import convolution, image or saving code.

Example:
    >>> from numkeras import layers
    >>> layers.Dense(10, activation="softmax").units
    10
"""
import importlib as _importlib

# The surface: Keras 3.15's keras.layers names that numkeras implements (tests/surface checks it).
_FAMILIES = {
    "numkeras.layers.activations": ("Activation", "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"),
    "numkeras.layers.attention": ("AdditiveAttention", "Attention", "MultiHeadAttention"),
    "numkeras.layers.convolutional": ("Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D",
        "Conv3DTranspose", "Convolution1D", "Convolution1DTranspose", "Convolution2D",
        "Convolution2DTranspose", "Convolution3D", "Convolution3DTranspose", "DepthwiseConv1D",
        "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
        "SeparableConvolution2D"),
    "numkeras.layers.core": ("Dense", "EinsumDense", "Embedding", "Input", "InputLayer", "Lambda", "Masking"),
    "numkeras.layers.layer": ("Layer",),
    "numkeras.layers.serialization": ("deserialize", "serialize"),
    "numkeras.layers.merging": ("Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply",
        "Subtract", "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract"),
    "numkeras.layers.normalization": ("BatchNormalization", "GroupNormalization", "LayerNormalization"),
    "numkeras.layers.pooling": ("AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D",
        "AvgPool2D", "AvgPool3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
        "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D",
        "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
        "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling1D", "MaxPooling2D",
        "MaxPooling3D"),
    "numkeras.layers.preprocessing": ("CategoryEncoding", "CenterCrop", "Discretization", "HashedCrossing",
        "Hashing", "IntegerLookup", "Normalization", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
        "RandomTranslation", "RandomZoom", "Rescaling", "Resizing", "StringLookup", "TextVectorization"),
    "numkeras.layers.regularization": ("ActivityRegularization", "Dropout", "GaussianDropout", "GaussianNoise",
        "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"),
    "numkeras.layers.rnn": ("Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN",
        "SimpleRNNCell", "StackedRNNCells", "TimeDistributed"),
    "numkeras.layers.reshaping": ("Cropping1D", "Cropping2D", "Cropping3D", "Flatten", "Permute", "RepeatVector",
        "Reshape", "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"),
}
_MODULE_OF = {name: module for module, names in _FAMILIES.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'numkeras.layers' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__():
    return list(__all__)
