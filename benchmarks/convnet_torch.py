"""The book's MNIST convnet in PyTorch (CPU), for the speed comparison in `convnet.py`.

Runs under a Python that has torch (e.g. `.venv-bench/bin/python`) and does not import
numkeras: the data is read from Debian's IDX files with numpy. Prints ONE JSON line.

The model is the book's, translated: Conv2d(1, 32, 3) + ReLU -> MaxPool2d(2) -> Conv2d(32, 64, 3)
+ ReLU -> MaxPool2d(2) -> Conv2d(64, 64, 3) + ReLU -> Flatten -> Linear(576, 64) + ReLU ->
Linear(64, 10), softmax folded into `CrossEntropyLoss` on integer labels (Keras's
sparse_categorical_crossentropy); RMSprop with Keras's defaults (lr 1e-3, rho 0.9, eps 1e-7);
Keras's default init (glorot_uniform kernels, zero biases); batch 64, reshuffled every epoch;
PyTorch's usual NCHW layout.

Usage:
    python benchmarks/convnet_torch.py [--seed 1] [--epochs 1] [--steps N] [--synthetic]
"""
import argparse
import gzip
import json
import os
import resource
import time

import numpy as np

BATCH = 64
FMNIST_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    """Reads one gzipped uint8 IDX file into an array of the shape its header gives."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(data_dir, synthetic):
    """Returns (x_train, y_train), (x_test, y_test) as uint8; random ones of the same shapes if synthetic."""
    if synthetic:
        rng = np.random.default_rng(0)
        return ((rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8), rng.integers(0, 10, 60000, dtype=np.uint8)),
                (rng.integers(0, 256, (10000, 28, 28), dtype=np.uint8), rng.integers(0, 10, 10000, dtype=np.uint8)))
    f = lambda name: read_idx(os.path.join(data_dir, name))  # noqa: E731
    return ((f("train-images-idx3-ubyte.gz"), f("train-labels-idx1-ubyte.gz")),
            (f("t10k-images-idx3-ubyte.gz"), f("t10k-labels-idx1-ubyte.gz")))


def worker_parser(description):
    """The options every convnet peer worker takes (this one and convnet_keras.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--steps", type=int, default=None, help="train on the first STEPS batches only")
    parser.add_argument("--synthetic", action="store_true", help="random data, same shapes")
    parser.add_argument("--data-dir", default=FMNIST_DIR)
    return parser


def time_layers(repeats):
    """Median ms of Conv2d(3x3) + ReLU forward + backward for the book's three convolutions at batch 64."""
    import torch
    from torch import nn
    torch.manual_seed(0)
    out = []
    for channels, size, filters, input_grad in [(1, 28, 32, False), (32, 13, 64, True), (64, 5, 64, True)]:
        conv = nn.Conv2d(channels, filters, 3)
        x = torch.rand(BATCH, channels, size, size, requires_grad=input_grad)
        g = torch.rand(BATCH, filters, size - 2, size - 2)

        def step():
            torch.relu(conv(x)).backward(g)
        step()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            step()
            times.append(time.perf_counter() - t)
        out.append(round(1000 * sorted(times)[len(times) // 2], 3))
    return out


def main(argv=None):
    parser = worker_parser(__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, metavar="REPEATS", default=0,
                        help="only time forward+backward of the three conv layers (median of REPEATS)")
    args = parser.parse_args(argv)
    if args.layers:
        print(json.dumps({"layers_ms": time_layers(args.layers)}))
        return

    t0 = time.perf_counter()
    import torch
    from torch import nn
    import_seconds = time.perf_counter() - t0

    torch.manual_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = load(args.data_dir, args.synthetic)
    if args.steps:
        x_train, y_train = x_train[:args.steps * BATCH], y_train[:args.steps * BATCH]
    xtr = torch.from_numpy(x_train.reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    ytr = torch.from_numpy(y_train.astype(np.int64))
    xte = torch.from_numpy(x_test.reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    yte = torch.from_numpy(y_test.astype(np.int64))

    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.Flatten(), nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10))
    for m in model:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
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
            loss_sum += loss.detach() * len(idx)
        train_loss.append(float(loss_sum) / n)
        epoch_seconds.append(time.perf_counter() - t)

    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + 256]).argmax(1) for i in range(0, len(xte), 256)])
    test_acc = float((pred == yte).float().mean())

    print(json.dumps({
        "framework": "pytorch",
        "version": torch.__version__,
        "seed": args.seed,
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 4) for s in epoch_seconds],
        "train_loss": [round(v, 5) for v in train_loss],
        "test_accuracy": round(test_acc, 5),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": torch.get_num_threads(),
        "steps_per_epoch": -(-n // BATCH),
    }))


if __name__ == "__main__":
    main()
