"""The seed workload in PyTorch (CPU), for the speed comparison in `seed_mlp.py`.

Runs under a Python that has torch (e.g. `.venv-bench/bin/python`) and does not import
numkeras: the data is read from the IDX files with numpy. Prints ONE JSON line.

The model is the seed's, translated: Linear(784, 512) + ReLU -> Linear(512, 10), softmax folded
into `CrossEntropyLoss` on one-hot targets; RMSprop with Keras's defaults (lr 1e-3, rho 0.9,
eps 1e-7; torch adds eps outside the sqrt, Keras inside); Keras's default init (glorot_uniform
kernels, zero biases); batch 128, reshuffled every epoch.

Usage:
    python benchmarks/seed_mlp_torch.py [--seed 1] [--epochs 5] [--steps N] [--synthetic]
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import time

import numpy as np

BATCH = 128
FMNIST_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    """Reads one gzipped uint8 IDX file into an array of the shape its header gives."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(data_dir, synthetic):
    """Returns (x_train, y_train), (x_test, y_test) as uint8, Keras's shapes."""
    if synthetic:  # same rule as seed_mlp.synthetic_data, for runs without the data set
        rng = np.random.default_rng(0)
        return ((rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8),
                 rng.integers(0, 10, 60000, dtype=np.uint8)),
                (rng.integers(0, 256, (10000, 28, 28), dtype=np.uint8),
                 rng.integers(0, 10, 10000, dtype=np.uint8)))
    f = lambda name: read_idx(os.path.join(data_dir, name))  # noqa: E731
    return ((f("train-images-idx3-ubyte.gz"), f("train-labels-idx1-ubyte.gz")),
            (f("t10k-images-idx3-ubyte.gz"), f("t10k-labels-idx1-ubyte.gz")))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=None,
                        help="train on the first STEPS batches only (quick runs)")
    parser.add_argument("--synthetic", action="store_true", help="random data, same shapes")
    parser.add_argument("--data-dir", default=FMNIST_DIR)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    import torch
    from torch import nn
    import_seconds = time.perf_counter() - t0

    torch.manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = load(args.data_dir, args.synthetic)
    if args.steps:
        x_train, y_train = x_train[:args.steps * BATCH], y_train[:args.steps * BATCH]
    eye = np.eye(10, dtype=np.float32)
    xtr = torch.from_numpy(x_train.reshape(len(x_train), 784).astype(np.float32) / 255)
    ytr = torch.from_numpy(eye[y_train])
    xte = torch.from_numpy(x_test.reshape(len(x_test), 784).astype(np.float32) / 255)
    yte = torch.from_numpy(y_test.astype(np.int64))

    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)

    n = len(xtr)
    epoch_seconds, train_loss = [], []
    for _ in range(args.epochs):
        t = time.perf_counter()
        model.train()
        perm = torch.randperm(n, generator=gen)
        loss_sum = torch.zeros(())
        for i in range(0, n, BATCH):
            idx = perm[i:i + BATCH]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.detach() * len(idx)  # the running loss Keras's fit reports
        train_loss.append(float(loss_sum) / n)
        epoch_seconds.append(time.perf_counter() - t)

    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + BATCH]).argmax(1) for i in range(0, len(xte), BATCH)])
    test_acc = float((pred == yte).float().mean())

    print(json.dumps({
        "framework": "pytorch",
        "version": torch.__version__,
        "seed": args.seed,
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 4) for s in epoch_seconds],
        "epoch_median": round(statistics.median(epoch_seconds), 4),
        "train_loss": [round(v, 5) for v in train_loss],
        "test_accuracy": round(test_acc, 5),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": torch.get_num_threads(),
        "steps_per_epoch": -(-n // BATCH),
    }))


if __name__ == "__main__":
    main()
