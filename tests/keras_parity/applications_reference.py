"""The Keras side of the applications parity test: builds a `keras.applications` model, describes it, saves it.

Run as a script (`python applications_reference.py REQUEST_DIR`) under the Keras interpreter, it adds
the "application" kind to keras_reference.py's runners and hands the request to its `main`; it
imports nothing from numkeras. A case is

    {"function": "VGG16", "module": "vgg16", "kwargs": {...}, "seed": int,
     "images": array key or absent, "file": name of the weights file to write, or absent,
     "input_tensor": shape or absent}

The model is built with `weights=None` after clearing the session (so generated layer names start
afresh), its biases and batch-normalization parameters and statistics are set from `seed` (the
kernels keep Keras's seeded initialization), and it reports its parameter count, its layers' names
and its weights' shapes in `meta`. With "file", the weights are written in Keras 2's `.h5` layout
(what Keras publishes: `layer_names` at the root, one group per layer); with "images", the module's
`preprocess_input` of them is handed back as "pre" and the model's prediction on it as "out0".
"""
import sys

import numpy as np


def run_application(case):
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format
    keras.utils.clear_session()
    keras.utils.set_random_seed(case.get("seed", 0))
    module = getattr(keras.applications, case["module"])
    kwargs = dict(case.get("kwargs", {}))
    if "input_tensor" in case.fields:
        kwargs["input_tensor"] = keras.layers.Activation("linear", name="given")(
            keras.Input(tuple(case["input_tensor"]), name="images"))
    model = getattr(module, case["function"])(weights=None, **kwargs)
    rs = np.random.RandomState(case.get("seed", 0))
    for layer in model.layers:
        for w in layer.weights:
            name = w.path.split("/")[-1]
            if name in ("bias", "beta", "moving_mean"):
                w.assign(rs.uniform(-0.1, 0.1, tuple(w.shape)).astype("float32"))
            elif name in ("gamma", "moving_variance"):
                w.assign(rs.uniform(0.5, 1.5, tuple(w.shape)).astype("float32"))
    case.meta.update(count=int(model.count_params()), layers=[layer.name for layer in model.layers],
                     weight_shapes=[list(w.shape) for w in model.weights], name=model.name,
                     input_shapes=[list(t.shape) for t in model.inputs], output_shape=list(model.output.shape))
    if case.get("file"):
        with h5py.File(case.path(case["file"]), "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
    if case.get("images") is not None:
        pre = module.preprocess_input(np.copy(case.array(case["images"])))
        case.put("pre", pre)
        case.put("out0", np.asarray(model.predict(pre, verbose=0)))


if __name__ == "__main__":
    import keras_reference  # the sibling script: its Case, its main loop
    keras_reference.run_application = run_application
    keras_reference.main(sys.argv[1])
