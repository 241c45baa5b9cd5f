"""The activation and kernel/bias options that Dense and the convolution layers take, set and serialized once.

Example:
    >>> from numkeras import layers
    >>> kernel_and_bias_config(layers.Dense(2, activation="relu"), with_activity_regularizer=False)["activation"]
    'relu'
"""
from numkeras import activations, constraints, initializers, regularizers


def set_kernel_and_bias_options(layer, activation, use_bias, kernel_initializer, bias_initializer,
                                kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint):
    """Resolves (names, configs or objects) and stores the activation and the kernel/bias options on `layer`."""
    layer.activation = activations.get(activation)
    layer.use_bias = use_bias
    layer.kernel_initializer = initializers.get(kernel_initializer)
    layer.bias_initializer = initializers.get(bias_initializer)
    layer.kernel_regularizer = regularizers.get(kernel_regularizer)
    layer.bias_regularizer = regularizers.get(bias_regularizer)
    layer.kernel_constraint = constraints.get(kernel_constraint)
    layer.bias_constraint = constraints.get(bias_constraint)


def kernel_and_bias_config(layer, with_activity_regularizer=True):
    """The config entries `set_kernel_and_bias_options` stored, serialized in Keras's order.

    Keras's convolution layers write `activity_regularizer` among them; its Dense does not.
    """
    config = {"activation": activations.serialize(layer.activation), "use_bias": layer.use_bias,
              "kernel_initializer": initializers.serialize(layer.kernel_initializer),
              "bias_initializer": initializers.serialize(layer.bias_initializer),
              "kernel_regularizer": regularizers.serialize(layer.kernel_regularizer),
              "bias_regularizer": regularizers.serialize(layer.bias_regularizer)}
    if with_activity_regularizer:
        config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    config.update(kernel_constraint=constraints.serialize(layer.kernel_constraint),
                  bias_constraint=constraints.serialize(layer.bias_constraint))
    return config
