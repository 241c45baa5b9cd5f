"""The book's IMDB recurrent model in PyTorch (CPU): one worker of `python -m benchmarks.imdb_rnn --torch-python`.

Does not import numkeras. nn.Embedding(10000, 32) -> nn.LSTM / nn.GRU / nn.RNN(tanh) (32, batch_first) ->
the last timestep's output -> Linear(32, 1), the sigmoid folded into BCEWithLogitsLoss; RMSprop with Keras's
defaults (lr 1e-3, rho 0.9, eps 1e-7). Synthetic ids, batch 128, sequences of 500. Times training steps
(zero_grad, forward, backward, step, and the loss read back as a float, as Keras's train_on_batch returns it)
and prints ONE JSON line: the median wall and CPU seconds per step and the peak RSS.

Usage (from the repository root):
    .venv-bench/bin/python benchmarks/imdb_rnn_torch.py --layer lstm --threads 1
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import common  # noqa: E402  (numpy only)
from benchmarks.imdb_rnn import BATCH, EMBED, TIMESTEPS, UNITS, VOCAB  # noqa: E402  (numpy only at import)

import numpy as np  # noqa: E402


def main(argv=None):
    args = common.rnn_worker_parser(__doc__.split("\n")[0]).parse_args(argv)
    t0 = time.perf_counter()
    import torch
    from torch import nn
    import_seconds = time.perf_counter() - t0
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, EMBED)
            rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "simple_rnn": nn.RNN}[args.layer]
            self.rnn = rnn(EMBED, UNITS, batch_first=True)
            self.dense = nn.Linear(UNITS, 1)

        def forward(self, ids):
            out, _ = self.rnn(self.embedding(ids))
            return self.dense(out[:, -1])

    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.integers(1, VOCAB, (BATCH, TIMESTEPS)).astype("int64"))
    y = torch.from_numpy(rng.integers(0, 2, (BATCH, 1)).astype("float32"))
    model = Model()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    wall, cpu = common.step_figures(step, args.steps, args.warmup)
    result = {"framework": "pytorch", "version": torch.__version__, "layer": args.layer,
              "import_seconds": round(import_seconds, 3), "step_seconds": round(wall, 6),
              "step_cpu_seconds": round(cpu, 6), "steps": args.steps, "warmup": args.warmup,
              "threads": torch.get_num_threads(), "peak_rss_mb": common.peak_rss_mb()}
    common.emit(result)


if __name__ == "__main__":
    main()
