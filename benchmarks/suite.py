"""The benchmark suite: numkeras against the NumPy floor, PyTorch and Keras 3 on JAX, in one run.

Every measurement runs in a fresh worker process (so its peak RSS is its own) and the frameworks
take turns workload by workload, in an order that rotates, so that a machine getting busier or
quieter mid-run hits all of them alike. The workloads:

1. the seed MLP (Fashion-MNIST, Dense(512, relu) -> Dense(10, softmax), RMSprop, 5 epochs,
   batch 128): every epoch's time, test accuracy, peak RSS;
2. the floor: the same five matmuls per step, alone, in NumPy, for the same steps (`floor.py`);
3. predict of one sample (median of 1,000 calls after warm-up), `model(x)` of one sample, and
   predict of the 10,000 test samples (batch 128, median of 3);
4. import time in fresh interpreters (median of several): `import numkeras`, the seed program's
   `from numkeras import layers, models`, against `import numpy`, `import torch`, `import keras`;
5. scaling: batch 32/128/512 x hidden 128/512/2048, each against its own floor, from a shorter
   run (the table says how long);
6. PyTorch (under .venv-bench) and Keras 3 on JAX (under .venv-keras) where installed,
   skipped with a note where not.

It prints a markdown report and writes it, with a JSON file of every raw figure, to --out
(atomically). It commits nothing. Timings on a shared machine are noisy: compare ratios within
one run, not figures across runs.

Usage (from the repository root; `make bench` sets up both peer environments first):
    python -m benchmarks                         # 3 rounds, pooled: about 9 minutes on 2 idle cores
    python -m benchmarks --rounds 1              # one round, about 3 minutes
    python -m benchmarks --only seed,imports     # a subset of the workloads
    python -m benchmarks --quick --no-peers      # every workload for a few steps (CI)
"""
import argparse
import importlib.util
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks import common

ROOT = common.ROOT
OUT_DIR = os.path.join(ROOT, "benchmarks", "results")
SCALE_BATCHES, SCALE_HIDDEN = (32, 128, 512), (128, 512, 2048)
SCALE_SAMPLES, SCALE_EPOCHS = 12288, 3  # 12,288 divides by every scaling batch size
OVERHEAD_HIDDEN = 8  # a model whose math is tiny: its step time is the framework's own cost
QUICK_SEED_SAMPLES, QUICK_SCALE_SAMPLES, QUICK_TEST_SAMPLES, QUICK_EPOCHS = 384, 512, 1000, 2
WORKER_TIMEOUT = 900


class Framework:
    """How to run one framework's worker, and whether it can run here."""

    def __init__(self, key, label, python, script, module=None, env=None, import_stmt=None,
                 install_hint=""):
        self.key, self.label, self.python, self.script = key, label, python, script
        self.module, self.env, self.import_stmt = module, env or {}, import_stmt
        self.install_hint = install_hint
        self.skipped = None  # why it cannot run here, or None

    def command(self, flags):
        if self.python == sys.executable and self.key in ("numkeras", "numkeras-numpy", "floor"):
            return [sys.executable, "-m", "benchmarks." + self.script] + flags
        return [self.python, os.path.join(ROOT, "benchmarks", self.script + ".py")] + flags

    def check(self):
        """Sets self.skipped when the interpreter or the framework's package is missing."""
        if not self.module:
            return
        if not self.python or not os.path.exists(self.python):
            self.skipped = f"no interpreter at {self.python!r}; {self.install_hint}"
            return
        if not common.has_module(self.python, self.module):
            self.skipped = f"{self.module} is not installed under {self.python}; {self.install_hint}"


def frameworks(args):
    bench_env = {"KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "2"}
    fws = [
        Framework("numkeras", "numkeras", sys.executable, "seed_mlp", import_stmt="import numkeras"),
        Framework("floor", "floor", sys.executable, "floor", import_stmt="import numpy"),
        # numkeras without its optional numba kernels (numkeras.backend.compiled_kernels): NumPy alone.
        Framework("numkeras-numpy", "numkeras, NumPy only", sys.executable, "seed_mlp",
                  env={"NUMKERAS_FUSED": "0"}),
        Framework("pytorch", "PyTorch", args.torch_python, "seed_mlp_torch", module="torch",
                  import_stmt="import torch",
                  install_hint="`make bench` installs torch==2.13.0 (CPU) into .venv-bench"),
        Framework("keras-jax", "Keras/JAX", args.jax_python, "seed_mlp_keras", module="keras",
                  env=bench_env, import_stmt="import keras",
                  install_hint="`make keras-venv` (also run by `make bench` and `make test`) installs "
                               "keras==3.15.1 jax==0.10.2 into .venv-keras"),
    ]
    for fw in fws:
        if args.no_peers and fw.module:
            fw.skipped = "--no-peers"
        else:
            fw.check()
    if importlib.util.find_spec("numba") is None:
        fws[2].skipped = "numba is not installed here, so the numkeras column is NumPy alone already"
    return fws


def workloads(args):
    """[(name, flags dict)] in run order: the seed MLP first, then the scaling grid."""
    quick = args.quick
    out = []
    if "seed" in args.only:
        out.append(("seed", dict(batch=common.SEED_BATCH, hidden=common.SEED_HIDDEN,
                                 epochs=QUICK_EPOCHS if quick else common.SEED_EPOCHS,
                                 samples=QUICK_SEED_SAMPLES if quick else 0,
                                 test_samples=QUICK_TEST_SAMPLES if quick else 0, evaluate=True,
                                 predict_calls=20 if quick else 1000, predict_reps=1 if quick else 3)))
    if "overhead" in args.only:
        out.append(("overhead", dict(batch=common.SEED_BATCH, hidden=OVERHEAD_HIDDEN,
                                     epochs=QUICK_EPOCHS if quick else SCALE_EPOCHS,
                                     samples=QUICK_SCALE_SAMPLES if quick else SCALE_SAMPLES)))
    if "scaling" in args.only:
        for hidden in SCALE_HIDDEN:
            for batch in SCALE_BATCHES:
                out.append((f"scale b{batch} h{hidden}", dict(
                    batch=batch, hidden=hidden, epochs=QUICK_EPOCHS if quick else SCALE_EPOCHS,
                    samples=QUICK_SCALE_SAMPLES if quick else SCALE_SAMPLES)))
    return out


def flag_list(flags, args, seed):
    out = []
    for key, value in flags.items():
        if value is True:
            out.append("--" + key.replace("_", "-"))
        elif value is not False:
            out += ["--" + key.replace("_", "-"), str(value)]
    out += ["--seed", str(seed)]
    return out + (["--synthetic"] if args.synthetic else [])


def run_worker(fw, flags, args, seed):
    """Runs one worker; returns its JSON result, or {"error": ...} when it failed."""
    cmd = fw.command(flag_list(flags, args, seed))
    env = dict(os.environ, **fw.env)
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=WORKER_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {WORKER_TIMEOUT} s", "command": shlex.join(cmd)}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-2000:]}", "command": shlex.join(cmd)}
    return json.loads(lines[-1])


def time_imports(fws, repeats, warmup=1):
    """{key: [seconds]} of each framework's import statement, one fresh interpreter per sample."""
    jobs = [(fw.key, fw.python, fw.import_stmt, fw.env) for fw in fws if not fw.skipped and fw.import_stmt]
    # What the seed program imports: with a lazy top level this is where the cost shows.
    jobs.insert(1, ("numkeras-first-use", sys.executable, "from numkeras import layers, models", {}))
    times = {key: [] for key, *_ in jobs}
    # Every package imports from bytecode, as an installed one does (pip compiles it): the untimed
    # passes write .pyc files into a private cache even where PYTHONDONTWRITEBYTECODE is set.
    with tempfile.TemporaryDirectory(prefix="numkeras-bench-pycache-") as cache:
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base["PYTHONPYCACHEPREFIX"] = cache
        for i in range(warmup + repeats):  # untimed passes first: they write .pyc files, fill caches
            for key, python, stmt, env in jobs:
                code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
                proc = subprocess.run([python, "-c", code], cwd=ROOT, env=dict(base, **env),
                                      capture_output=True, text=True)
                if proc.returncode == 0 and i >= warmup:
                    times[key].append(float(proc.stdout.strip().splitlines()[-1]))
    return times


def run_suite(args):
    started = time.perf_counter()
    fws = frameworks(args)
    active = [fw for fw in fws if not fw.skipped]
    plan = workloads(args)
    runs, n_jobs, job = [], args.rounds * len(plan) * len(active), 0
    for rnd in range(args.rounds):
        for k, (name, flags) in enumerate(plan):
            shift = (k + rnd) % len(active)  # rotate who goes first
            for fw in active[shift:] + active[:shift]:
                job += 1
                print(f"[{job:3d}/{n_jobs}] {name:15s} {fw.key:10s} ...", end="", file=sys.stderr, flush=True)
                t = time.perf_counter()
                result = run_worker(fw, flags, args, args.seed + rnd)  # a seed per round
                status = "FAILED" if "error" in result else "ok"
                print(f" {status} {time.perf_counter() - t:6.1f} s", file=sys.stderr, flush=True)
                if "error" in result:
                    print(result["error"], file=sys.stderr)
                runs.append({"workload": name, "framework": fw.key, "round": rnd, "seed": args.seed + rnd,
                             "flags": flags, "result": result})
    imports = {}
    if "imports" in args.only:
        print("import times in fresh interpreters ...", file=sys.stderr, flush=True)
        imports = time_imports(fws, *((1, 0) if args.quick else (args.import_repeats, 1)))
    return {
        "suite": "numkeras benchmarks",
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python -m benchmarks " + shlex.join(args.argv),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "quick": args.quick, "synthetic": args.synthetic, "rounds": args.rounds, "seed": args.seed,
        "machine": machine(),
        "frameworks": {fw.key: {"label": fw.label, "python": fw.python, "skipped": fw.skipped}
                       for fw in fws},
        "scaling": {"samples": QUICK_SCALE_SAMPLES if args.quick else SCALE_SAMPLES,
                    "epochs": QUICK_EPOCHS if args.quick else SCALE_EPOCHS},
        "imports": imports,
        "runs": runs,
    }


def machine():
    model = platform.processor() or "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                      if line.startswith("Model name")), model)
    except OSError:
        pass
    threads = {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS") or k.startswith("OPENBLAS")}
    return {"cpu": model, "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "thread_env": threads}


# -- the report ----------------------------------------------------------------------------------

def results(data, workload, key):
    return [r["result"] for r in data["runs"]
            if r["workload"] == workload and r["framework"] == key and "error" not in r["result"]]


def seed_figures(rs):
    """Pooled figures of one framework's seed runs (None when it has none)."""
    if not rs:
        return None
    epochs = [s for r in rs for s in r["epoch_seconds"]]
    med = lambda k: statistics.median(r[k] for r in rs) if all(k in r for r in rs) else None  # noqa: E731
    return {
        "version": rs[0].get("version"), "backend_version": rs[0].get("backend_version"),
        "epoch_mean": statistics.fmean(epochs), "epoch_median": statistics.median(epochs),
        "first_epoch": statistics.median(r["epoch_seconds"][0] for r in rs),
        "each": ["  ".join(f"{s:.2f}" for s in r["epoch_seconds"]) for r in rs],
        "steps_per_epoch": rs[0]["steps_per_epoch"],
        "test_accuracy": [r["test_accuracy"] for r in rs if "test_accuracy" in r],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in rs),
        "train_peak_rss_mb": max((r.get("train_peak_rss_mb") for r in rs), key=lambda v: v or 0),
        "data_rss_mb": max((r.get("data_rss_mb") for r in rs), key=lambda v: v or 0),
        "predict_1_ms": med("predict_1_ms"), "call_1_ms": med("call_1_ms"),
        "predict_10k_s": med("predict_10k_s"),
    }


def scale_seconds(rs, samples):
    """Seconds per 60,000-sample epoch: the mean of epochs after the first, scaled up."""
    if not rs:
        return None
    later = [s for r in rs for s in (r["epoch_seconds"][1:] or r["epoch_seconds"])]
    return statistics.fmean(later) * common.N_TRAIN / samples


def summarize(data):
    keys = list(data["frameworks"])
    summary = {"seed": {k: seed_figures(results(data, "seed", k)) for k in keys}, "scaling": []}
    samples = data["scaling"]["samples"]
    for hidden in SCALE_HIDDEN:
        for batch in SCALE_BATCHES:
            name = f"scale b{batch} h{hidden}"
            if any(r["workload"] == name for r in data["runs"]):
                summary["scaling"].append({"batch": batch, "hidden": hidden, "seconds": {
                    k: scale_seconds(results(data, name, k), samples) for k in keys}})
    summary["overhead"] = {k: step_microseconds(results(data, "overhead", k)) for k in keys}
    imports = data["imports"]
    summary["imports"] = {k: statistics.median(v) for k, v in imports.items() if v}
    return summary


def step_microseconds(rs):
    """Microseconds per training step: the mean over epochs after the first, divided by the steps."""
    if not rs:
        return None
    later = [s / r["steps_per_epoch"] for r in rs for s in (r["epoch_seconds"][1:] or r["epoch_seconds"])]
    return statistics.fmean(later) * 1e6


def fmt(value):
    if value is None:
        return "–"
    digits = 4 if abs(value) < 0.1 else 3 if abs(value) < 10 else 1
    return f"{value:.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b else "–"


def row(*cells):
    return "| " + " | ".join(cells) + " |"


def header(*cells):
    return [row(*cells), "|" + "---|" * len(cells)]


def versions(data):
    """{framework: 'name version'} from the first result of each framework."""
    out = {}
    for r in data["runs"]:
        res, key = r["result"], r["framework"]
        if key in out or "version" not in res:
            continue
        if key == "numkeras-numpy":
            continue
        out[key] = {"numkeras": f"numkeras {res['version']}", "floor": f"NumPy {res['version']}",
                    "pytorch": f"PyTorch {res['version']}",
                    "keras-jax": f"Keras {res['version']} on JAX {res.get('backend_version')}"}[key]
    return out


def seed_table(data, summary, peers):
    seed, fw = summary["seed"], data["frameworks"]
    nk = seed.get("numkeras")
    if not nk:
        return []
    cols = ["numkeras", "floor"] + peers
    get = lambda k, field: (seed.get(k) or {}).get(field)  # noqa: E731
    blank = [""] * (1 + len(peers))
    flags = next(r["flags"] for r in data["runs"] if r["workload"] == "seed")
    lines = ["", f"## Seed MLP: Dense(512, relu) → Dense(10, softmax), RMSprop, batch 128, "
             f"{len(nk['each'][0].split())} epoch(s) × {nk['steps_per_epoch']} steps", ""]
    lines += header("seed MLP", *[fw[k]["label"] for k in cols], "numkeras ÷ floor",
                    *[f"numkeras ÷ {fw[k]['label']}" for k in peers])

    def figures(title, field):
        vals = [get(k, field) for k in cols]
        lines.append(row(title, *map(fmt, vals), *[ratio(vals[0], v) for v in vals[1:]]))

    figures("epoch s, mean of all epochs", "epoch_mean")
    figures("epoch s, median", "epoch_median")
    figures("first epoch s", "first_epoch")
    lines.append(row("every epoch s", *["; ".join(get(k, "each") or ["–"]) for k in cols], *blank))
    lines.append(row("mean epoch ÷ floor", *[ratio(get(k, "epoch_mean"), get("floor", "epoch_mean"))
                                             for k in cols], *blank))
    accs = [", ".join(f"{a:.4f}" for a in get(k, "test_accuracy") or []) or "–" for k in cols]
    accs[1] = ""
    lines.append(row("test accuracy", *accs, *blank))
    for title, field in (("peak RSS MB, whole process", "peak_rss_mb"),
                         ("peak RSS MB, training only (floor: NumPy + the data)", "train_peak_rss_mb")):
        vals = [get(k, field) for k in cols]
        over = f"{vals[0] - vals[1]:+.0f} MB" if vals[0] and vals[1] else "–"
        lines.append(row(title, *map(fmt, vals), over, *[ratio(vals[0], v) for v in vals[2:]]))
    figures(f"predict, 1 sample, ms (median of {flags['predict_calls']})", "predict_1_ms")
    figures(f"model(x), 1 sample, ms (median of {flags['predict_calls']})", "call_1_ms")
    n_test = flags["test_samples"] or common.N_TEST
    figures(f"predict, {n_test:,} samples, s (batch {common.PREDICT_BATCH}, median of {flags['predict_reps']})",
            "predict_10k_s")
    return lines


def import_table(data, summary):
    imp = summary["imports"]
    if not imp:
        return []
    n = min(len(v) for v in data["imports"].values() if v)
    numpy_s = imp.get("floor")
    names = {"numkeras": "`import numkeras`",
             "numkeras-first-use": "`from numkeras import layers, models` (the seed program's)",
             "floor": "`import numpy`", "pytorch": "`import torch`",
             "keras-jax": "`import keras` (JAX backend)"}
    lines = ["", f"## Import, s (median of {n} fresh interpreters, each timing its import statement)", ""]
    lines += header("statement", "s", "over `import numpy`")
    for k, s in imp.items():
        over = f"{s - numpy_s:+.3f}" if numpy_s is not None and k != "floor" else ""
        lines.append(row(names.get(k, k), f"{s:.3f}", over))
    return lines


def overhead_table(data, summary, peers):
    us = summary.get("overhead") or {}
    if not any(us.values()):
        return []
    fw = data["frameworks"]
    lines = ["", f"## Per-step overhead: Dense({OVERHEAD_HIDDEN}, relu) → Dense(10, softmax), batch "
             f"{common.SEED_BATCH}, µs per training step (the math is tiny: what is left is the framework)", ""]
    cols = ["numkeras", "floor"] + peers
    lines += header(*[fw[k]["label"] for k in cols], *[f"numkeras ÷ {fw[k]['label']}" for k in peers])
    lines.append(row(*[fmt(us.get(k)) for k in cols], *[ratio(us.get("numkeras"), us.get(k)) for k in peers]))
    return lines


def scaling_table(data, summary, peers):
    if not summary["scaling"]:
        return []
    sc, fw = data["scaling"], data["frameworks"]
    cols = ["numkeras"] + peers
    later = "epoch 2 of 2" if sc["epochs"] == 2 else f"the mean of epochs 2–{sc['epochs']} of {sc['epochs']}"
    lines = ["", f"## Scaling: s per 60,000-sample epoch, extrapolated from a shorter run ({later} on the "
             f"first {sc['samples']:,} samples; the first epoch is left out as warm-up)", ""]
    lines += header("batch", "hidden", "floor s",
                    *[c for k in cols for c in (f"{fw[k]['label']} s", "÷ floor")],
                    *[f"numkeras ÷ {fw[k]['label']}" for k in peers])
    for point in summary["scaling"]:
        s = point["seconds"]
        cells = [c for k in cols for c in (fmt(s.get(k)), ratio(s.get(k), s.get("floor")))]
        lines.append(row(str(point["batch"]), str(point["hidden"]), fmt(s.get("floor")), *cells,
                         *[ratio(s.get("numkeras"), s.get(k)) for k in peers]))
    return lines


NOTES = [
    "The floor is the five matmuls of each training step (X@W1, H@W2, dW2, dH, dW1; no dX for the "
    "input) alone in NumPy, for the same steps, after a 20-step warm-up. Its prediction cells are a "
    "hand-written NumPy forward pass, a reference.",
    "Every worker loads and preprocesses the data as the seed program does (`.astype('float32') / 255` "
    "briefly holds two float32 copies of the training set: that is the whole process's peak). The "
    "training-only peak restarts the kernel's count (/proc/self/clear_refs) once the data is ready, "
    "so the floor's is NumPy with the data loaded.",
    "Each figure comes from a fresh process; the frameworks take turns workload by workload, in a "
    "rotating order. PyTorch's predict and model(x) are both softmax(model(x)).numpy() under "
    "no_grad; Keras's model(x) is np.asarray(model(x, training=False)).",
]


def markdown(data, summary):
    fw = data["frameworks"]
    peers = [k for k in ("numkeras-numpy", "pytorch", "keras-jax") if k in fw and not fw[k]["skipped"]]
    m = data["machine"]
    lines = [
        "# numkeras benchmarks", "",
        f"{data['time_utc']} · {m['cpu']}, {m['cpus']} CPUs · Python {m['python']} · "
        + " · ".join(versions(data).values()), "",
        f"`{data['command']}`: {data['rounds']} round(s), "
        f"{'synthetic data' if data['synthetic'] else 'Fashion-MNIST'}, "
        f"{data['wall_seconds'] / 60:.1f} min in all.",
    ]
    if data["quick"]:
        lines += ["", "**--quick: a few steps of each workload, to prove the suite runs. "
                  "The figures mean nothing.**"]
    lines += seed_table(data, summary, peers) + import_table(data, summary)
    lines += overhead_table(data, summary, peers) + scaling_table(data, summary, peers)
    notes = [f"{fw[k]['label']} skipped: {fw[k]['skipped']}." for k in fw if fw[k]["skipped"]]
    notes += [f"FAILED: {r['workload']} / {r['framework']} (round {r['round'] + 1}): "
              f"{(r['result']['error'].splitlines() or ['?'])[0]}"
              for r in data["runs"] if "error" in r["result"]]
    lines += ["", "Notes:", ""] + [f"- {n}" for n in notes + NOTES]
    return "\n".join(lines) + "\n"


def write_atomic(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is not
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="every workload for a few steps: proves the suite runs, times nothing useful")
    p.add_argument("--rounds", type=int, default=None,
                   help="repeat every workload, a new seed each round; figures are pooled (default: 3, "
                   "1 with --quick)")
    p.add_argument("--only", default="seed,overhead,scaling,imports",
                   help="comma-separated subset of seed,overhead,scaling,imports (default: all)")
    p.add_argument("--seed", type=int, default=1, help="random seed of round 1 (round r uses seed + r - 1)")
    p.add_argument("--synthetic", action="store_true", help="random data of Fashion-MNIST's shapes")
    p.add_argument("--no-peers", action="store_true", help="numkeras and the floor only")
    p.add_argument("--torch-python", default=os.path.join(ROOT, ".venv-bench", "bin", "python"),
                   help="a Python with torch (default: .venv-bench's); PyTorch is skipped without one")
    p.add_argument("--jax-python", default=os.path.join(ROOT, ".venv-keras", "bin", "python"),
                   help="a Python with keras and jax (default: .venv-keras's); skipped without one")
    p.add_argument("--import-repeats", type=int, default=7, help="fresh interpreters per import")
    p.add_argument("--out", default=OUT_DIR, help="folder for the .md and .json reports")
    args = p.parse_args(argv)
    args.argv = argv
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.only = {w.strip() for w in args.only.split(",") if w.strip()}
    unknown = args.only - {"seed", "overhead", "scaling", "imports"}
    if unknown:
        p.error(f"--only: unknown workload(s) {sorted(unknown)}; choose from seed, overhead, scaling, imports")
    if not args.synthetic and not common.have_fashion_mnist():
        p.error(f"Fashion-MNIST is not in {common.FMNIST_DIR}: `make dataset` (apt-get install "
                "dataset-fashion-mnist), or pass --synthetic")

    data = run_suite(args)
    data["summary"] = summarize(data)
    report = markdown(data, data["summary"])
    stem = os.path.join(args.out, "bench-" + time.strftime("%Y%m%d-%H%M%S") + ("-quick" if args.quick else ""))
    write_atomic(stem + ".json", json.dumps(data, indent=1) + "\n")
    write_atomic(stem + ".md", report)
    print(report)
    print(f"Wrote {stem}.md and {stem}.json", file=sys.stderr)
    return 1 if any("error" in r["result"] for r in data["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
