"""What bounds the seed model's speed on this machine, measured: the evidence behind issue #6's open targets.

Three questions, each answered in fresh worker processes, NumPy beside PyTorch where it applies:

1. One-sample prediction: how long the first layer's one-row product (1x784 @ 784x512) takes in
   NumPy's BLAS on one thread and on two, and in PyTorch on one and on two. A framework on NumPy
   cannot predict faster than that product.
2. Prediction of 10,000 samples in batches of 128: the first layer's products alone, NumPy against
   PyTorch, and the same at once (10,000 rows), where the BLAS has no small-batch handicap.
3. A training step: the floor's five matmuls (batch 128, 512 hidden units) against the work no BLAS
   does, on one core: gathering the batch's 128 random rows, and RMSprop's update of the 784x512
   kernel (numkeras's compiled loop, and its NumPy path), with a plain `a + b` over the same number
   of floats for the memory speed of one core.

Usage (from the repository root):
    python -m benchmarks.bounds                      # about ten seconds; PyTorch from .venv-bench
    python -m benchmarks.bounds --quick --torch-python ''   # seconds: proves it runs
Prints a markdown report; `--json PATH` also writes the raw figures.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from benchmarks import common  # noqa: E402  (numpy and the standard library: the PyTorch venv has both)

INPUTS, HIDDEN, CLASSES, BATCH = common.INPUTS, common.SEED_HIDDEN, common.CLASSES, common.SEED_BATCH
TEST_ROWS, TRAIN_ROWS = 10_000, 60_000


def median_us(fn, calls):
    """Median microseconds of `calls` calls of fn(), after a few untimed ones."""
    return common.median_seconds(fn, calls) * 1e6


def numpy_worker(threads, quick):
    """Figures for NumPy's BLAS (limited to `threads` by the environment) and numkeras's updates."""
    import numpy as np
    rng = np.random.default_rng(0)
    calls = 50 if quick else 2000
    w = rng.standard_normal((INPUTS, HIDDEN), dtype=np.float32)
    wt = np.ascontiguousarray(w.T)
    x1 = rng.random((1, INPUTS), dtype=np.float32)
    test = rng.random((1000 if quick else TEST_ROWS, INPUTS), dtype=np.float32)
    out = {"one_row_us": median_us(lambda: x1 @ w, calls),
           "one_row_transposed_kernel_us": median_us(lambda: wt @ x1[0], calls),
           "first_layer_batches_ms": median_us(lambda: [test[i:i + BATCH] @ w for i in range(0, len(test), BATCH)],
                                               3 if quick else 7) / 1e3,
           "first_layer_at_once_ms": median_us(lambda: test @ w, 3 if quick else 7) / 1e3,
           "test_rows": len(test)}
    if threads == 1:
        return out
    # A training step of the seed model: the floor's matmuls, and the work beside them.
    train = rng.random((6000 if quick else TRAIN_ROWS, INPUTS), dtype=np.float32)
    x, h, g = train[:BATCH], rng.random((BATCH, HIDDEN), dtype=np.float32), rng.random((BATCH, CLASSES), np.float32)
    w2, dh = rng.standard_normal((HIDDEN, CLASSES), dtype=np.float32), rng.random((BATCH, HIDDEN), np.float32)
    out["floor_step_us"] = median_us(lambda: (x @ w, h @ w2, h.T @ g, g @ w2.T, x.T @ dh), 20 if quick else 400)
    order = rng.permutation(len(train))
    batches = iter(range(10 ** 9))

    def gather():  # the rows of a shuffled batch, sorted as numkeras reads them
        start = next(batches) * BATCH % (len(train) - BATCH)
        return train[np.sort(order[start:start + BATCH])]
    out["gather_us"] = median_us(gather, 50 if quick else 469)
    a, b, c = (rng.random(INPUTS * HIDDEN, dtype=np.float32) for _ in range(3))
    out["a_plus_b_us"] = median_us(lambda: np.add(a, b, out=c), 20 if quick else 400)
    out.update(rmsprop_figures(rng, 20 if quick else 400))
    return out


def rmsprop_figures(rng, calls):
    """numkeras's RMSprop update of a 784x512 kernel: compiled (when numba is there) and NumPy."""
    import numpy as np
    from numkeras import Variable, optimizers
    from numkeras.backend import compiled_kernels
    kernel = Variable(rng.standard_normal((INPUTS, HIDDEN), dtype=np.float32) * 0.05)
    grad = rng.standard_normal((INPUTS, HIDDEN), dtype=np.float32) * 1e-3
    optimizer = optimizers.RMSprop()
    figures = {}
    for name, enabled in (("rmsprop_compiled_us", True), ("rmsprop_numpy_us", False)):
        compiled_kernels.set_enabled(enabled)
        try:
            if enabled and not compiled_kernels.is_enabled():
                continue  # numba is not installed: only the NumPy path exists
            figures[name] = median_us(lambda: optimizer.apply([grad], [kernel]), calls)
        finally:
            compiled_kernels.set_enabled(True)
    return figures


def torch_worker(threads, quick):
    """PyTorch's figures for the same products (its Linear stores the kernel as out x in)."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    calls = 50 if quick else 2000
    w = torch.randn(HIDDEN, INPUTS)
    x1 = torch.rand(1, INPUTS)
    test = torch.rand(1000 if quick else TEST_ROWS, INPUTS)
    with torch.no_grad():
        return {"one_row_us": median_us(lambda: torch.nn.functional.linear(x1, w), calls),
                "first_layer_batches_ms": median_us(
                    lambda: [torch.nn.functional.linear(test[i:i + BATCH], w) for i in range(0, len(test), BATCH)],
                    3 if quick else 7) / 1e3,
                "first_layer_at_once_ms": median_us(lambda: torch.nn.functional.linear(test, w), 3 if quick else 7) / 1e3,
                "version": torch.__version__}


def run_worker(python, kind, threads, quick):
    """One worker in a fresh process with its BLAS limited to `threads`; its figures, or an error."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    cmd = [python, "-m", "benchmarks.bounds", "--worker", kind, "--threads", str(threads)] + (
        ["--quick"] if quick else [])
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-1500:]}"}
    return json.loads(lines[-1])


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else ""


def report(figures, torch_note):
    """The markdown report of the figures {(kind, threads): {...}}."""
    n1, n2 = figures[("numpy", 1)], figures[("numpy", 2)]
    t1, t2 = figures.get(("torch", 1), {}), figures.get(("torch", 2), {})
    cell = lambda d, k, fmt: fmt.format(d[k]) if k in d else "–"  # noqa: E731
    lines = ["# What bounds the seed model's speed here", "",
             "## One-row product 1×784 · 784×512 (a one-sample prediction's first layer), µs", "",
             "| threads | NumPy (its BLAS) | NumPy, kernel stored transposed | PyTorch | NumPy ÷ PyTorch |",
             "|---|---|---|---|---|"]
    for threads, n, t in ((1, n1, t1), (2, n2, t2)):
        lines.append(f"| {threads} | {cell(n, 'one_row_us', '{:.1f}')} | {cell(n, 'one_row_transposed_kernel_us', '{:.1f}')} "
                     f"| {cell(t, 'one_row_us', '{:.1f}')} | {ratio(n.get('one_row_us'), t.get('one_row_us'))} |")
    lines += ["", f"## The first layer of predicting {n2['test_rows']:,} samples, ms (2 threads)", "",
              "| rows per product | NumPy | PyTorch | NumPy ÷ PyTorch |", "|---|---|---|---|"]
    for label, key in ((f"{BATCH} (predict's batches)", "first_layer_batches_ms"), (f"{n2['test_rows']:,} at once", "first_layer_at_once_ms")):
        lines.append(f"| {label} | {cell(n2, key, '{:.2f}')} | {cell(t2, key, '{:.2f}')} | {ratio(n2.get(key), t2.get(key))} |")
    floor = n2["floor_step_us"]
    lines += ["", f"## A training step at batch {BATCH}, {HIDDEN} hidden units: the floor and the work beside it, µs", "",
              "| part | µs | ÷ the floor's step | memory speed |", "|---|---|---|---|",
              f"| the floor: five matmuls (2 BLAS threads) | {floor:.0f} | 1.00× | |",
              f"| gather of {BATCH} shuffled rows of {INPUTS} floats | {n2['gather_us']:.0f} | {n2['gather_us'] / floor:.2f}× | |"]
    traffic = 5 * INPUTS * HIDDEN * 4  # RMSprop reads w, g, v and writes w, v
    for key, label in (("rmsprop_compiled_us", "RMSprop update of the 784×512 kernel, compiled (numba)"),
                       ("rmsprop_numpy_us", "the same on NumPy (9 passes)")):
        if key in n2:
            lines.append(f"| {label} | {n2[key]:.0f} | {n2[key] / floor:.2f}× | {traffic / n2[key] / 1e3:.0f} GB/s |")
    add_bytes = 3 * INPUTS * HIDDEN * 4
    lines.append(f"| for scale: `a + b` over the same 401,408 floats, one core | {n2['a_plus_b_us']:.0f} | "
                 f"{n2['a_plus_b_us'] / floor:.2f}× | {add_bytes / n2['a_plus_b_us'] / 1e3:.0f} GB/s |")
    update = n2.get("rmsprop_compiled_us", n2.get("rmsprop_numpy_us"))
    lines += ["", f"The floor plus the gather and the fastest update, with nothing else: "
                  f"**{(floor + n2['gather_us'] + update) / floor:.2f}× the floor** a step, before any "
                  "activation, loss, metric or Python."]
    if torch_note:
        lines += ["", torch_note]
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", choices=("numpy", "torch"), help=argparse.SUPPRESS)
    p.add_argument("--threads", type=int, default=2, help=argparse.SUPPRESS)
    p.add_argument("--quick", action="store_true", help="few calls and rows: proves it runs")
    p.add_argument("--torch-python", default=os.path.join(ROOT, ".venv-bench", "bin", "python"),
                   help="a Python with torch installed ('' to skip PyTorch)")
    p.add_argument("--json", help="also write the raw figures here")
    args = p.parse_args(argv)
    if args.worker:
        work = numpy_worker if args.worker == "numpy" else torch_worker
        print(json.dumps(work(args.threads, args.quick)), flush=True)
        return 0
    figures, torch_note = {}, ""
    torch_ok = common.has_module(args.torch_python, "torch")
    for threads in (1, 2):
        figures[("numpy", threads)] = run_worker(sys.executable, "numpy", threads, args.quick)
        if torch_ok:
            figures[("torch", threads)] = run_worker(args.torch_python, "torch", threads, args.quick)
    if not torch_ok:
        torch_note = f"PyTorch skipped: no torch under {args.torch_python!r} (`make bench` installs it)."
    errors = {f"{k} {t}": f["error"] for (k, t), f in figures.items() if "error" in f}
    if any(k.startswith("numpy") for k in errors):
        print(f"bounds: a NumPy worker failed: {errors}", file=sys.stderr)
        return 1
    if errors:
        torch_note = f"PyTorch failed: {errors}"
        figures = {k: v for k, v in figures.items() if "error" not in v}
    text = report(figures, torch_note)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({f"{k} {t}": v for (k, t), v in figures.items()}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
