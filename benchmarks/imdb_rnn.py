"""The book's IMDB recurrent model, timed: Embedding(10000, 32) -> LSTM(32) (or GRU, SimpleRNN) -> Dense(1, sigmoid).

Sequences of 500 token ids, batch 128, RMSprop, binary crossentropy, on synthetic ids (the timing does not
depend on the words). Reports the seconds per training step, the epoch time that implies (25,000 reviews:
196 steps), and where a step's time goes:

    projections      the input projections of all timesteps and their gradients (three large matmuls)
    recurrent        the recurrent matmuls, one per timestep forward and one backward, and the kernel's gradient
    gates            the rest of the recurrent op: activations, the cell update, masks, copies
    rest of the step Embedding, Dense, the loss, RMSprop, the tape and Python

The first three are measured by running the recurrent op (and its pieces, as plain NumPy on the same shapes)
on their own; the last is the step's time less the op's. (Where numkeras has no Embedding layer, as before
issue 13's masking work, the model starts from embedded vectors and the Embedding is left out of the step.)

    OPENBLAS_NUM_THREADS=1 python -m benchmarks.imdb_rnn [--layer lstm|gru|simple_rnn] [--steps 10]

Against the peers (PyTorch, benchmarks/imdb_rnn_torch.py; Keras 3 on JAX, benchmarks/imdb_rnn_keras.py), each
run in a fresh process, interleaved with numkeras (`--json`, the same worker flags), round after round, with
one thread (OPENBLAS/OMP/MKL_NUM_THREADS=1, torch.set_num_threads(1), XLA's one intra-op thread) and with the
frameworks' default threads; prints per-step wall and CPU time (median of --steps after --warmup), the ratio
numkeras / peer, and the peak RSS:

    python -m benchmarks.imdb_rnn --torch-python .venv-bench/bin/python --jax-python .venv-keras/bin/python \
        [--layers lstm,gru,simple_rnn] [--rounds 3] [--threads one,default] [--out FILE.json]
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

BATCH, TIMESTEPS, VOCAB, EMBED, UNITS, EPOCH_STEPS = 128, 500, 10000, 32, 32, 196
GATES = {"lstm": 4, "gru": 3, "simple_rnn": 1}


def _best(fn, repeats):
    """The least CPU time of `repeats` calls: on a shared machine, wall time mostly measures the neighbours
    (run with OPENBLAS_NUM_THREADS=1, so that CPU time is the work itself)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def build(layer_name):
    import numkeras
    from numkeras import layers
    recurrent = {"lstm": layers.LSTM, "gru": layers.GRU, "simple_rnn": layers.SimpleRNN}[layer_name](UNITS)
    if hasattr(layers, "Embedding"):
        model = numkeras.Sequential([layers.Input((TIMESTEPS,), dtype="int32"), layers.Embedding(VOCAB, EMBED),
                                     recurrent, layers.Dense(1, activation="sigmoid")])
    else:
        model = numkeras.Sequential([layers.Input((TIMESTEPS, EMBED)), recurrent,
                                     layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy")
    return model, recurrent


def data(model, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (BATCH, 1)).astype("float32")
    if len(model.inputs[0].shape) == 2:
        return rng.integers(1, VOCAB, (BATCH, TIMESTEPS)).astype("int32"), y
    return rng.uniform(-0.05, 0.05, (BATCH, TIMESTEPS, EMBED)).astype("float32"), y


def op_seconds(layer_name, recurrent, repeats, input_gradient):
    """Forward and backward of the recurrent op alone, on the layer's weights (and the input's gradient when
    an Embedding below needs it)."""
    import numkeras
    from numkeras import ops
    from numkeras.engine import rnn_ops
    rng = np.random.default_rng(1)
    x = rng.uniform(-0.05, 0.05, (BATCH, TIMESTEPS, EMBED)).astype("float32")
    x = numkeras.Variable(x) if input_gradient else numkeras.ops.convert_to_tensor(x)
    cell = recurrent.cell
    states = [np.zeros((BATCH, UNITS), "float32")] * (2 if layer_name == "lstm" else 1)
    op = getattr(rnn_ops, layer_name)

    def step():
        with numkeras.GradientTape() as tape:
            out, _ = op(x, states, cell.kernel, cell.recurrent_kernel, cell.bias)
            loss = ops.sum(out)
        tape.gradient(loss, [cell.kernel, cell.recurrent_kernel, cell.bias])
    return _best(step, repeats)


def piece_seconds(layer_name, repeats, input_gradient):
    """The op's matmuls as plain NumPy on the same shapes: (projections, recurrent)."""
    rng = np.random.default_rng(2)
    width = GATES[layer_name] * UNITS
    xt = rng.standard_normal((TIMESTEPS * BATCH, EMBED)).astype("float32")
    kernel = rng.standard_normal((EMBED, width)).astype("float32")
    dz = rng.standard_normal((TIMESTEPS * BATCH, width)).astype("float32")
    recurrent = rng.standard_normal((UNITS, width)).astype("float32")
    h = rng.standard_normal((BATCH, UNITS)).astype("float32")
    dzt = rng.standard_normal((BATCH, width)).astype("float32")
    hs = rng.standard_normal((TIMESTEPS * BATCH, UNITS)).astype("float32")

    def projections():
        xt @ kernel, xt.T @ dz
        if input_gradient:
            dz @ kernel.T

    def recurrent_matmuls():
        for _ in range(TIMESTEPS):
            h @ recurrent
            dzt @ recurrent.T
        hs.T @ dz
    return _best(projections, repeats), _best(recurrent_matmuls, repeats)


def worker(args):
    """`--json`: numkeras's worker, the peers' figures for one layer, as one JSON line."""
    from benchmarks import common
    import numkeras
    model, _ = build(args.layer)
    x, y = data(model)
    wall, cpu = common.step_figures(lambda: model.train_on_batch(x, y), args.steps, args.warmup)
    common.emit({"framework": "numkeras", "version": getattr(numkeras, "__version__", "?"), "layer": args.layer,
                 "step_seconds": round(wall, 6),
                 "step_cpu_seconds": round(cpu, 6), "steps": args.steps, "warmup": args.warmup,
                 "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"), "peak_rss_mb": common.peak_rss_mb()})


def compare(args):
    """Runs numkeras and the peers in fresh processes, interleaved, and prints the table."""
    from benchmarks import common
    here = os.path.dirname(os.path.abspath(__file__))
    flags = ["--steps", str(args.steps), "--warmup", str(args.warmup)]
    workers = {"numkeras": [sys.executable, "-m", "benchmarks.imdb_rnn", "--json"]}
    if args.torch_python:
        workers["pytorch"] = [args.torch_python, os.path.join(here, "imdb_rnn_torch.py")]
    if args.jax_python:
        workers["keras-jax"] = [args.jax_python, os.path.join(here, "imdb_rnn_keras.py")]
    layers = args.layers.split(",")
    modes = args.threads.split(",")
    runs = []
    for round_ in range(args.rounds):
        for layer in layers:
            for mode in modes:
                for name, cmd in workers.items():
                    r = common.run_json_worker(cmd + ["--layer", layer] + flags, mode == "one")
                    runs.append({"round": round_, "layer": layer, "threads": mode, "framework": name, "result": r})
                    if "error" in r:
                        print(f"  {name} {layer} {mode}: ERROR {r['error'][-300:]}", file=sys.stderr)
                    else:
                        print(f"  round {round_ + 1} {layer:10s} {mode:7s} {name:9s} {r['step_seconds'] * 1e3:8.1f} ms"
                              f" (cpu {r['step_cpu_seconds'] * 1e3:8.1f} ms)  {r['peak_rss_mb']:7.1f} MB",
                              file=sys.stderr, flush=True)
    print(table(runs, layers, modes, list(workers)))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "argv": sys.argv,
                       "runs": runs}, f, indent=1)
    return runs


def table(runs, layers, modes, names):
    """Median over rounds of each framework's per-step wall and CPU ms, the ratios numkeras / peer, peak RSS."""
    def med(layer, mode, name, key):
        v = [r["result"][key] for r in runs if (r["layer"], r["threads"], r["framework"]) == (layer, mode, name)
             and "error" not in r["result"]]
        return statistics.median(v) if v else None
    head = "| layer | threads | " + " | ".join(f"{n} ms/step (cpu)" for n in names)
    head += " | " + " | ".join(f"numkeras / {n}" for n in names[1:]) + " | peak RSS MB (" + ", ".join(names) + ") |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for layer in layers:
        for mode in modes:
            wall = {n: med(layer, mode, n, "step_seconds") for n in names}
            cpu = {n: med(layer, mode, n, "step_cpu_seconds") for n in names}
            rss = {n: med(layer, mode, n, "peak_rss_mb") for n in names}
            cells = [f"{wall[n] * 1e3:.1f} ({cpu[n] * 1e3:.1f})" if wall[n] else "-" for n in names]
            ratios = [f"{wall['numkeras'] / wall[n]:.2f}x" if wall[n] and wall["numkeras"] else "-" for n in names[1:]]
            rs = ", ".join(f"{rss[n]:.0f}" if rss[n] else "-" for n in names)
            lines.append(f"| {layer} | {mode} | " + " | ".join(cells) + " | " + " | ".join(ratios) + f" | {rs} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layer", choices=sorted(GATES), default="lstm")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3, help="--json and the peers: untimed steps first")
    parser.add_argument("--json", action="store_true", help="worker mode: one JSON line (median step wall/CPU, RSS)")
    parser.add_argument("--threads", default="one,default",
                        help="with peers: 'one', 'default' or both; with --json: ignored (the env sets BLAS threads)")
    parser.add_argument("--torch-python", help="compare with PyTorch under this interpreter")
    parser.add_argument("--jax-python", help="compare with Keras 3 on JAX under this interpreter")
    parser.add_argument("--layers", default="lstm,gru,simple_rnn", help="with peers: the layers, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", help="with peers: write every run's JSON here")
    args = parser.parse_args(argv)
    if args.json:
        return worker(args)
    if args.torch_python or args.jax_python:
        return compare(args)
    model, recurrent = build(args.layer)
    x, y = data(model)
    model.train_on_batch(x, y)  # builds the optimizer's slots
    step = _best(lambda: model.train_on_batch(x, y), args.steps)
    embedded = len(model.inputs[0].shape) == 2
    op = op_seconds(args.layer, recurrent, max(3, args.steps // 2), embedded)
    projections, recurrent_matmuls = piece_seconds(args.layer, max(3, args.steps // 2), embedded)
    embedding = "Embedding" if embedded else "no Embedding (embedded inputs)"
    print(f"{args.layer.upper()}({UNITS}), seq {TIMESTEPS}, batch {BATCH}, RMSprop, {embedding}")
    print(f"  train step {step * 1e3:8.1f} ms   epoch of {EPOCH_STEPS} steps ~ {step * EPOCH_STEPS:6.1f} s")
    rows = [("projections", projections), ("recurrent matmuls", recurrent_matmuls),
            ("gates and the rest of the op", op - projections - recurrent_matmuls), ("rest of the step", step - op)]
    for name, seconds in rows:
        print(f"  {name:30s} {seconds * 1e3:8.1f} ms  {100 * seconds / step:5.1f}%")
    return {"step_seconds": step, "op_seconds": op, "projections": projections, "recurrent": recurrent_matmuls}


if __name__ == "__main__":
    main()
