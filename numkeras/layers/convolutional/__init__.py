"""Convolution layers: Conv1D/2D/3D, their transposes, depthwise and separable convolutions.

Example:
    >>> from numkeras.layers import Conv2D
    >>> Conv2D(32, 3).kernel_size
    (3, 3)
"""
from numkeras.layers.convolutional.conv import Conv1D, Conv2D, Conv3D
from numkeras.layers.convolutional.conv_transpose import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
from numkeras.layers.convolutional.depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from numkeras.layers.convolutional.separable_conv import SeparableConv1D, SeparableConv2D

# Keras's aliases
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
           "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
           "Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose", "Convolution2DTranspose",
           "Convolution3DTranspose", "SeparableConvolution1D", "SeparableConvolution2D"]
