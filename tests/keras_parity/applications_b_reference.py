"""The Keras side of applications_b_test.py: builds an application model and writes it as Keras 2's `.h5`.

Run as a script (`python applications_b_reference.py REQUEST_DIR`) under the Keras interpreter, it
adds the "application" kind to keras_reference.py's runners and hands the request to its `main`;
it imports nothing from numkeras. A case is

    {"model": "InceptionV3", "kwargs": {...}, "seed": int, "inputs": [array key], "file": "x.h5"}

and the runner, in a fresh Keras session (so automatic layer names start from zero):
builds `keras.applications.<model>(weights=None, **kwargs)`, gives every BatchNormalization random
statistics (`batch_norm_statistics`), writes the weights with Keras's legacy writer (the layout
of Keras 2's `save_weights('x.h5')` and of the published ImageNet files), and reports the parameter
count, the model's name and output shape, each layer's name, class, weight shapes and the
configuration entries in `CONFIG_KEYS` (meta), and the model's output on the input ("out0").
"""
import json
import sys

import numpy as np

# The layer configuration entries compared with numkeras's (where both layers have them).
CONFIG_KEYS = ("filters", "kernel_size", "strides", "padding", "use_bias", "depth_multiplier", "activation",
               "axis", "epsilon", "momentum", "center", "scale", "max_value", "negative_slope", "threshold",
               "pool_size", "units", "keepdims")


def batch_norm_statistics(shapes, seed):
    """For each BatchNormalization's [gamma?, beta, mean, variance] shapes: values that keep a deep
    network's activations in range while making epsilon matter (variances 0.02 to 0.2, and gamma about
    sqrt(variance) so each layer roughly keeps the scale of its input; without gamma, variances 0.3 to
    0.6, which about make up for what a ReLU takes)."""
    rs = np.random.RandomState(seed)
    out = []
    for names in shapes:
        n = names[0][1][0]
        has_gamma = names[0][0] == "gamma"
        variance = rs.uniform(0.02, 0.2, n) if has_gamma else rs.uniform(0.3, 0.6, n)
        variance = variance.astype("float32")
        values = {"gamma": (np.sqrt(variance) * rs.uniform(0.8, 1.2, n)).astype("float32"),
                  "beta": rs.uniform(-0.1, 0.1, n).astype("float32"),
                  "moving_mean": rs.uniform(-0.1, 0.1, n).astype("float32"),
                  "moving_variance": variance}
        out.append([values[name] for name, _ in names])
    return out


def run_application(case):
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format
    keras.utils.clear_session()
    keras.utils.set_random_seed(case["seed"])
    kwargs = dict(case["kwargs"])
    if kwargs.get("input_shape") is not None:
        kwargs["input_shape"] = tuple(kwargs["input_shape"])
    model = getattr(keras.applications, case["model"])(weights=None, **kwargs)
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    stats = batch_norm_statistics([[(w.path.split("/")[-1], tuple(w.shape)) for w in layer.weights]
                                   for layer in norms], case["seed"])
    for layer, values in zip(norms, stats):
        layer.set_weights(values)
    with h5py.File(case.path(case["file"]), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    layers = []
    for layer in model.layers:
        config = json.loads(json.dumps(layer.get_config(), default=str))
        layers.append({"name": layer.name, "class": type(layer).__name__,
                       "weights": [list(w.shape) for w in layer.weights],
                       "config": {k: config[k] for k in CONFIG_KEYS if k in config}})
    case.meta.update(count_params=int(model.count_params()), name=model.name, layers=layers,
                     output_shape=list(model.output_shape))
    # predict compiles the model once; calling it eagerly compiles every op and took 6x as long
    case.put("out0", np.asarray(model.predict(case.array(case["inputs"][0]), verbose=0)))


if __name__ == "__main__":
    import keras_reference  # the sibling script: its Case, its main loop
    keras_reference.run_application = run_application
    keras_reference.main(sys.argv[1])
