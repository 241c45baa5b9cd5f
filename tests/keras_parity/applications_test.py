"""numkeras.applications against keras.applications: same parameter count, layer names, weights file, outputs.

For each case, real Keras builds the model with `weights=None`, gives its biases and batch
normalization non-trivial values, and writes its weights as a Keras 2 `.h5` file (the layout of
the ImageNet files Keras publishes), then preprocesses a fixed batch of images with the family's
`preprocess_input` and predicts on it (applications_reference.py). numkeras builds the same model,
must have Keras's parameter count, layer names and weight shapes, must load that file, and must
preprocess and predict the same within float32 tolerance. Most cases are small (32x32 inputs); the
full-size VGG16 and ResNet101 are compared by count and names, ResNet50 also by a prediction at 224x224
(VGG19's full count is checked against the published figure in numkeras/applications/vgg19_test.py).
"""
import os

import numpy as np
import pytest

import numkeras
from keras_parity.harness import KerasReference, assert_close
from numkeras import applications

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "applications_reference.py")

# case id -> (module, function, kwargs, image batch shape or None (no file, no prediction), input_tensor shape)
CASES = {
    "vgg16-notop": ("vgg16", "VGG16", {"include_top": False, "input_shape": [32, 32, 3]}, (2, 32, 32, 3), None),
    "vgg16-top-logits": ("vgg16", "VGG16", {"input_shape": [32, 32, 3], "classes": 7,
                                            "classifier_activation": None}, (2, 32, 32, 3), None),
    "vgg16-full": ("vgg16", "VGG16", {}, None, None),
    "vgg19-max": ("vgg19", "VGG19", {"include_top": False, "input_shape": [48, 40, 3], "pooling": "max"},
                  (2, 48, 40, 3), None),
    "resnet50-full": ("resnet50", "ResNet50", {}, (1, 224, 224, 3), None),
    "resnet50-input-tensor": ("resnet", "ResNet50", {"include_top": False, "pooling": "avg"}, (2, 40, 40, 3),
                              [40, 40, 3]),
    "resnet101-full": ("resnet", "ResNet101", {}, None, None),
    "resnet152-notop": ("resnet", "ResNet152", {"include_top": False, "name": "backbone"}, None, None),
}


def images(case_id, shape):
    rs = np.random.RandomState(sum(map(ord, case_id)))
    return rs.uniform(0.0, 255.0, shape).astype("float32")


@pytest.fixture(scope="module")
def keras_results(keras_python, tmp_path_factory):
    folder = tmp_path_factory.mktemp("keras_applications")
    ref = KerasReference(keras_python, folder, runner=RUNNER)
    for case_id, (module, function, kwargs, shape, input_tensor) in CASES.items():
        fields = {"module": module, "function": function, "kwargs": kwargs, "seed": 3}
        if shape is not None:
            fields.update(images=ref.array(images(case_id, shape)), file=f"{case_id}.h5")
        if input_tensor is not None:
            fields["input_tensor"] = input_tensor
        ref.add(case_id, "application", **fields)
    return ref.run(timeout=900), folder


def build(case_id, weights=None):
    """numkeras's model for the case, in a fresh session (generated layer names start afresh, as in Keras)."""
    module, function, kwargs, _, input_tensor = CASES[case_id]
    numkeras.utils.clear_session()
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    if input_tensor is not None:
        kwargs["input_tensor"] = numkeras.layers.Activation("linear", name="given")(
            numkeras.Input(tuple(input_tensor), name="images"))
    return getattr(getattr(applications, module), function)(weights=weights, **kwargs)


@pytest.mark.parametrize("case_id", list(CASES))
def test_count_layer_names_and_weight_shapes_match_keras(case_id, keras_results):
    results, _ = keras_results
    meta = results[case_id].check().meta
    model = build(case_id)
    assert model.name == meta["name"]
    assert [layer.name for layer in model.layers] == meta["layers"]
    assert [list(w.shape) for w in model.weights] == meta["weight_shapes"]
    assert model.count_params() == meta["count"]
    assert list(model.output.shape) == meta["output_shape"]
    assert [list(t.shape) for t in model.inputs] == meta["input_shapes"]


@pytest.mark.parametrize("case_id", [c for c in CASES if CASES[c][3] is not None])
def test_keras_weights_file_loads_and_predicts_the_same(case_id, keras_results):
    results, folder = keras_results
    result = results[case_id].check()
    module = getattr(applications, CASES[case_id][0])
    path = os.path.join(folder, f"{case_id}.h5")
    x = images(case_id, CASES[case_id][3])
    pre = module.preprocess_input(np.copy(x))
    assert_close(pre, result["pre"], what=f"{case_id} preprocess_input")
    # Loaded through the model function's own `weights=<path>` argument, as a user would.
    loaded = build(case_id, weights=path)
    y = loaded.predict(pre, verbose=0)
    scale = float(np.max(np.abs(result["out0"])))
    assert_close(y, result["out0"], rtol=1e-4, atol=1e-4 * scale, what=f"{case_id} prediction")

