"""The 2-layer Transformer encoder classifier in PyTorch (CPU): the worker of
`python -m benchmarks.transformer_encoder --torch-python`.

Does not import numkeras. nn.Embedding(20000, 64) + nn.Embedding(200, 64) (positions) ->
nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0,
batch_first=True, layer_norm_eps=1e-3), num_layers=2) -> mean over the sequence -> Linear(64, 1), the
sigmoid folded into BCEWithLogitsLoss; RMSprop with Keras's defaults (lr 1e-3, rho 0.9, eps 1e-7).
Synthetic ids, batch 64, sequences of 200. Times training steps (zero_grad, forward, backward, step, and
the loss read back as a float, as Keras's train_on_batch returns it) and prints ONE JSON line: the median
wall and CPU seconds per step and the peak RSS.

Usage (from the repository root):
    .venv-bench/bin/python benchmarks/transformer_encoder_torch.py --threads 1
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchmarks import common  # noqa: E402  (numpy only)
from benchmarks.transformer_encoder import (  # noqa: E402  (numpy only at import)
    BATCH, EMBED, FEED_FORWARD, HEADS, LAYERS, SEQUENCE, VOCAB)

import numpy as np  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (0: the default)")
    args = p.parse_args(argv)
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
            self.tokens = nn.Embedding(VOCAB, EMBED)
            self.positions = nn.Embedding(SEQUENCE, EMBED)
            layer = nn.TransformerEncoderLayer(EMBED, HEADS, FEED_FORWARD, dropout=0.0, batch_first=True,
                                               layer_norm_eps=1e-3)
            self.encoder = nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
            self.dense = nn.Linear(EMBED, 1)

        def forward(self, ids):
            x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
            return self.dense(self.encoder(x).mean(dim=1))

    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.integers(1, VOCAB, (BATCH, SEQUENCE)).astype("int64"))
    y = torch.from_numpy(rng.integers(0, 2, (BATCH, 1)).astype("float32"))
    model = Model()
    model.train()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    wall, cpu = common.step_figures(step, args.steps, args.warmup)
    common.emit({"framework": "pytorch", "version": torch.__version__, "import_seconds": round(import_seconds, 3),
                 "step_seconds": round(wall, 6), "step_cpu_seconds": round(cpu, 6), "steps": args.steps,
                 "warmup": args.warmup, "threads": torch.get_num_threads(),
                 "parameters": sum(p.numel() for p in model.parameters()), "peak_rss_mb": common.peak_rss_mb()})


if __name__ == "__main__":
    main()
