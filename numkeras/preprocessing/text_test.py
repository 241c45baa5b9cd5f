import math

import numpy as np
import pytest

import numkeras
from numkeras.preprocessing.text import (Tokenizer, hashing_trick, one_hot, text_to_word_sequence,
                                         tokenizer_from_json)

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; cat?"]


def test_word_sequence_filters_lowers_and_splits():
    assert text_to_word_sequence("Hi!! The\tcat,  sat.") == ["hi", "the", "cat", "sat"]
    assert text_to_word_sequence("A-b", filters="", lower=False) == ["A-b"]
    assert text_to_word_sequence("a;b;;c", filters="", split=";") == ["a", "b", "c"]


def test_fit_counts_and_ranks_words_by_frequency_then_first_sight():
    t = Tokenizer()
    t.fit_on_texts(TEXTS)
    # the: 3, cat: 3 (the seen first), dog: 2, then each once in order of first sight.
    assert list(t.word_index) == ["the", "cat", "dog", "sat", "on", "mat", "ate", "my", "homework"]
    assert list(t.word_index.values()) == list(range(1, 10))
    assert t.index_word[2] == "cat" and t.document_count == 3
    assert dict(t.word_counts) == {"the": 3, "cat": 3, "sat": 1, "on": 1, "mat": 1, "dog": 2, "ate": 1, "my": 1,
                                   "homework": 1}
    assert t.word_docs["cat"] == 2 and t.word_docs["the"] == 2 and t.index_docs[t.word_index["dog"]] == 2


def test_sequences_with_num_words_and_oov():
    t = Tokenizer(num_words=4)
    t.fit_on_texts(TEXTS)
    assert t.texts_to_sequences(["the dog sat on a cat"]) == [[1, 3, 2]]  # sat (4) and on (5) are cut
    assert t.sequences_to_texts([[1, 3, 2, 7]]) == ["the dog cat"]
    oov = Tokenizer(num_words=4, oov_token="<oov>")
    oov.fit_on_texts(TEXTS)
    assert oov.word_index["<oov>"] == 1 and oov.word_index["the"] == 2
    assert oov.texts_to_sequences(["the dog zebra cat"]) == [[2, 1, 1, 3]]  # dog is index 4: beyond num_words
    assert oov.sequences_to_texts([[2, 99, 3]]) == ["the <oov> cat"]
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["abba", "Ac"])
    assert chars.word_index == {"a": 1, "b": 2, "c": 3} and chars.texts_to_sequences(["cab"]) == [[3, 1, 2]]
    words = Tokenizer()
    words.fit_on_texts([["New York", "is"], ["new york"]])  # lists of words are taken as they are (lower-cased)
    assert words.word_index == {"new york": 1, "is": 2}
    with pytest.raises(TypeError, match="list of texts"):
        words.fit_on_texts("one text")


def test_matrix_modes_against_the_formulas():
    t = Tokenizer(num_words=5)
    t.fit_on_texts(TEXTS)
    texts = ["cat cat the zebra sat", ""]
    count = t.texts_to_matrix(texts, mode="count")
    assert count.dtype == np.float64 and count.shape == (2, 5)
    assert count[0].tolist() == [0, 1, 2, 0, 1] and not count[1].any()
    assert t.texts_to_matrix(texts, mode="binary")[0].tolist() == [0, 1, 1, 0, 1]
    np.testing.assert_allclose(t.texts_to_matrix(texts, mode="freq")[0], [0, 1 / 4, 2 / 4, 0, 1 / 4])
    tfidf = t.texts_to_matrix(texts, mode="tfidf")[0]
    idf = {1: math.log(1 + 3 / (1 + 2)), 2: math.log(1 + 3 / (1 + 2)), 4: math.log(1 + 3 / (1 + 1))}
    expected = [0, idf[1], (1 + math.log(2)) * idf[2], 0, idf[4]]
    np.testing.assert_allclose(tfidf, expected, rtol=1e-14)
    # Without num_words, a column per index and one for 0.
    full = Tokenizer()
    full.fit_on_texts(TEXTS)
    assert full.texts_to_matrix(["homework"]).shape == (1, 10)
    with pytest.raises(ValueError, match="mode must be one of"):
        t.texts_to_matrix(texts, mode="tf-idf")
    with pytest.raises(ValueError, match="needs a width"):
        Tokenizer().texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="tfidf"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")


def test_fit_on_sequences_feeds_tfidf():
    t = Tokenizer(num_words=4)
    t.fit_on_sequences([[1, 2, 2], [2, 3]])
    assert t.document_count == 2 and t.index_docs[2] == 2
    row = t.sequences_to_matrix([[2, 2]], mode="tfidf")[0]
    np.testing.assert_allclose(row, [0, 0, (1 + math.log(2)) * math.log(1 + 2 / 3), 0], rtol=1e-14)


def test_json_round_trip_keeps_the_vocabulary_and_counts():
    t = Tokenizer(num_words=6, oov_token="?", lower=False)
    t.fit_on_texts(TEXTS)
    back = tokenizer_from_json(t.to_json())
    assert back.word_index == t.word_index and back.index_word == t.index_word
    assert back.num_words == 6 and back.oov_token == "?" and back.lower is False and back.document_count == 3
    np.testing.assert_array_equal(back.texts_to_matrix(TEXTS, "tfidf"), t.texts_to_matrix(TEXTS, "tfidf"))
    back.fit_on_texts(["more text"])  # a restored tokenizer can go on fitting
    assert back.document_count == 4 and back.word_counts["text"] == 1


def test_hashing_trick_stays_in_range_and_md5_is_stable():
    codes = hashing_trick("The cat, the hat", 7, hash_function="md5")
    assert codes[0] == codes[2] and all(1 <= c < 7 for c in codes)
    import hashlib
    assert codes[1] == int(hashlib.md5(b"cat").hexdigest(), 16) % 6 + 1
    assert all(1 <= c < 5 for c in one_hot("a b c d e", 5))


def test_preprocessing_namespace_matches_keras():
    from numkeras import preprocessing
    assert preprocessing.sequence.pad_sequences is numkeras.utils.pad_sequences
    assert preprocessing.text_dataset_from_directory is numkeras.utils.text_dataset_from_directory
    assert preprocessing.timeseries_dataset_from_array is numkeras.utils.timeseries_dataset_from_array
    assert preprocessing.image_dataset_from_directory is numkeras.utils.image_dataset_from_directory
    assert preprocessing.image.load_img is numkeras.utils.load_img and callable(preprocessing.image.smart_resize)
    assert preprocessing.text.Tokenizer is Tokenizer
