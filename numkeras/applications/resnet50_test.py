import numpy as np

from numkeras import applications
from numkeras.applications import resnet, resnet50


def test_resnet50_module_is_resnet_s_model_and_preprocessing():
    assert resnet50.ResNet50 is resnet.ResNet50 is applications.ResNet50
    assert resnet50.preprocess_input is resnet.preprocess_input
    assert resnet50.decode_predictions is resnet.decode_predictions
    x = np.array([[[10.0, 20.0, 30.0]]], "float32")
    np.testing.assert_allclose(resnet50.preprocess_input(x), [[[30 - 103.939, 20 - 116.779, 10 - 123.68]]],
                               rtol=1e-6)
