"""A layer's per-weight options (initializer, regularizer, constraint), set and serialized once.

Dense and the convolution layers have a kernel and a bias; the depthwise and separable
convolutions a depthwise (and pointwise) kernel and a bias; the normalization layers a beta and
a gamma. Each weight `name` has `{name}_initializer`, `{name}_regularizer` and
`{name}_constraint`, resolved from names, configs or objects, and serialized in Keras's order:
every initializer, then every regularizer, then every constraint.

Example:
    >>> from numkeras import layers
    >>> kernel_and_bias_config(layers.Dense(2, activation="relu"), with_activity_regularizer=False)["activation"]
    'relu'
"""
from numkeras import activations, constraints, initializers, regularizers


def set_weight_options(layer, **weights):
    """Resolves and stores each `name=(initializer, regularizer, constraint)` on `layer`."""
    for name, (initializer, regularizer, constraint) in weights.items():
        setattr(layer, f"{name}_initializer", initializers.get(initializer))
        setattr(layer, f"{name}_regularizer", regularizers.get(regularizer))
        setattr(layer, f"{name}_constraint", constraints.get(constraint))


def weight_options_config(layer, names, with_activity_regularizer=False):
    """The options `set_weight_options` stored for the weights `names`, serialized in Keras's order
    (the layer's `activity_regularizer` after the regularizers, when asked)."""
    config = {f"{n}_initializer": initializers.serialize(getattr(layer, f"{n}_initializer")) for n in names}
    config.update({f"{n}_regularizer": regularizers.serialize(getattr(layer, f"{n}_regularizer")) for n in names})
    if with_activity_regularizer:
        config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    config.update({f"{n}_constraint": constraints.serialize(getattr(layer, f"{n}_constraint")) for n in names})
    return config


def set_activation_and_weight_options(layer, activation, use_bias, **weights):
    """`activation` and `use_bias`, then `set_weight_options(layer, **weights)`."""
    layer.activation = activations.get(activation)
    layer.use_bias = use_bias
    set_weight_options(layer, **weights)


def activation_and_weight_options_config(layer, names, with_activity_regularizer=True):
    """`activation` and `use_bias`, then `weight_options_config`: Keras's convolution layers write
    `activity_regularizer` among them; its Dense does not."""
    return {"activation": activations.serialize(layer.activation), "use_bias": layer.use_bias,
            **weight_options_config(layer, names, with_activity_regularizer)}


def set_kernel_and_bias_options(layer, activation, use_bias, kernel_initializer, bias_initializer,
                                kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint):
    """The activation and the kernel/bias options of Dense and the convolution layers."""
    set_activation_and_weight_options(layer, activation, use_bias,
                                      kernel=(kernel_initializer, kernel_regularizer, kernel_constraint),
                                      bias=(bias_initializer, bias_regularizer, bias_constraint))


def kernel_and_bias_config(layer, with_activity_regularizer=True):
    """The config entries `set_kernel_and_bias_options` stored."""
    return activation_and_weight_options_config(layer, ("kernel", "bias"), with_activity_regularizer)
