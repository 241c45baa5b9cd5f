"""`ops.ctc_loss` and `ops.ctc_decode` against Keras's on the same logits: values, shapes and dtypes."""
import numpy as np
import pytest

from keras_parity.harness import assert_close
from numkeras import ops

RS = np.random.RandomState(5)
LOGITS = RS.normal(0.0, 2.0, (4, 8, 5)).astype("float32")
TARGET = np.array([[1, 2, 2, 0], [3, 0, 0, 0], [1, 1, 4, 2], [4, 3, 2, 1]], "int32")


def array(x):
    return {"array": x}


# (case id, function, args, kwargs); arrays are turned into request keys for Keras.
CASES = [
    ("loss", "ctc_loss", [TARGET, LOGITS, [3, 1, 4, 4], [8, 5, 8, 6]], {}),
    ("loss-mask_index=4", "ctc_loss", [np.where(TARGET == 4, 0, TARGET), LOGITS, [3, 1, 3, 3], [8, 8, 7, 8]],
     {"mask_index": 4}),
    ("loss-float64", "ctc_loss", [TARGET, LOGITS.astype("float64"), [3, 1, 4, 4], [8, 8, 8, 8]], {}),
    ("greedy", "ctc_decode", [LOGITS, [8, 5, 8, 3]], {}),
    ("greedy-unmerged", "ctc_decode", [LOGITS, [8, 8, 6, 8]], {"merge_repeated": False}),
    ("greedy-mask_index=2", "ctc_decode", [LOGITS, [8, 8, 8, 8]], {"mask_index": 2}),
    ("beam", "ctc_decode", [LOGITS, [8, 5, 8, 3]], {"strategy": "beam_search", "beam_width": 10}),
    ("beam-top3", "ctc_decode", [LOGITS[:, :5], [5, 5, 4, 5]],
     {"strategy": "beam_search", "beam_width": 6, "top_paths": 3}),
    ("beam-mask_index=1", "ctc_decode", [LOGITS[:, :6], [6, 6, 6, 2]],
     {"strategy": "beam_search", "beam_width": 8, "top_paths": 2, "mask_index": 1}),
]


# JAX runs without 64-bit floats, so Keras on JAX returns float32 where its NumPy, TensorFlow and PyTorch
# backends (result_type(float64, float32)) return float64, as numkeras does.
FLOAT64 = {"loss-float64"}


@pytest.fixture(scope="module")
def keras_ctc(keras_reference):
    ref = keras_reference
    for case_id, fn, args, kwargs in CASES:
        ref.add(case_id, "function", path=f"ops.{fn}", args=[array(ref.array(a)) for a in args], kwargs=kwargs)
    return ref.run()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_ctc_matches_keras(keras_ctc, index):
    case_id, fn, args, kwargs = CASES[index]
    ours = getattr(ops, fn)(*[np.asarray(a) for a in args], **kwargs)
    ours = list(ours) if isinstance(ours, tuple) else [ours]
    theirs = keras_ctc[case_id]
    dtypes = ["float64" if case_id in FLOAT64 else d for d in theirs.meta["dtypes"]]
    assert [o.dtype for o in ours] == dtypes, case_id
    for i, out in enumerate(ours):
        assert_close(out.numpy(), theirs[f"out{i}"], rtol=2e-5, atol=2e-5, what=f"{case_id} output {i}")
