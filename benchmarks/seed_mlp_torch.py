"""The seed workload in PyTorch (CPU): one benchmark worker, run by the suite under .venv-bench.

Does not import numkeras. The model is the seed's, translated: Linear(784, hidden) + ReLU ->
Linear(hidden, 10), the softmax folded into `CrossEntropyLoss` on one-hot targets; RMSprop with
Keras's defaults (lr 1e-3, rho 0.9, eps 1e-7; torch adds eps outside the sqrt, Keras inside);
Keras's default init (glorot_uniform kernels, zero biases); reshuffled every epoch; the running
loss and accuracy tracked as Keras's fit does. Prediction is softmax(model(x)) under no_grad in
eval mode, returned as a NumPy array (predict and model(x) are the same call in PyTorch).
Prints ONE JSON line.

Usage (from the repository root):
    .venv-bench/bin/python benchmarks/seed_mlp_torch.py --epochs 5 --evaluate --predict-calls 1000
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import common  # noqa: E402  (numpy only)


def main(argv=None):
    args = common.worker_parser(__doc__.split("\n")[0]).parse_args(argv)
    t0 = time.perf_counter()
    import torch
    from torch import nn
    import_seconds = time.perf_counter() - t0

    torch.manual_seed(args.seed)
    x_train, y_train, x_test, y_test = common.prepare(common.load_raw(args))
    xtr, ytr = torch.from_numpy(x_train), torch.from_numpy(y_train)
    xte, yte = torch.from_numpy(x_test), torch.from_numpy(y_test)
    phase = common.start_rss_phase()

    model = nn.Sequential(nn.Linear(common.INPUTS, args.hidden), nn.ReLU(),
                          nn.Linear(args.hidden, common.CLASSES))
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
        correct = torch.zeros((), dtype=torch.int64)
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():  # the running loss and accuracy Keras's fit reports
                loss_sum += loss.detach() * len(idx)
                correct += (logits.argmax(1) == yb.argmax(1)).sum()
        train_loss.append(float(loss_sum) / n)
        epoch_seconds.append(time.perf_counter() - t)

    result = {
        "framework": "pytorch",
        "version": torch.__version__,
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 5) for s in epoch_seconds],
        "steps_per_epoch": -(-n // args.batch),
        "samples": n,
        "train_loss": [round(v, 5) for v in train_loss],
        "threads": torch.get_num_threads(),
    }
    common.rss_figures(phase, result)
    model.eval()
    if args.evaluate:
        with torch.no_grad():
            pred = torch.cat([model(xte[i:i + args.batch]).argmax(1)
                              for i in range(0, len(xte), args.batch)])
        result["test_accuracy"] = round(float((pred == yte.argmax(1)).float().mean()), 5)

    def forward(x):
        with torch.no_grad():
            return torch.softmax(model(torch.from_numpy(x)), dim=-1).numpy()

    def predict_all():
        with torch.no_grad():
            return torch.cat([torch.softmax(model(xte[i:i + common.PREDICT_BATCH]), dim=-1)
                              for i in range(0, len(xte), common.PREDICT_BATCH)]).numpy()

    x1 = x_test[:1]
    result.update(common.predict_figures(lambda: forward(x1), lambda: forward(x1), predict_all, args))
    common.emit(result)


if __name__ == "__main__":
    main()
