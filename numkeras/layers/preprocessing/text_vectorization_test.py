import os

import numpy as np
import pytest

from numkeras import layers, models
from numkeras.backend import compiled_kernels
from numkeras.layers.preprocessing import TextVectorization


def test_punctuation_case_unicode_and_ties():
    layer = TextVectorization()
    layer.adapt(["Hello, World! hello...", "Über café — CAFÉ's", "world"])
    # ASCII letters lowercased, ASCII punctuation removed (as TensorFlow): "Ü", "É" and "—" stay.
    # hello and world twice; then the singletons high to low by code point (UTF-8 byte order):
    # "—" (U+2014) > "Ü" (U+00DC) > "c"; "café" > "cafÉs" as "é" (U+00E9) > "É" (U+00C9).
    assert layer.get_vocabulary() == ["", "[UNK]", "world", "hello", "—", "Über", "café", "cafÉs"]
    out = layer(np.array(["WORLD, hello? über"])).numpy()
    np.testing.assert_array_equal(out, [[2, 3, 1]])


def test_empty_strings_padding_and_output_sequence_length():
    layer = TextVectorization(vocabulary=["a", "b"])
    np.testing.assert_array_equal(layer(["a b a", "", "  b\t"]).numpy(), [[2, 3, 2], [0, 0, 0], [3, 0, 0]])
    fixed = TextVectorization(vocabulary=["a", "b"], output_sequence_length=2)
    np.testing.assert_array_equal(fixed(np.array([["a b a"], ["zz"]])).numpy(), [[2, 3], [1, 0]])
    assert fixed.compute_output_shape((None, 1)) == (None, 2)


def test_ngrams_split_modes_and_callables():
    layer = TextVectorization(ngrams=2, standardize=None)
    layer.adapt(["a b a", "b c"])
    # a, b twice; c, "b c", "b a", "a b" once (high to low)
    assert layer.get_vocabulary(include_special_tokens=False) == ["b", "a", "c", "b c", "b a", "a b"]
    chars = TextVectorization(split="character", standardize="lower")
    chars.adapt(["Héé"])
    assert chars.get_vocabulary() == ["", "[UNK]", "é", "h"]
    custom = TextVectorization(standardize=lambda x: np.char.replace(x, "-", " "),
                               split=lambda docs: [d.split(" ") for d in docs], vocabulary=["x", "y"])
    np.testing.assert_array_equal(custom(["x-y y"]).numpy(), [[2, 3, 3]])


def test_tf_idf_count_and_multi_hot_against_the_formula():
    corpus = ["the cat", "the dog", "the cat sat"]
    layer = TextVectorization(output_mode="tf_idf")
    layer.adapt(corpus)
    vocab = layer.get_vocabulary()
    assert vocab == ["[UNK]", "the", "cat", "sat", "dog"]
    df = np.array([3, 2, 1, 1], dtype=float)
    idf = np.log(1 + 3 / (1 + df))
    out = layer(["the the cat bird"]).numpy()
    np.testing.assert_allclose(out, [[idf.mean(), 2 * idf[0], idf[1], 0, 0]], rtol=1e-6)
    count = TextVectorization(output_mode="count", vocabulary=["the", "cat"])
    np.testing.assert_array_equal(count(["the the cat dog"]).numpy(), [[1, 2, 1]])
    multi = TextVectorization(output_mode="multi_hot", vocabulary=["the", "cat"], max_tokens=5,
                              pad_to_max_tokens=True)
    np.testing.assert_array_equal(multi(["the the"]).numpy(), [[0, 1, 0, 0, 0]])


def test_clear_errors():
    with pytest.raises(ValueError, match="found no tokens"):
        TextVectorization().adapt(["", " ?! "])
    with pytest.raises(ValueError, match="found no tokens"):
        TextVectorization().adapt([])
    with pytest.raises(ValueError, match="output_sequence_length only applies when output_mode='int'"):
        TextVectorization(output_mode="multi_hot", output_sequence_length=4)
    with pytest.raises(ValueError, match="unknown output_mode"):
        TextVectorization(output_mode="bag_of_words")
    with pytest.raises(ValueError, match="standardize must be one of"):
        TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match=r"shape \(batch,\) or \(batch, 1\)"):
        TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))


def test_adapt_reads_batches_from_an_iterable():
    batches = (np.array(["b a", "a"]), np.array(["c"]))
    layer = TextVectorization()
    layer.adapt(iter([(batches[0], np.zeros(2)), batches[1]]))
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "c", "b"]
    limited = TextVectorization()
    limited.adapt(iter(batches), steps=1)
    assert limited.get_vocabulary() == ["", "[UNK]", "a", "b"]


def test_model_trains_on_strings_saves_loads_and_predicts_identically(tmp_path):
    texts = np.array([["good great fun"], ["bad awful"], ["great good good"], ["awful boring bad"]])
    labels = np.array([1, 0, 1, 0], "float32")
    vectorize = TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(texts[:, 0])
    inputs = layers.Input(shape=(1,), dtype="string")
    x = layers.Embedding(20, 4)(vectorize(inputs))
    outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(x))
    model = models.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit(texts, labels, epochs=3, batch_size=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    path = os.path.join(tmp_path, "text.keras")
    model.save(path)
    restored = models.load_model(path)
    assert restored.layers[1].get_vocabulary() == vectorize.get_vocabulary()
    np.testing.assert_array_equal(restored.predict(texts, verbose=0), model.predict(texts, verbose=0))
    clone = TextVectorization.from_config(vectorize.get_config())
    assert clone.get_vocabulary() == ["", "[UNK]"]  # a learned vocabulary travels in the file, not the config


def test_tf_idf_weights_saved_and_restored(tmp_path):
    layer = TextVectorization(output_mode="tf_idf")
    layer.adapt(["a b", "a c", "a"])
    model = models.Sequential([layers.Input(shape=(1,), dtype="string"), layer, layers.Dense(2)])
    path = os.path.join(tmp_path, "tfidf.keras")
    model.save(path)
    restored = models.load_model(path)
    restored_layer = restored.layers[0]
    np.testing.assert_array_equal(restored_layer._lookup_layer.idf_weights, layer._lookup_layer.idf_weights)
    x = np.array([["a b b"], ["c q"]])
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


TRICKY = ["Hello, World! hello...", "Über café — CAFÉ's\tnaïve\u00a0space", "", "   ", "a\x00b a\x00b A-B-C",
          "x\ny\r\nz\x0bw\x0cv", "日本語 テキスト, 日本語!", "(((", "it's it’s IT'S", "a b c d e f g h"]


@pytest.mark.parametrize("kwargs", [
    {}, {"standardize": None}, {"standardize": "lower"}, {"standardize": "strip_punctuation"},
    {"ngrams": 2}, {"ngrams": (1, 3)}, {"output_sequence_length": 3}, {"output_mode": "count", "ngrams": 2},
    {"output_mode": "tf_idf"}, {"output_mode": "multi_hot", "max_tokens": 6}])
def test_compiled_path_equals_the_per_token_path(kwargs):
    fast = TextVectorization(**kwargs)
    fast.adapt(TRICKY)
    slow = TextVectorization.from_config(fast.get_config())
    slow.set_vocabulary(fast.get_vocabulary(), **({"idf_weights": fast._lookup_layer.idf_weights}
                                                   if kwargs.get("output_mode") == "tf_idf" else {}))
    slow.use_python_tokenizer = True
    assert (fast._hash_table() is not None) == compiled_kernels.is_enabled()
    queries = np.array(TRICKY + ["HELLO world  naïve", "b c d", "zzz 日本語"])
    np.testing.assert_array_equal(fast(queries).numpy(), slow(queries).numpy())


@pytest.mark.parametrize("kwargs", [{}, {"standardize": None}, {"output_mode": "tf_idf", "max_tokens": 50}])
def test_compiled_counting_learns_what_the_per_token_path_learns(kwargs):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in rng.integers(0, 40000, size=60000)]  # more distinct tokens than the first table
    corpus = TRICKY + [" ".join(words[i:i + 50]) + " W1, w1!" for i in range(0, len(words), 50)]
    compiled, python = TextVectorization(**kwargs), TextVectorization(**kwargs)
    python.use_python_tokenizer = True
    compiled.adapt(corpus)
    python.adapt(corpus)
    assert compiled.get_vocabulary() == python.get_vocabulary()
    if kwargs.get("output_mode") == "tf_idf":
        np.testing.assert_array_equal(compiled._lookup_layer.idf_weights, python._lookup_layer.idf_weights)


def _random_corpus(seed, docs=300):
    """Documents mixing ASCII words and capitals, punctuation, runs of whitespace, NULs inside a document, and
    characters of 2, 3 and 4 UTF-8 bytes, from a small alphabet so tokens and bigrams repeat."""
    rng = np.random.default_rng(seed)
    alphabet = list("abcAB.,!'-") + [" ", " ", "\t", "\n", "\x00", "é", "É", "ß", "—", "日", "本", "😀", "\U0001f9ea"]
    return np.array(["".join(rng.choice(alphabet, size=rng.integers(0, 40))) for _ in range(docs)])


@pytest.mark.parametrize("seed,kwargs", [
    (0, {}), (1, {"ngrams": 2}), (2, {"ngrams": (1, 3), "output_mode": "count"}), (3, {"standardize": None}),
    (4, {"output_sequence_length": 5}), (5, {"output_mode": "multi_hot", "ngrams": 2, "max_tokens": 30}),
    (6, {"output_mode": "tf_idf", "standardize": "lower"}), (7, {"standardize": "strip_punctuation", "ngrams": 3}),
    (8, {"output_mode": "tf_idf", "ngrams": (1, 2, 3)}), (9, {"output_mode": "tf_idf", "ngrams": (2,)})])
def test_compiled_and_python_paths_agree_on_random_unicode_corpora(seed, kwargs):
    corpus = _random_corpus(seed)
    fast, slow = TextVectorization(**kwargs), TextVectorization(**kwargs)
    slow.use_python_tokenizer = True
    fast.adapt(corpus)
    slow.adapt(corpus)
    assert fast.get_vocabulary() == slow.get_vocabulary()  # words counted compiled, longer n-grams in Python
    if kwargs.get("output_mode") == "tf_idf":  # the document counts agree too
        np.testing.assert_array_equal(fast._lookup_layer.idf_weights, slow._lookup_layer.idf_weights)
    assert (fast._hash_table() is not None) == compiled_kernels.is_enabled()
    queries = _random_corpus(seed + 100, docs=200)  # new documents: out-of-vocabulary tokens and n-grams
    expected = slow(queries).numpy()
    assert expected.dtype == (np.int64 if kwargs.get("output_mode", "int") == "int" else np.float32)
    np.testing.assert_array_equal(fast(queries).numpy(), expected)
    assert fast(queries).numpy().dtype == expected.dtype
    for i in range(0, len(queries), 7):  # batch by batch (a batch's own padding width in "int" mode)
        np.testing.assert_array_equal(fast(queries[i:i + 7]).numpy(), slow(queries[i:i + 7]).numpy())


def test_compiled_path_takes_every_layout_of_string_input():
    layer = TextVectorization(ngrams=2)
    layer.adapt(["über cat", "the cat 😀 sat", "a\x00b c"])
    reference = TextVectorization.from_config(layer.get_config())
    reference.set_vocabulary(layer.get_vocabulary())
    reference.use_python_tokenizer = True
    docs = ["Über cat, the CAT", "", "the cat 😀 sat\t", "a\x00b c a\x00b", "cat\x00"]
    expected = reference(np.array(docs)).numpy()
    column = np.array([[d, "x"] for d in docs])[:, :1]  # (batch, 1), not contiguous
    swapped = np.array(docs).astype(">U20")  # big-endian UTF-32
    every_other = np.array([d for pair in zip(docs, ["zz"] * len(docs)) for d in pair])[::2]
    for given in (np.array(docs), column, swapped, every_other, docs, [d.encode("utf-8") for d in docs],
                  np.array(docs, dtype=object)):
        np.testing.assert_array_equal(layer(given).numpy(), expected)


def test_a_lone_surrogate_fails_the_same_way_in_both_paths():
    fast = TextVectorization(vocabulary=["a"])
    slow = TextVectorization(vocabulary=["a"])
    slow.use_python_tokenizer = True
    for layer in (fast, slow):
        with pytest.raises(UnicodeEncodeError):
            layer(np.array(["a \ud800 a"]))
    with pytest.raises(UnicodeEncodeError):
        TextVectorization().adapt(np.array(["a", "b \udfff"]))


def test_the_whole_corpus_in_one_call_equals_it_in_batches():
    corpus = _random_corpus(11, docs=500)
    layer = TextVectorization(max_tokens=40, output_sequence_length=12)
    layer.adapt(corpus)
    whole = layer(corpus).numpy()
    batches = [layer(corpus[i:i + 32]).numpy() for i in range(0, 500, 32)]
    np.testing.assert_array_equal(whole, np.concatenate(batches))
    assert whole.dtype == np.int64 and whole.shape == (500, 12)


def test_adapts_on_and_trains_from_a_dataset_of_strings():
    from numkeras import utils
    texts = np.array(["good great fun", "bad awful", "great good good", "awful boring bad"])
    dataset = utils.Dataset.from_tensor_slices((texts, np.array([1, 0, 1, 0], "float32"))).batch(2)
    vectorize = TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(dataset.map(lambda x, y: x))
    assert vectorize.get_vocabulary() == ["", "[UNK]", "good", "great", "bad", "awful", "fun", "boring"]
    from_pairs = TextVectorization(max_tokens=20)
    from_pairs.adapt(dataset)  # (x, y) batches: x is counted
    assert from_pairs.get_vocabulary() == vectorize.get_vocabulary()
    inputs = layers.Input(shape=(), dtype="string")
    x = layers.GlobalAveragePooling1D()(layers.Embedding(20, 4)(vectorize(inputs)))
    model = models.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(dataset, epochs=1, verbose=0)
    np.testing.assert_array_equal(model.predict(dataset, verbose=0), model.predict(texts, verbose=0))
    first, _ = next(iter(dataset.map(lambda x, y: (vectorize(x), y))))
    np.testing.assert_array_equal(np.asarray(first), [[2, 3, 6, 0], [4, 5, 0, 0]])
