"""Times the book's MNIST convnet on Fashion-MNIST per epoch: numkeras, PyTorch and Keras on JAX in one run.

The workload (the book's chapter-8 convnet): Conv2D(32, 3, relu, input 28x28x1) -> MaxPooling2D(2)
-> Conv2D(64, 3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3, relu) -> Flatten -> Dense(64, relu) ->
Dense(10, softmax); rmsprop, sparse_categorical_crossentropy, accuracy, batch 64, 93,322 parameters.
Each training run is a fresh subprocess, so its peak RSS is its own: numkeras under this Python,
PyTorch under `--torch-python` (`benchmarks/convnet_torch.py`) and Keras 3 on JAX under
`--jax-python` (`benchmarks/convnet_keras.py`), alternating round by round so that all see the
same machine load.

Also reported:
  * the matmul FLOPs of one epoch: forward, kernel gradients and input gradients of the three
    convolutions and two Dense layers (the first convolution needs no input gradient),
    2 FLOPs per multiply-add; pooling, activations and the optimizer are not counted;
  * the sgemm peak of this machine (float32 2048x2048 matmuls with numpy's BLAS), and the
    fraction of it numkeras reaches: epoch FLOPs / epoch seconds / peak;
  * numkeras's memory for one training step at batch 64 (tracemalloc, which sees NumPy's
    buffers): the step's peak above what was live before it, and the largest convolution
    temporary (the patch matrix of `numkeras.engine.conv_plan`).

Usage (from the repository root):
    python -m benchmarks.convnet                  # 1 epoch each, Fashion-MNIST
    python -m benchmarks.convnet --steps 100      # the first 100 batches only (quick)
    python -m benchmarks.convnet --rounds 2 --json convnet.json
    python -m benchmarks.convnet --layers 50      # the three conv layers alone, forward+backward
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

from benchmarks.common import epoch_timer, has_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_SCRIPT = os.path.join(ROOT, "benchmarks", "convnet_torch.py")
DEFAULT_TORCH_PYTHON = os.path.join(ROOT, ".venv-bench", "bin", "python")
KERAS_SCRIPT = os.path.join(ROOT, "benchmarks", "convnet_keras.py")
DEFAULT_JAX_PYTHON = os.path.join(ROOT, ".venv-keras", "bin", "python")
BATCH = 64
N_TRAIN = 60000


def epoch_flops(samples):
    """Matmul FLOPs of one training epoch over `samples` images (see the module docstring)."""
    # (output positions, output channels, kernel taps * input channels) of each convolution
    convs = [(26 * 26, 32, 9 * 1), (11 * 11, 64, 9 * 32), (3 * 3, 64, 9 * 64)]
    dense = [(576, 64), (64, 10)]
    forward = [p * f * k for p, f, k in convs] + [i * o for i, o in dense]
    macs = 3 * sum(forward) - forward[0]  # forward + kernel gradient + input gradient, none for the input
    return 2 * macs * samples


def sgemm_peak_gflops(n=2048, repeats=5):
    """Best float32 matmul rate of numpy's BLAS on this machine, in GFLOP/s."""
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    out = np.empty_like(a)
    np.matmul(a, a, out=out)  # warm up threads and caches
    best = min(_timed(lambda: np.matmul(a, a, out=out)) for _ in range(repeats))
    return 2 * n ** 3 / best / 1e9


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def build_model():
    from numkeras import layers, models
    from numkeras.layers.convolutional import Conv2D
    from numkeras.layers.pooling import MaxPooling2D
    return models.Sequential([
        layers.Input((28, 28, 1)),
        Conv2D(32, 3, activation="relu"), MaxPooling2D(2),
        Conv2D(64, 3, activation="relu"), MaxPooling2D(2),
        Conv2D(64, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def step_memory(model, x, y):
    """tracemalloc figures (MB) of one training step at batch 64, plus the largest conv temporary."""
    import tracemalloc

    from numkeras.engine import conv_plan
    from numkeras.layers.convolutional import Conv2D
    model.train_on_batch(x, y)  # optimizer slots and caches exist before measuring
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    model.train_on_batch(x, y)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    largest, shape = 0, (len(x),) + x.shape[1:]
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            pads = conv_plan.conv_pads(shape[1:-1], layer.kernel_size, layer.strides, layer.dilation_rate,
                                      layer.padding)
            plan = conv_plan.ConvPlan(shape, layer.kernel.shape, layer.strides, layer.dilation_rate, pads,
                                  np.float32, layer.name)
            largest = max(largest, plan.groups * min(plan.chunk, plan.batch) * plan.positions * plan.patch_size * 4)
        shape = (len(x),) + tuple(layer.output_shape[1:])
    return {"step_peak_mb": round(peak / 2**20, 2), "largest_conv_temporary_mb": round(largest / 2**20, 2)}


# The book's three convolutions at batch 64: (input shape NHWC, filters, whether the input needs a gradient)
CONV_LAYERS = [((BATCH, 28, 28, 1), 32, False), ((BATCH, 13, 13, 32), 64, True), ((BATCH, 5, 5, 64), 64, True)]


def time_layers_numkeras(repeats):
    """Median ms of forward + backward (kernel, bias and, but for the first, input gradients) per conv layer."""
    import numkeras
    from numkeras.layers.convolutional import Conv2D
    rng = np.random.default_rng(0)
    out = []
    for shape, filters, input_grad in CONV_LAYERS:
        layer = Conv2D(filters, 3, activation="relu")
        x = numkeras.ops.convert_to_tensor(rng.random(shape, dtype=np.float32))
        layer(x)
        g = rng.random(layer.compute_output_shape(shape), dtype=np.float32)

        def step():
            with numkeras.GradientTape() as tape:
                if input_grad:
                    tape.watch(x)
                y = layer(x)
            tape.gradient(y, [layer.kernel, layer.bias] + ([x] if input_grad else []), output_gradients=g)
        out.append(_median_ms(step, repeats))
    return out


def _median_ms(fn, repeats):
    fn()
    times = sorted(_timed(fn) for _ in range(repeats))
    return round(1000 * times[len(times) // 2], 3)


def run_numkeras(seed, epochs, steps, synthetic):
    """Trains the convnet once in this process; returns the measurements as a dict."""
    t0 = time.perf_counter()
    import numkeras
    from numkeras import callbacks
    from numkeras.utils import set_random_seed
    import_seconds = time.perf_counter() - t0

    EpochTimer = epoch_timer(callbacks.Callback)

    set_random_seed(seed)
    if synthetic:
        rng = np.random.default_rng(0)
        data = ((rng.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8), rng.integers(0, 10, N_TRAIN)),
                (rng.integers(0, 256, (10000, 28, 28), dtype=np.uint8), rng.integers(0, 10, 10000)))
    else:
        from numkeras.datasets import fashion_mnist
        data = fashion_mnist.load_data()
    (train_images, train_labels), (test_images, test_labels) = data
    if steps:
        train_images, train_labels = train_images[:steps * BATCH], train_labels[:steps * BATCH]
    train_images = train_images.reshape((-1, 28, 28, 1)).astype("float32") / 255
    test_images = test_images.reshape((-1, 28, 28, 1)).astype("float32") / 255

    model = build_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = EpochTimer()
    history = model.fit(train_images, train_labels, epochs=epochs, batch_size=BATCH, verbose=0,
                        callbacks=[timer])
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # training's peak
    _, test_acc = model.evaluate(test_images, test_labels, batch_size=256, verbose=0)
    return {
        "framework": "numkeras",
        "version": getattr(numkeras, "__version__", "?"),
        "seed": seed,
        "params": model.count_params(),
        "import_seconds": round(import_seconds, 4),
        "epoch_seconds": [round(s, 4) for s in timer.seconds],
        "train_loss": [round(float(v), 5) for v in history.history["loss"]],
        "test_accuracy": round(float(test_acc), 5),
        "peak_rss_mb": round(peak_rss, 1),
        "steps_per_epoch": -(-len(train_images) // BATCH),
        **step_memory(model, train_images[:BATCH], train_labels[:BATCH]),
    }


def subprocess_json(cmd):
    """Runs a worker command; returns the JSON object on the last line of its stdout."""
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark worker failed (exit {proc.returncode}): {' '.join(cmd)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_json_atomic(path, obj):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def compare_layers(args):
    """Prints forward+backward ms of each conv layer (ReLU included) for numkeras and PyTorch."""
    nk = subprocess_json([sys.executable, "-m", "benchmarks.convnet", "--worker", "--layers", str(args.layers)])
    pt = (subprocess_json([args.torch_python, TORCH_SCRIPT, "--layers", str(args.layers)])
          if has_module(args.torch_python, "torch") else {"layers_ms": [float("nan")] * len(CONV_LAYERS)})
    print(f"\nConv2D(3x3) + ReLU forward+backward at batch {BATCH}, median of {args.layers}, ms\n")
    print("| layer input | numkeras | PyTorch | ratio |\n|---|---|---|---|")
    for (shape, filters, _), a, b in zip(CONV_LAYERS, nk["layers_ms"], pt["layers_ms"]):
        print(f"| {shape[1:]} -> {filters} | {a:.2f} | {b:.2f} | {a / b:.2f} |")
    a, b = sum(nk["layers_ms"]), sum(pt["layers_ms"])
    print(f"| all three | {a:.2f} | {b:.2f} | {a / b:.2f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Times the book's convnet per epoch.")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--steps", type=int, default=None, help="train on the first STEPS batches only")
    parser.add_argument("--rounds", type=int, default=1, help="alternating numkeras/PyTorch rounds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--synthetic", action="store_true", help="random data of Fashion-MNIST's shapes")
    parser.add_argument("--torch-python", default=DEFAULT_TORCH_PYTHON,
                        help="a Python with torch installed; '' to skip PyTorch")
    parser.add_argument("--jax-python", default=DEFAULT_JAX_PYTHON,
                        help="a Python with keras and jax installed; '' to skip Keras on JAX")
    parser.add_argument("--json", metavar="PATH", help="also write all results to PATH")
    parser.add_argument("--layers", type=int, metavar="REPEATS", default=0,
                        help="only time forward+backward of the three conv layers (median of REPEATS)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:  # one numkeras run, in a process of its own
        result = ({"layers_ms": time_layers_numkeras(args.layers)} if args.layers else
                  run_numkeras(args.seed, args.epochs, args.steps, args.synthetic))
        print(json.dumps(result))
        return
    if args.layers:
        return compare_layers(args)

    common = ["--epochs", str(args.epochs), "--seed", str(args.seed)]
    common += (["--synthetic"] if args.synthetic else []) + (["--steps", str(args.steps)] if args.steps else [])
    nk_worker = [sys.executable, "-m", "benchmarks.convnet", "--worker"] + common
    torch_worker = [args.torch_python, TORCH_SCRIPT] + common
    keras_worker = [args.jax_python, KERAS_SCRIPT] + common
    use_torch = has_module(args.torch_python, "torch")
    use_keras = has_module(args.jax_python, "keras")
    runs = {"numkeras": [], "pytorch": [], "keras-jax": []}
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}: numkeras ...", file=sys.stderr, flush=True)
        runs["numkeras"].append(subprocess_json(nk_worker))
        if use_torch:
            print(f"round {r + 1}/{args.rounds}: pytorch ...", file=sys.stderr, flush=True)
            runs["pytorch"].append(subprocess_json(torch_worker))
        if use_keras:
            print(f"round {r + 1}/{args.rounds}: keras-jax ...", file=sys.stderr, flush=True)
            runs["keras-jax"].append(subprocess_json(keras_worker))
    peak = sgemm_peak_gflops()

    nk = runs["numkeras"]
    samples = nk[0]["steps_per_epoch"] * BATCH if args.steps else N_TRAIN
    flops = epoch_flops(min(samples, N_TRAIN))
    print(f"\nBook convnet ({nk[0]['params']:,} params), {args.epochs} epoch(s) x {nk[0]['steps_per_epoch']} "
          f"steps, batch {BATCH}, {'synthetic data' if args.synthetic else 'Fashion-MNIST'}, {args.rounds} "
          f"round(s); {os.cpu_count()} CPUs\n")
    print("| framework | epoch s (each run) | best epoch s | test acc | peak RSS MB | GFLOP/s | of sgemm peak |")
    print("|---|---|---|---|---|---|---|")
    best = {}
    for name, rs in runs.items():
        if not rs:
            continue
        epochs = [s for run in rs for s in run["epoch_seconds"]]
        best[name] = min(epochs)
        rate = flops / best[name] / 1e9
        print(f"| {name} {rs[0]['version']} | {' '.join(f'{s:.2f}' for s in epochs)} | {best[name]:.2f} "
              f"| {', '.join(str(run['test_accuracy']) for run in rs)} | {max(run['peak_rss_mb'] for run in rs):.0f} "
              f"| {rate:.1f} | {rate / peak:.1%} |")
    print(f"\nmatmul FLOPs of one epoch ({min(samples, N_TRAIN)} samples): {flops / 1e9:.1f} GFLOP; "
          f"sgemm peak {peak:.1f} GFLOP/s")
    print(f"numkeras step memory at batch {BATCH}: peak {nk[0]['step_peak_mb']} MB above the live arrays; "
          f"largest conv temporary {nk[0]['largest_conv_temporary_mb']} MB (the patch matrix)")
    ratio = None
    if "pytorch" in best:
        ratio = best["numkeras"] / best["pytorch"]
        rss = max(r["peak_rss_mb"] for r in nk) / max(r["peak_rss_mb"] for r in runs["pytorch"])
        print(f"numkeras / PyTorch: epoch time {ratio:.2f}x, peak RSS {rss:.2f}x")
    else:
        print(f"PyTorch not run (no torch under {args.torch_python!r}; `make bench` installs it)")
    if "keras-jax" in best:
        rss = max(r["peak_rss_mb"] for r in nk) / max(r["peak_rss_mb"] for r in runs["keras-jax"])
        print(f"numkeras / Keras-JAX: epoch time {best['numkeras'] / best['keras-jax']:.2f}x, peak RSS {rss:.2f}x "
              "(Keras's epoch includes its compilation)")
    else:
        print(f"Keras on JAX not run (no keras under {args.jax_python!r}; `make bench` installs it)")

    if args.json:
        write_json_atomic(args.json, {
            "runs": runs, "best_epoch_seconds": best, "ratio_numkeras_pytorch": ratio,
            "epoch_flops": flops, "sgemm_peak_gflops": peak, "epochs": args.epochs, "steps": args.steps,
            "rounds": args.rounds, "synthetic": args.synthetic,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
                        "processor": platform.processor()},
            "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        })


if __name__ == "__main__":
    main()
