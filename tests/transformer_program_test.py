"""The book's Transformer, written as a user writes it (Deep Learning with Python, 2nd ed. ch. 11, 3rd ed. ch. 15).

PositionalEmbedding, TransformerEncoder and TransformerDecoder are the book's subclassed layers,
ported to `numkeras.layers` and `numkeras.ops` name for name. A tiny sequence-to-sequence model
(the book's English-to-Spanish translator in miniature: padded token ids in, the next target
token out) trains a few steps, its loss goes down, and a `.keras` file of it loads back with
`custom_objects` and predicts the same.
"""
import numpy as np

import numkeras
from numkeras import layers, ops


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, input_dim, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=input_dim, output_dim=output_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=output_dim)
        self.sequence_length = sequence_length
        self.input_dim = input_dim
        self.output_dim = output_dim

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        positions = ops.arange(0, length, 1)
        embedded_tokens = self.token_embeddings(inputs)
        embedded_positions = self.position_embeddings(positions)
        return embedded_tokens + embedded_positions

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)

    def get_config(self):
        config = super().get_config()
        config.update({"output_dim": self.output_dim, "sequence_length": self.sequence_length,
                       "input_dim": self.input_dim})
        return config


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.num_heads = num_heads
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = numkeras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = ops.expand_dims(mask, axis=1)
        attention_output = self.attention(inputs, inputs, attention_mask=mask)
        proj_input = self.layernorm_1(inputs + attention_output)
        proj_output = self.dense_proj(proj_input)
        return self.layernorm_2(proj_input + proj_output)

    def get_config(self):
        config = super().get_config()
        config.update({"embed_dim": self.embed_dim, "num_heads": self.num_heads, "dense_dim": self.dense_dim})
        return config


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.num_heads = num_heads
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = numkeras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()
        self.supports_masking = True

    def get_config(self):
        config = super().get_config()
        config.update({"embed_dim": self.embed_dim, "num_heads": self.num_heads, "dense_dim": self.dense_dim})
        return config

    def call(self, inputs, encoder_outputs, mask=None):
        padding_mask = None
        if mask is not None:
            padding_mask = ops.expand_dims(mask, axis=1)
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, use_causal_mask=True)
        attention_output_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(query=attention_output_1, value=encoder_outputs, key=encoder_outputs,
                                              attention_mask=padding_mask)
        attention_output_2 = self.layernorm_2(attention_output_1 + attention_output_2)
        proj_output = self.dense_proj(attention_output_2)
        return self.layernorm_3(attention_output_2 + proj_output)


VOCAB, LENGTH, EMBED = 12, 6, 8
CUSTOM = {cls.__name__: cls for cls in (PositionalEmbedding, TransformerEncoder, TransformerDecoder)}


def translator():
    encoder_inputs = numkeras.Input(shape=(None,), dtype="int64", name="english")
    x = PositionalEmbedding(LENGTH, VOCAB, EMBED)(encoder_inputs)
    encoder_outputs = TransformerEncoder(EMBED, 16, 2)(x)
    decoder_inputs = numkeras.Input(shape=(None,), dtype="int64", name="spanish")
    x = PositionalEmbedding(LENGTH, VOCAB, EMBED)(decoder_inputs)
    x = TransformerDecoder(EMBED, 16, 2)(x, encoder_outputs)
    x = layers.Dropout(0.5)(x)
    decoder_outputs = layers.Dense(VOCAB, activation="softmax")(x)
    return numkeras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


def data(n=32, seed=0):
    """Source sentences of ids 1..VOCAB-1, zero-padded; the target is the source reversed, shifted by one."""
    rng = np.random.default_rng(seed)
    source = np.zeros((n, LENGTH), "int64")
    for row, length in zip(source, rng.integers(3, LENGTH + 1, n)):
        row[:length] = rng.integers(1, VOCAB, length)
    target = np.where(source > 0, VOCAB - source, 0)
    decoder_in = np.concatenate([np.ones((n, 1), "int64"), target[:, :-1]], axis=1)
    return [source, decoder_in], target


def test_the_books_transformer_trains_and_round_trips_a_keras_file(tmp_path):
    numkeras.utils.set_random_seed(0)
    model = translator()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = data()
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.9 * losses[0], losses
    path = tmp_path / "translator.keras"
    model.save(path)
    loaded = numkeras.saving.load_model(path, custom_objects=CUSTOM)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]


def test_the_padding_mask_reaches_the_encoder_and_ignores_padding():
    numkeras.utils.set_random_seed(1)
    embedding = PositionalEmbedding(LENGTH, VOCAB, EMBED)
    encoder = TransformerEncoder(EMBED, 16, 2)
    ids = np.array([[3, 5, 7, 0, 0, 0]])
    other_padding = np.array([[3, 5, 7, 0, 0, 0]])
    embedded = embedding(ids)
    assert embedded._keras_mask.numpy().tolist() == [[True, True, True, False, False, False]]
    out = encoder(embedded)
    # changing what sits under the padding (its embeddings) must not change the real positions' outputs
    changed = embedding(other_padding)
    changed_data = changed.numpy().copy()
    changed_data[:, 3:] += 5.0
    changed = numkeras.ops.convert_to_tensor(changed_data)
    again = encoder(changed, mask=np.array([[True, True, True, False, False, False]]))
    np.testing.assert_allclose(again.numpy()[:, :3], out.numpy()[:, :3], rtol=1e-5, atol=1e-6)
