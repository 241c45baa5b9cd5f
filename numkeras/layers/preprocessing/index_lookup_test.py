import numpy as np
import pytest

from numkeras.layers.preprocessing import IntegerLookup, StringLookup


def test_ties_in_frequency_break_by_token_high_to_low():
    layer = StringLookup()
    layer.adapt(["b", "a", "c", "a", "b", "é", "Z"])
    # a and b twice (b first: "b" > "a"); then the singletons high to low by code point: é, c, Z
    assert layer.get_vocabulary() == ["[UNK]", "b", "a", "é", "c", "Z"]
    ints = IntegerLookup()
    ints.adapt(np.array([5, 3, 3, 9, 5, 1]))
    assert ints.get_vocabulary() == [-1, 5, 3, 9, 1]


def test_max_tokens_counts_reserved_indices_and_tf_idf_formula():
    layer = StringLookup(max_tokens=3, mask_token="", output_mode="int")
    layer.adapt(np.array([["x", "y", "y", "z", "z", "z"]]))
    assert layer.get_vocabulary() == ["", "[UNK]", "z"]
    docs = np.array([["a", "b"], ["a", "c"], ["a", "a"]])
    tfidf = StringLookup(output_mode="tf_idf")
    tfidf.adapt(docs)
    assert tfidf.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))  # a in 3 documents, b and c in one
    np.testing.assert_allclose(tfidf.idf_weights, np.concatenate([[idf.mean()], idf]), rtol=1e-6)
    out = tfidf(np.array([["a", "a", "q"]])).numpy()
    np.testing.assert_allclose(out, [[idf.mean(), 2 * idf[0], 0, 0]], rtol=1e-6)


def test_one_dimensional_array_is_one_token_per_document_but_a_batch_is_one_document():
    array = StringLookup(output_mode="tf_idf")
    array.adapt(np.array(["a", "a", "b"]))  # three documents
    batches = StringLookup(output_mode="tf_idf")
    batches.adapt(iter([np.array(["a", "a", "b"])]))  # one document
    np.testing.assert_allclose(array.idf_weights[1:], np.log(1 + 3 / (1 + np.array([2.0, 1.0]))), rtol=1e-6)
    np.testing.assert_allclose(batches.idf_weights[1:], np.log(1 + 1 / 2) * np.ones(2), rtol=1e-6)


def test_oov_indices_and_errors():
    several = StringLookup(vocabulary=["a"], num_oov_indices=2)
    out = several(np.array(["a", "b", "b", "zz"])).numpy()
    assert out[0] == 2 and out[1] == out[2] and set(out[1:]) <= {0, 1}
    with pytest.raises(ValueError, match="num_oov_indices=0.*'q'"):
        StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["a", "q"]))
    with pytest.raises(ValueError, match="found no tokens"):
        StringLookup().adapt([])
    with pytest.raises(ValueError, match="Cannot adapt"):
        StringLookup(vocabulary=["a"]).adapt(["a"])
    with pytest.raises(ValueError, match="repeats"):
        StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="unknown output_mode"):
        StringLookup(output_mode="bag")
    with pytest.raises(RuntimeError, match="needs its vocabulary"):
        StringLookup(output_mode="multi_hot")(np.array([["a"]]))


def test_ranked_tokens_sorts_only_the_candidates_yet_agrees_with_a_full_sort():
    from numkeras.layers.preprocessing.index_lookup import ranked_tokens
    rng = np.random.default_rng(0)
    counts = {f"w{i}": int(c) for i, c in enumerate(rng.integers(1, 6, size=300))}
    full = [k for k, _ in sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)]
    for limit in (0, 1, 7, 50, 299, 300, 1000, None):
        assert ranked_tokens(counts, limit) == full[:limit]
