import numpy as np
import pytest

from numkeras.utils.sequence_utils import pad_sequences

SEQS = [[1], [2, 3], [4, 5, 6]]


def test_defaults_pad_and_truncate_before():
    out = pad_sequences(SEQS)
    assert out.dtype == np.int32
    assert out.tolist() == [[0, 0, 1], [0, 2, 3], [4, 5, 6]]


@pytest.mark.parametrize(
    "padding, truncating, want",
    [
        ("pre", "pre", [[0, 1], [2, 3], [5, 6]]),
        ("post", "pre", [[1, 0], [2, 3], [5, 6]]),
        ("pre", "post", [[0, 1], [2, 3], [4, 5]]),
        ("post", "post", [[1, 0], [2, 3], [4, 5]]),
    ],
)
def test_padding_and_truncating(padding, truncating, want):
    assert pad_sequences(SEQS, maxlen=2, padding=padding, truncating=truncating).tolist() == want


def test_maxlen_longer_than_every_sequence_and_zero():
    assert pad_sequences(SEQS, maxlen=5, padding="post").tolist() == [[1, 0, 0, 0, 0], [2, 3, 0, 0, 0], [4, 5, 6, 0, 0]]
    assert pad_sequences(SEQS, maxlen=0).shape == (3, 0)


def test_value_and_dtype():
    out = pad_sequences(SEQS, value=-1)
    assert out.tolist() == [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]
    out = pad_sequences([[0.5], [1.5, 2.5]], dtype="float32", value=9.0)
    assert out.dtype == np.float32 and out.tolist() == [[9.0, 0.5], [1.5, 2.5]]
    # Like NumPy's cast: floats into the default int32 are truncated.
    assert pad_sequences([[1.7, 2.2]]).tolist() == [[1, 2]]
    out = pad_sequences([["a"], ["b", "c"]], dtype=object, value="<pad>")
    assert out.tolist() == [["<pad>", "a"], ["b", "c"]]
    assert pad_sequences([["ab"], []], dtype="<U2", value="x").tolist() == [["ab"], ["x"]]


def test_empty_sequences_and_inputs():
    assert pad_sequences([[], [1, 2]]).tolist() == [[0, 0], [1, 2]]
    assert pad_sequences([[], []]).shape == (2, 0)
    assert pad_sequences([]).shape == (0, 0)
    assert pad_sequences([], maxlen=3).shape == (0, 3)


def test_arrays_and_sample_shape():
    seqs = [np.ones((1, 2)), np.full((3, 2), 2.0)]
    out = pad_sequences(seqs, maxlen=2, dtype="float32", padding="post")
    assert out.shape == (2, 2, 2)
    np.testing.assert_array_equal(out[0], [[1, 1], [0, 0]])
    np.testing.assert_array_equal(out[1], [[2, 2], [2, 2]])
    assert pad_sequences((np.array([3, 4]), (5,))).tolist() == [[3, 4], [0, 5]]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sequences=5), "`sequences` must be a list of sequences. Received: sequences of type int"),
        (dict(sequences=[[1], 2]), "every item of `sequences` must be a sequence; item 1 is not: 2"),
        (dict(padding="middle"), "`padding` must be 'pre' or 'post'. Received: padding='middle'"),
        (dict(truncating="both"), "`truncating` must be 'pre' or 'post'. Received: truncating='both'"),
        (dict(maxlen=-1), "`maxlen` must be a non-negative int or None. Received: maxlen=-1"),
        (dict(maxlen=2.0), "Received: maxlen=2.0"),
        (dict(value="x"), "`value` 'x' is a string but `dtype` is 'int32'; pass dtype=object"),
        (dict(sequences=[np.ones((2, 3)), np.ones((2, 4))]), r"sequence 1 have shape \(4,\), but .* \(3,\)"),
        (dict(sequences=[["a"]]), "cannot convert sequence 0 to dtype 'int32'"),
    ],
)
def test_errors(kwargs, message):
    kwargs = {"sequences": SEQS} | kwargs
    with pytest.raises(ValueError, match=message):
        pad_sequences(**kwargs)
