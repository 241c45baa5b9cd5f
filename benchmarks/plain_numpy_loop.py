"""The seed workload as a plain hand-written NumPy loop, against numkeras.fit, interleaved in one process.

It shows what the framework costs over the same math written by hand: fused p - y, an in-place
relu mask, unchunked RMSprop (Keras's rule), no metrics, no checks.

Run: python -m benchmarks.plain_numpy_loop [--rounds 3]
"""
import argparse
import time

import numpy as np

from numkeras import layers, models
from numkeras.datasets import fashion_mnist
from numkeras.utils import set_random_seed, to_categorical

BATCH = 128


def plain_epoch(x, y, params, velocities, rng):
    """One epoch of Dense(512, relu) -> Dense(10, softmax), categorical crossentropy, RMSprop, by hand."""
    w1, b1, w2, b2 = params
    rho, one_minus_rho, eps, lr = np.float32(0.9), np.float32(0.1), np.float32(1e-7), np.float32(1e-3)
    order = rng.permutation(len(x))
    for start in range(0, len(x), BATCH):
        index = np.sort(order[start:start + BATCH])
        xb, yb = x[index], y[index]
        h = xb @ w1
        h += b1
        np.maximum(h, 0, out=h)
        z = h @ w2
        z += b2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        g = (e / e.sum(axis=1, keepdims=True) - yb) / len(xb)  # softmax + crossentropy, fused
        dw2, db2 = h.T @ g, g.sum(axis=0)
        dh = g @ w2.T
        dh *= h > 0
        dw1, db1 = xb.T @ dh, dh.sum(axis=0)
        for w, grad, v in zip(params, (dw1, db1, dw2, db2), velocities):
            t = grad * grad
            t *= one_minus_rho
            v *= rho
            v += t
            np.add(v, eps, out=t)
            np.sqrt(t, out=t)
            np.divide(grad, t, out=t)
            t *= lr
            w -= t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    (x, y), _ = fashion_mnist.load_data()
    x = x.reshape(len(x), 784).astype("float32") / 255
    y = to_categorical(y)

    rng = np.random.default_rng(0)
    limit1, limit2 = np.sqrt(6 / (784 + 512)), np.sqrt(6 / (512 + 10))  # glorot_uniform
    params = [rng.uniform(-limit1, limit1, (784, 512)).astype("float32"), np.zeros(512, "float32"),
              rng.uniform(-limit2, limit2, (512, 10)).astype("float32"), np.zeros(10, "float32")]
    velocities = [np.zeros_like(p) for p in params]
    set_random_seed(0)
    model = models.Sequential([layers.Dense(512, activation="relu", input_shape=(784,)),
                               layers.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    for _ in range(args.rounds):
        start = time.perf_counter()
        plain_epoch(x, y, params, velocities, rng)
        plain = time.perf_counter() - start
        start = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        framework = time.perf_counter() - start
        print(f"plain NumPy loop {plain:.3f} s   numkeras fit {framework:.3f} s   ratio {framework / plain:.2f}",
              flush=True)


if __name__ == "__main__":
    main()
