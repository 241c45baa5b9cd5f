"""Layers under the "mixed_float16" policy against Keras's: float16 outputs from float32 weights, the same values
to float16 precision, and weights that stay float32."""
import numpy as np
import pytest

from keras_parity.harness import assert_close
from numkeras import layers

RS = np.random.RandomState(3)
CASES = [  # (class name, kwargs, input)
    ("Dense", {"units": 4, "activation": "relu"}, RS.normal(size=(3, 5)).astype("float32")),
    ("Conv2D", {"filters": 2, "kernel_size": 3, "padding": "same"}, RS.normal(size=(2, 5, 5, 3)).astype("float32")),
    ("Embedding", {"input_dim": 6, "output_dim": 3}, RS.randint(0, 6, (2, 4)).astype("int32")),
    ("LayerNormalization", {}, RS.normal(size=(3, 6)).astype("float32")),
]
IDS = [c[0] for c in CASES]


def _layer(cls, kwargs, x):
    layer = getattr(layers, cls)(**kwargs, dtype="mixed_float16")
    layer(x)
    rs = np.random.RandomState(len(cls))
    layer.set_weights([rs.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer


@pytest.fixture(scope="module")
def keras_mixed(keras_reference):
    ref = keras_reference
    for case_id, (cls, kwargs, x) in zip(IDS, CASES):
        weights = _layer(cls, kwargs, x).get_weights()
        ref.add(case_id, "layer", class_name=cls, kwargs={**kwargs, "dtype": "mixed_float16"}, inputs=[ref.array(x)],
                weights=[ref.array(w) for w in weights])
    return ref.run()


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_a_mixed_layer_matches_keras(keras_mixed, index):
    cls, kwargs, x = CASES[index]
    layer = _layer(cls, kwargs, x)
    out = layer(x).numpy()
    theirs = keras_mixed[IDS[index]]
    assert out.dtype == theirs["out0"].dtype == np.float16
    assert all(w.dtype == "float32" for w in layer.weights) and theirs["weight0"].dtype == np.float32
    assert_close(out.astype("float32"), theirs["out0"].astype("float32"), rtol=1e-2, atol=1e-2, what=IDS[index])
