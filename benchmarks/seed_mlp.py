"""Times the seed workload per epoch: numkeras, PyTorch in the same run, and the BLAS floor.

The workload is the README's quickstart on Fashion-MNIST: Dense(512, relu, input 784) ->
Dense(10, softmax), rmsprop, categorical_crossentropy, accuracy, batch 128. Each training run is
a fresh subprocess (so peak RSS is its own): numkeras under this Python, PyTorch under
`--torch-python` (`benchmarks/seed_mlp_torch.py`), alternating round by round so that both see
the same machine load. The floor is the five matmuls of one training step at the workload's
shapes, timed with numpy for the same number of steps. Epoch times are noisy: compare within one
run and quote ratios.

Usage (from the repository root):
    python -m benchmarks.seed_mlp                      # 5 epochs, 1 round, seed 1
    python -m benchmarks.seed_mlp --rounds 3 --seeds 1,2,3 --json bench.json
    python -m benchmarks.seed_mlp --quick              # a few steps, to check it runs
`make bench` installs PyTorch into .venv-bench and runs this.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_SCRIPT = os.path.join(ROOT, "benchmarks", "seed_mlp_torch.py")
DEFAULT_TORCH_PYTHON = os.path.join(ROOT, ".venv-bench", "bin", "python")
BATCH = 128
STEPS_PER_EPOCH = 469  # ceil(60000 / 128)
QUICK_STEPS = 10
ACCURACY_TARGET = 0.86


def synthetic_data():
    """Random uint8 images and labels of Fashion-MNIST's shapes (for runs without the data)."""
    rng = np.random.default_rng(0)
    return ((rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8),
             rng.integers(0, 10, 60000, dtype=np.uint8)),
            (rng.integers(0, 256, (10000, 28, 28), dtype=np.uint8),
             rng.integers(0, 10, 10000, dtype=np.uint8)))


def run_numkeras(seed, epochs, steps, synthetic):
    """Trains the seed model once in this process; returns the measurements as a dict."""
    t0 = time.perf_counter()
    import numkeras
    from numkeras import callbacks, layers, models
    from numkeras.datasets import fashion_mnist
    from numkeras.utils import set_random_seed, to_categorical
    import_seconds = time.perf_counter() - t0

    class EpochTimer(callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    set_random_seed(seed)
    data = synthetic_data() if synthetic else fashion_mnist.load_data()
    (train_images, train_labels), (test_images, test_labels) = data
    if steps:
        train_images, train_labels = train_images[:steps * BATCH], train_labels[:steps * BATCH]
    train_images = train_images.reshape((len(train_images), 784)).astype("float32") / 255
    test_images = test_images.reshape((len(test_images), 784)).astype("float32") / 255
    train_labels = to_categorical(train_labels, 10)
    test_labels = to_categorical(test_labels, 10)

    model = models.Sequential()
    model.add(layers.Dense(512, activation="relu", input_shape=(784,)))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    history = model.fit(train_images, train_labels, epochs=epochs, batch_size=BATCH,
                        verbose=0, callbacks=[timer])
    _, test_acc = model.evaluate(test_images, test_labels, batch_size=BATCH, verbose=0)
    return {
        "framework": "numkeras",
        "version": getattr(numkeras, "__version__", "?"),
        "seed": seed,
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 4) for s in timer.seconds],
        "epoch_median": round(statistics.median(timer.seconds), 4),
        "train_loss": [round(float(v), 5) for v in history.history["loss"]],
        "test_accuracy": round(float(test_acc), 5),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "steps_per_epoch": -(-len(train_images) // BATCH),
    }


def matmul_floor(steps, repeats=3):
    """Seconds per epoch of the five matmuls of a training step (no dX for the input batch).

    Returns the median over `repeats` epochs of `steps` steps each.
    """
    rng = np.random.default_rng(0)
    r = lambda *shape: rng.standard_normal(shape, dtype=np.float32)  # noqa: E731
    x, w1, h, w2, g, dh = r(128, 784), r(784, 512), r(128, 512), r(512, 10), r(128, 10), r(128, 512)
    out = [np.empty((128, 512), np.float32), np.empty((128, 10), np.float32),
           np.empty((512, 10), np.float32), np.empty((128, 512), np.float32),
           np.empty((784, 512), np.float32)]
    times = []
    for _ in range(repeats + 1):  # the first pass warms up BLAS threads and caches
        t = time.perf_counter()
        for _ in range(steps):
            np.matmul(x, w1, out=out[0])      # forward, layer 1
            np.matmul(h, w2, out=out[1])      # forward, layer 2
            np.matmul(h.T, g, out=out[2])     # dW2
            np.matmul(g, w2.T, out=out[3])    # dh
            np.matmul(x.T, dh, out=out[4])    # dW1
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])


def subprocess_json(cmd):
    """Runs a worker command; returns the JSON object on the last line of its stdout."""
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark worker failed (exit {proc.returncode}): {' '.join(cmd)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def torch_available(python):
    if not python or not os.path.exists(python):
        return False
    return subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0


def summarize(runs):
    """Median and mean epoch time over all runs' epochs, plus the first epoch's median."""
    epochs = [s for run in runs for s in run["epoch_seconds"]]
    return {"median": statistics.median(epochs), "mean": statistics.fmean(epochs),
            "first": statistics.median(run["epoch_seconds"][0] for run in runs)}


def write_json_atomic(path, obj):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Times the seed MLP per epoch.")
    parser.add_argument("--epochs", type=int, default=None, help="5, or 1 with --quick")
    parser.add_argument("--rounds", type=int, default=1, help="alternating numkeras/PyTorch rounds")
    parser.add_argument("--seeds", default="1", help="comma-separated seeds, e.g. 1,2,3")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_STEPS} steps per epoch: checks that it runs, times nothing useful")
    parser.add_argument("--synthetic", action="store_true",
                        help="random data of Fashion-MNIST's shapes (no data set needed)")
    parser.add_argument("--torch-python", default=DEFAULT_TORCH_PYTHON,
                        help="a Python with torch installed; '' to skip PyTorch")
    parser.add_argument("--json", metavar="PATH", help="also write all results to PATH")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    epochs = args.epochs or (1 if args.quick else 5)
    steps = QUICK_STEPS if args.quick else None
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]

    if args.worker:  # one numkeras run, in a process of its own
        print(json.dumps(run_numkeras(seeds[0], epochs, steps, args.synthetic)))
        return

    common = ["--epochs", str(epochs)] + (["--synthetic"] if args.synthetic else [])
    nk_worker = [sys.executable, "-m", "benchmarks.seed_mlp", "--worker"] + common
    nk_worker += ["--quick"] if args.quick else []
    torch_worker = [args.torch_python, TORCH_SCRIPT] + common
    torch_worker += ["--steps", str(steps)] if steps else []
    use_torch = torch_available(args.torch_python)
    runs = {"numkeras": [], "pytorch": []}
    for r in range(args.rounds):
        for seed in seeds:
            print(f"round {r + 1}/{args.rounds}, seed {seed}: numkeras ...", file=sys.stderr, flush=True)
            runs["numkeras"].append(subprocess_json(nk_worker + ["--seeds", str(seed)]))
            if use_torch:
                print(f"round {r + 1}/{args.rounds}, seed {seed}: pytorch ...", file=sys.stderr, flush=True)
                runs["pytorch"].append(subprocess_json(torch_worker + ["--seed", str(seed)]))
    floor = matmul_floor(steps or STEPS_PER_EPOCH)

    # The report: a markdown table, then the ratios.
    rows = [("numkeras " + runs["numkeras"][0]["version"], runs["numkeras"])]
    if runs["pytorch"]:
        rows.append(("PyTorch " + runs["pytorch"][0]["version"], runs["pytorch"]))
    print(f"\nSeed MLP, {epochs} epoch(s) x {runs['numkeras'][0]['steps_per_epoch']} steps, "
          f"batch {BATCH}, {'synthetic data' if args.synthetic else 'Fashion-MNIST'}, "
          f"{args.rounds} round(s), seeds {','.join(map(str, seeds))}; {os.cpu_count()} CPUs\n")
    print("| framework | epoch s (median) | epoch s (mean) | first epoch s | epoch s, each run "
          "| test acc | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    summary = {}
    for name, rs in rows:
        s = summarize(rs)
        summary[rs[0]["framework"]] = s
        each = "; ".join(" ".join(f"{t:.2f}" for t in run["epoch_seconds"]) for run in rs)
        accs = ", ".join(f"{run['test_accuracy']:.4f}" for run in rs)
        rss = max(run["peak_rss_mb"] for run in rs)
        print(f"| {name} | {s['median']:.3f} | {s['mean']:.3f} | {s['first']:.3f} | {each} "
              f"| {accs} | {rss:.0f} |")
    print(f"| numpy matmul floor | {floor:.3f} | | | | | |")

    nk = summary["numkeras"]["median"]
    print(f"\nnumkeras / floor (median epoch): {nk / floor:.2f}x")
    if "pytorch" in summary:
        print(f"numkeras / PyTorch (median epoch): {nk / summary['pytorch']['median']:.2f}x")
    else:
        print(f"PyTorch not run (no torch under {args.torch_python!r}; `make bench` installs it)")
    passed = sum(run["test_accuracy"] >= ACCURACY_TARGET for run in runs["numkeras"])
    if not (args.quick or args.synthetic) and epochs == 5:
        print(f"numkeras test accuracy >= {ACCURACY_TARGET}: {passed}/{len(runs['numkeras'])} runs")

    if args.json:
        write_json_atomic(args.json, {
            "runs": runs, "summary": summary, "floor_epoch_seconds": floor,
            "ratio_numkeras_pytorch": nk / summary["pytorch"]["median"] if "pytorch" in summary else None,
            "ratio_numkeras_floor": nk / floor, "epochs": epochs, "rounds": args.rounds,
            "seeds": seeds, "quick": args.quick, "synthetic": args.synthetic,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "numpy": np.__version__, "processor": platform.processor()},
            "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        })


if __name__ == "__main__":
    main()
