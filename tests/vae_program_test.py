"""End to end: the book's variational autoencoder (Deep Learning with Python, 3rd ed. ch. 17 / 2nd ed.
ch. 12), written as Keras 3 writes it, trained on Fashion-MNIST.

It uses what a custom model needs: a `Sampler` layer drawing with `numkeras.random.normal` and a
`SeedGenerator`, functional encoder and decoder, a subclassed model with its own `train_step`
(GradientTape, `optimizer.apply_gradients`), a KL divergence term, and `Mean` trackers listed in
`metrics`. A second form follows the 3rd edition: `compute_loss` overridden, the KL term added with
`add_loss`, the trackers found as attributes. The data come from Debian's `dataset-fashion-mnist`
(CI installs it); a subset keeps each run short.
"""
import numpy as np

import numkeras
from numkeras import layers, metrics, models, ops, optimizers, random
from numkeras.datasets import fashion_mnist
from numkeras.utils import set_random_seed

LATENT_DIM = 2
TRAIN_IMAGES = 3072
BATCH_SIZE = 128


class Sampler(layers.Layer):
    """z = z_mean + exp(z_log_var / 2) * epsilon, epsilon ~ N(0, 1): the reparameterization trick."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, z_mean, z_log_var):
        batch_size, z_size = ops.shape(z_mean)
        epsilon = random.normal((batch_size, z_size), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def build_encoder():
    image_inputs = layers.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(image_inputs)
    x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(LATENT_DIM, name="z_mean")(x)
    z_log_var = layers.Dense(LATENT_DIM, name="z_log_var")(x)
    return models.Model(image_inputs, [z_mean, z_log_var], name="encoder")


def build_decoder():
    latent_inputs = layers.Input(shape=(LATENT_DIM,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
    decoder_outputs = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)
    return models.Model(latent_inputs, decoder_outputs, name="decoder")


def vae_losses(images, reconstruction, z_mean, z_log_var):
    reconstruction_loss = ops.mean(ops.sum(
        numkeras.losses.binary_crossentropy(images, reconstruction), axis=(1, 2)))
    kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
    kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
    return reconstruction_loss, kl_loss


class VAE(models.Model):
    """The 2nd edition's form: a train_step of its own and trackers listed in `metrics`."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.sampler = Sampler(seed=1337)
        self.total_loss_tracker = metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def call(self, inputs):
        return self.encoder(inputs)

    def train_step(self, data):
        with numkeras.GradientTape() as tape:
            z_mean, z_log_var = self.encoder(data)
            z = self.sampler(z_mean, z_log_var)
            reconstruction = self.decoder(z)
            reconstruction_loss, kl_loss = vae_losses(data, reconstruction, z_mean, z_log_var)
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return {"total_loss": self.total_loss_tracker.result(),
                "reconstruction_loss": self.reconstruction_loss_tracker.result(),
                "kl_loss": self.kl_loss_tracker.result()}


class KLDivergence(layers.Layer):
    """Adds the KL term of the latent distribution to the model's losses and passes it on."""

    def call(self, z_mean, z_log_var):
        self.add_loss(ops.mean(ops.sum(-0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)), axis=1)))
        return z_mean


class VAE3(models.Model):
    """The 3rd edition's form: compute_loss overridden, fit's own step, the KL term from add_loss."""

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.sampler = Sampler(seed=7)
        self.kl = KLDivergence()
        self.reconstruction_loss_tracker = metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = metrics.Mean(name="kl_loss")

    def call(self, inputs):
        z_mean, z_log_var = self.encoder(inputs)
        self.kl(z_mean, z_log_var)
        return z_mean, z_log_var

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        z_mean, z_log_var = y_pred
        reconstruction = self.decoder(self.sampler(z_mean, z_log_var))
        reconstruction_loss = vae_losses(x, reconstruction, z_mean, z_log_var)[0]
        kl_loss = self.losses[0]
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return reconstruction_loss + kl_loss


def fashion_images():
    (x_train, _), (x_test, _) = fashion_mnist.load_data()
    to_float = lambda x: np.expand_dims(x, -1).astype("float32") / 255  # noqa: E731
    return to_float(x_train[:TRAIN_IMAGES]), to_float(x_test[:512])


def held_out_loss(vae, images):
    """The total loss on images the model never trained on, with a fixed sampling seed."""
    z_mean, z_log_var = vae.encoder(images)
    z = z_mean + ops.exp(0.5 * z_log_var) * random.normal(z_mean.shape, seed=0)
    reconstruction_loss, kl_loss = vae_losses(images, vae.decoder(z), z_mean, z_log_var)
    return float((reconstruction_loss + kl_loss).numpy())


def test_the_books_vae_trains_one_epoch_and_its_loss_falls():
    set_random_seed(0)
    train, test = fashion_images()
    vae = VAE(build_encoder(), build_decoder())
    vae.compile(optimizer=optimizers.Adam())
    before = held_out_loss(vae, test)
    batch_losses = []
    history = vae.fit(train, epochs=1, batch_size=BATCH_SIZE, verbose=0, callbacks=[
        numkeras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: batch_losses.append(logs))])
    after = held_out_loss(vae, test)
    assert set(history.history) == {"total_loss", "reconstruction_loss", "kl_loss"}
    logs = {k: v[0] for k, v in history.history.items()}
    assert np.isclose(logs["total_loss"], logs["reconstruction_loss"] + logs["kl_loss"], rtol=1e-4)
    assert logs["kl_loss"] > 0
    assert len(batch_losses) == TRAIN_IMAGES // BATCH_SIZE
    assert after < 0.9 * before, (before, after)
    # 784 pixels of binary crossentropy: an untrained decoder (outputs near 0.5) gives about 784 * 0.69.
    assert before > 400 and after < before


def test_the_third_editions_vae_with_compute_loss_and_add_loss_trains():
    set_random_seed(1)
    train, test = fashion_images()
    vae = VAE3(build_encoder(), build_decoder())
    vae.compile(optimizer=optimizers.Adam())
    before = held_out_loss(vae, test)
    history = vae.fit(train[:1024], epochs=1, batch_size=BATCH_SIZE, verbose=0)
    assert set(history.history) == {"loss", "reconstruction_loss", "kl_loss"}
    logs = {k: v[0] for k, v in history.history.items()}
    # An overridden compute_loss replaces the base one, so the KL term counts once: where it reads self.losses.
    assert np.isclose(logs["loss"], logs["reconstruction_loss"] + logs["kl_loss"], rtol=1e-4)
    assert held_out_loss(vae, test) < before
