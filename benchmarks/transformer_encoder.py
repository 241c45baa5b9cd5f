"""A 2-layer Transformer encoder classifier, timed: numkeras against PyTorch's nn.TransformerEncoder on CPU.

The model (both sides, the same shapes): token ids (batch 64, sequence 200, vocabulary 20,000) -> token
embedding + position embedding (64) -> two post-norm encoder blocks -> global average pooling over the
sequence -> Dense(1, sigmoid); binary crossentropy, RMSprop (lr 1e-3, rho 0.9, eps 1e-7). Each block is
the book's TransformerEncoder (Deep Learning with Python, 2nd ed. ch. 11, 3rd ed. ch. 15), written as a
user writes it against `numkeras.layers`:

    x = LayerNormalization(x + MultiHeadAttention(num_heads=4, key_dim=16)(x, x))
    x = LayerNormalization(x + Dense(64)(Dense(128, relu)(x)))

with 4 heads of 16 (= 64 / 4, the head size nn.MultiheadAttention uses: the book's own `key_dim=embed_dim`
would make each head 64 wide, four times PyTorch's), a feed-forward width of 128, no dropout and no
padding mask (synthetic ids, none of them 0). PyTorch (benchmarks/transformer_encoder_torch.py):
nn.Embedding x2 -> nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, 128, dropout=0, batch_first,
layer_norm_eps=1e-3: Keras's epsilon), 2 layers) -> mean -> Linear, the sigmoid folded into
BCEWithLogitsLoss. An "epoch" is 25,000 reviews: 391 steps.

    OPENBLAS_NUM_THREADS=1 python -m benchmarks.transformer_encoder [--steps 10] [--profile]

prints numkeras's step time and, with --profile, where it goes (each engine op's forward and backward,
grouped: attention's scores, softmax and weighted values; the query, key, value and output projections;
layer normalization; the dense layers' products; embeddings; optimizer; the rest: Python, the tape, small
ops), in CPU time.

    python -m benchmarks.transformer_encoder --torch-python .venv-bench/bin/python [--rounds 3]
        [--threads one,default] [--steps 20] [--warmup 3] [--out FILE.json]

runs numkeras (`--json`) and PyTorch each in a fresh process, interleaved round after round, with one
thread (OPENBLAS/OMP/MKL_NUM_THREADS=1, torch.set_num_threads(1)) and with the default threads, and
prints the median per-step wall and CPU ms, the implied epoch, the ratio numkeras / PyTorch and the peak
RSS. `--quick` (the tests' mode) runs 2 timed steps after 1 warm-up step, one round, one thread.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

BATCH, SEQUENCE, VOCAB, EMBED, HEADS, FEED_FORWARD, LAYERS, EPOCH_STEPS = 64, 200, 20000, 64, 4, 128, 2, 391


def build():
    """The numkeras model, compiled: the book's PositionalEmbedding and TransformerEncoder as user code."""
    import numkeras
    from numkeras import layers, ops

    class PositionalEmbedding(layers.Layer):
        def __init__(self, sequence_length, input_dim, output_dim, **kwargs):
            super().__init__(**kwargs)
            self.token_embeddings = layers.Embedding(input_dim=input_dim, output_dim=output_dim)
            self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=output_dim)

        def call(self, inputs):
            positions = ops.arange(0, ops.shape(inputs)[-1], 1)
            return self.token_embeddings(inputs) + self.position_embeddings(positions)

    class TransformerEncoder(layers.Layer):
        def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
            super().__init__(**kwargs)
            self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)
            self.dense_proj = numkeras.Sequential([layers.Dense(dense_dim, activation="relu"),
                                                   layers.Dense(embed_dim)])
            self.layernorm_1 = layers.LayerNormalization()
            self.layernorm_2 = layers.LayerNormalization()

        def call(self, inputs):
            attention_output = self.attention(inputs, inputs)
            proj_input = self.layernorm_1(inputs + attention_output)
            return self.layernorm_2(proj_input + self.dense_proj(proj_input))

    numkeras.utils.set_random_seed(0)
    inputs = numkeras.Input((SEQUENCE,), dtype="int32")
    x = PositionalEmbedding(SEQUENCE, VOCAB, EMBED)(inputs)
    for _ in range(LAYERS):
        x = TransformerEncoder(EMBED, FEED_FORWARD, HEADS)(x)
    x = layers.GlobalAveragePooling1D()(x)
    model = numkeras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    model.compile(optimizer="rmsprop", loss="binary_crossentropy")
    return model


def data(seed=0):
    """Synthetic token ids 1..VOCAB-1 (no padding) and 0/1 labels."""
    rng = np.random.default_rng(seed)
    return (rng.integers(1, VOCAB, (BATCH, SEQUENCE)).astype("int32"),
            rng.integers(0, 2, (BATCH, 1)).astype("float32"))


# --profile: engine functions by the group their time is reported under (the first match wins)
GROUPS = (
    ("attention: scores, softmax, values", ("attention_ops", "attention_kernels")),
    ("q, k, v, output projections (einsum)", ("einsum_ops",)),
    ("softmax (unfused attention)", ("softmax",)),
    ("layer normalization", ("normalization",)),
    ("dense products, bias, relu", ("linalg_ops", "nn_ops", "relu")),
    ("embeddings (gather, scatter-add)", ("gather",)),
    ("optimizer", ("optimizers",)),
)


def profile(model, x, y, steps):
    """Seconds per step by group, from cProfile's own time of each function over `steps` training steps;
    the time of a function outside numkeras (NumPy's, a compiled kernel), in the thread pool or in
    pooled_matmul is shared among the numkeras functions that called it, in proportion to the time each
    call took (looked up through such functions, up to five calls up)."""
    import cProfile
    import pstats
    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    profiler.enable()
    for _ in range(steps):
        model.train_on_batch(x, y)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    rest = "the rest (Python, tape, small ops)"
    totals = {name: 0.0 for name, _ in GROUPS}
    totals[rest] = 0.0
    for key, (_, _, own, _, callers) in stats.items():
        group = _group(key[0], key[2])
        if group is not None:
            totals[group] += own
        elif _passes_on(key[0]):  # NumPy's, a kernel's, the pool's: its callers'
            shares = _caller_shares(callers, stats, 5)
            for name, share in shares.items():
                totals[name] += own * share
            totals[rest] += own * (1 - sum(shares.values()))
        else:
            totals[rest] += own
    return {k: v / steps for k, v in totals.items()}


def _group(filename, function):
    where = filename.replace("\\", "/")
    if "/numkeras/" not in where:
        return None
    for name, keys in GROUPS:
        if any(k in where or k in function for k in keys):
            return name
    return None


def _passes_on(filename):
    """Whether a function's time is charged to its callers: NumPy's, a compiled kernel's, the thread pool's
    (the main thread waits there while the pool's threads work: cProfile sees only the main thread, and its
    CPU clock counts the pool's work as that wait) and pooled_matmul's (a projection's or a Dense layer's)."""
    where = filename.replace("\\", "/")
    return "/numkeras/" not in where or where.endswith(("/engine/thread_pool.py", "/engine/pooled_matmul.py"))


def _caller_shares(callers, stats, depth):
    """{group: fraction} of a function's time by who called it, in proportion to each caller's time in the
    calls (through callers that pass on, `depth` calls up at most); what finds no group is left out."""
    total = sum(caller_stats[3] for caller_stats in callers.values()) or 1.0
    shares = {}
    for key, caller_stats in callers.items():
        weight = caller_stats[3] / total
        group = _group(key[0], key[2])
        if group is not None:
            shares[group] = shares.get(group, 0.0) + weight
        elif depth > 1 and key in stats and _passes_on(key[0]):
            for name, share in _caller_shares(stats[key][4], stats, depth - 1).items():
                shares[name] = shares.get(name, 0.0) + weight * share
    return shares


def worker(args):
    """`--json`: numkeras's worker, as one JSON line."""
    from benchmarks import common
    import numkeras
    model = build()
    x, y = data()
    wall, cpu = common.step_figures(lambda: model.train_on_batch(x, y), args.steps, args.warmup)
    common.emit({"framework": "numkeras", "version": getattr(numkeras, "__version__", "?"),
                 "step_seconds": round(wall, 6), "step_cpu_seconds": round(cpu, 6), "steps": args.steps,
                 "warmup": args.warmup, "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                 "parameters": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
                 "peak_rss_mb": common.peak_rss_mb()})


def compare(args):
    """numkeras and the peers in fresh processes, interleaved; prints the table and returns every run."""
    from benchmarks import common
    here = os.path.dirname(os.path.abspath(__file__))
    flags = ["--steps", str(args.steps), "--warmup", str(args.warmup)]
    workers = {"numkeras": [sys.executable, "-m", "benchmarks.transformer_encoder", "--json"]}
    if args.torch_python:
        workers["pytorch"] = [args.torch_python, os.path.join(here, "transformer_encoder_torch.py")]
    modes = args.threads.split(",")
    runs = []
    for round_ in range(args.rounds):
        for mode in modes:
            for name, cmd in workers.items():
                r = common.run_json_worker(cmd + flags, mode == "one")
                runs.append({"round": round_, "threads": mode, "framework": name, "result": r,
                             "load_average": round(os.getloadavg()[0], 2)})
                if "error" in r:
                    print(f"  {name} {mode}: ERROR {r['error'][-300:]}", file=sys.stderr)
                else:
                    print(f"  round {round_ + 1} {mode:7s} {name:9s} {r['step_seconds'] * 1e3:8.1f} ms"
                          f" (cpu {r['step_cpu_seconds'] * 1e3:8.1f} ms)  {r['peak_rss_mb']:7.1f} MB"
                          f"  load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)
    print(table(runs, modes, list(workers)))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "argv": sys.argv,
                       "runs": runs}, f, indent=1)
    return runs


def table(runs, modes, names):
    """Median over rounds of each framework's per-step wall (CPU) ms and implied epoch s, numkeras / peer,
    peak RSS."""
    def med(mode, name, key):
        v = [r["result"][key] for r in runs if (r["threads"], r["framework"]) == (mode, name)
             and "error" not in r["result"]]
        return statistics.median(v) if v else None
    head = ("| threads | " + " | ".join(f"{n} ms/step (cpu)" for n in names) + " | "
            + " | ".join(f"{n} epoch s" for n in names) + " | "
            + " | ".join(f"numkeras / {n}" for n in names[1:]) + " | peak RSS MB (" + ", ".join(names) + ") |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for mode in modes:
        wall = {n: med(mode, n, "step_seconds") for n in names}
        cpu = {n: med(mode, n, "step_cpu_seconds") for n in names}
        rss = {n: med(mode, n, "peak_rss_mb") for n in names}
        cells = [f"{wall[n] * 1e3:.1f} ({cpu[n] * 1e3:.1f})" if wall[n] else "-" for n in names]
        epochs = [f"{wall[n] * EPOCH_STEPS:.1f}" if wall[n] else "-" for n in names]
        ratios = [f"{wall['numkeras'] / wall[n]:.2f}x" if wall[n] and wall["numkeras"] else "-" for n in names[1:]]
        rs = ", ".join(f"{rss[n]:.0f}" if rss[n] else "-" for n in names)
        lines.append(f"| {mode} | " + " | ".join(cells + epochs + ratios) + f" | {rs} |")
    return "\n".join(lines)


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=10, help="timed training steps (the median is reported)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    p.add_argument("--json", action="store_true", help="worker mode: one JSON line (median step wall/CPU, RSS)")
    p.add_argument("--threads", default="one,default",
                   help="with peers: 'one', 'default' or both; with --json: ignored (the env sets BLAS threads)")
    p.add_argument("--torch-python", help="compare with PyTorch under this interpreter")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--profile", action="store_true", help="where numkeras's step time goes")
    p.add_argument("--quick", action="store_true", help="2 timed steps, 1 warm-up, 1 round, one thread")
    p.add_argument("--out", help="with peers: write every run's JSON here")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.quick:
        args.steps, args.warmup, args.rounds, args.threads = 2, 1, 1, "one"
    if args.json:
        return worker(args)
    if args.torch_python:
        return compare(args)
    from benchmarks import common
    model = build()
    x, y = data()
    wall, cpu = common.step_figures(lambda: model.train_on_batch(x, y), args.steps, args.warmup)
    print(f"Transformer encoder x{LAYERS} (embed {EMBED}, {HEADS} heads of {EMBED // HEADS}, feed-forward "
          f"{FEED_FORWARD}), seq {SEQUENCE}, batch {BATCH}, RMSprop")
    print(f"  train step {wall * 1e3:8.1f} ms (cpu {cpu * 1e3:.1f})   epoch of {EPOCH_STEPS} steps ~ "
          f"{wall * EPOCH_STEPS:6.1f} s   peak RSS {common.peak_rss_mb():.0f} MB   load {os.getloadavg()[0]:.2f}")
    result = {"step_seconds": wall, "step_cpu_seconds": cpu}
    if args.profile:
        parts = profile(model, x, y, args.steps)
        total = sum(parts.values())
        print(f"  where a step goes (cProfile, {args.steps} steps; its own overhead inflates the Python share):")
        for name, seconds in parts.items():
            print(f"    {name:36s} {seconds * 1e3:8.2f} ms  {100 * seconds / total:5.1f}%")
        result["profile"] = parts
    return result


if __name__ == "__main__":
    main()
