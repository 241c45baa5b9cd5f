"""numkeras.preprocessing.text.Tokenizer against Keras 2's Tokenizer (the legacy copy inside Keras 3)."""
import random

import numpy as np
import pytest

from numkeras.preprocessing.text import Tokenizer, hashing_trick, tokenizer_from_json

CORPUS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; cat?", "", "Ünïcode café — CAFÉ.",
          "tab\tseparated\nlines", "ties: alpha beta gamma", "gamma beta alpha"]
WORDS = "the of and a to in is you that it he was for on are as with his they at be this have from".split()
_rng = random.Random(0)
RANDOM = [" ".join(_rng.choice(WORDS) for _ in range(_rng.randint(0, 40))) for _ in range(60)]
QUERIES = ["the cat and the zebra", "Café ünïcode, alpha!", "", "gamma gamma gamma beta", RANDOM[3], "x y z"]

CASES = {
    "default": dict(kwargs={}, texts=CORPUS),
    "num_words_oov": dict(kwargs={"num_words": 6, "oov_token": "<OOV>"}, texts=CORPUS + RANDOM),
    "random_corpus": dict(kwargs={"num_words": 12}, texts=RANDOM),
    "char_level": dict(kwargs={"char_level": True, "lower": False}, texts=CORPUS),
    "filters_split": dict(kwargs={"filters": ".", "split": ",", "lower": False}, texts=["a,b.c,,B", "b,c,a.a"]),
    "word_lists": dict(kwargs={"oov_token": "?"}, texts=[["New York", "is", "big"], ["new york"], ["Is", "it"]]),
    "sequences_only": dict(kwargs={"num_words": 5}, texts=None, sequences=[[1, 2, 2], [2, 3], [4]]),
}
EXTRA_SEQUENCES = [[1, 2, 3, 50], [0, 7]]


def fitted(case):
    tokenizer = Tokenizer(**case["kwargs"])
    if case.get("texts") is not None:
        tokenizer.fit_on_texts(case["texts"])
    if case.get("sequences") is not None:
        tokenizer.fit_on_sequences(case["sequences"])
    return tokenizer


def queries(case):
    return [q.split() for q in QUERIES] if case["texts"] and isinstance(case["texts"][0], list) else QUERIES


@pytest.fixture(scope="module")
def keras(keras_reference):
    for case_id, case in CASES.items():
        keras_reference.add(case_id, "legacy_tokenizer", queries=queries(case), extra_sequences=EXTRA_SEQUENCES,
                            **case)
    return keras_reference.run()


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_vocabulary_counts_and_sequences_match_keras(keras, case_id):
    case, ref = CASES[case_id], keras[case_id].check().meta
    tokenizer = fitted(case)
    assert list(tokenizer.word_index.items()) == list(ref["word_index"].items())  # the order too
    assert dict(tokenizer.word_counts) == ref["word_counts"]
    assert dict(tokenizer.word_docs) == ref["word_docs"]
    assert {str(k): v for k, v in tokenizer.index_docs.items()} == ref["index_docs"]
    assert tokenizer.document_count == ref["document_count"]
    sequences = tokenizer.texts_to_sequences(queries(case))
    assert sequences == ref["sequences"]
    assert tokenizer.sequences_to_texts(sequences + EXTRA_SEQUENCES) == ref["texts"]
    assert tokenizer_from_json(tokenizer.to_json()).texts_to_sequences(queries(case)) == ref["restored_sequences"]


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_matrices_match_keras_in_every_mode(keras, case_id):
    case = CASES[case_id]
    tokenizer = fitted(case)
    restored = tokenizer_from_json(tokenizer.to_json())
    for mode in ("binary", "count", "tfidf", "freq"):
        mine = tokenizer.texts_to_matrix(queries(case), mode=mode)
        theirs = keras[case_id][mode]
        assert mine.dtype == theirs.dtype == np.float64 and mine.shape == theirs.shape, mode
        np.testing.assert_allclose(mine, theirs, rtol=1e-13, atol=0, err_msg=mode)
        np.testing.assert_allclose(restored.texts_to_matrix(queries(case), mode=mode), keras[case_id][f"restored_{mode}"],
                                   rtol=1e-13, atol=0, err_msg=mode)


def test_md5_hashing_trick_matches_keras(keras):
    assert [hashing_trick(q, 11, hash_function="md5") for q in QUERIES] == keras["default"].check().meta["md5"]
