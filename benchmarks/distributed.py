"""Data-parallel training over MPI on this machine: images/s at 1 and 2 ranks, and what communication costs.

For the seed MLP (Dense(512, relu, input 784) -> Dense(10, softmax), RMSprop, global batch 128,
407,050 parameters) and the book's convnet (benchmarks/convnet.py's model, global batch 64, 93,322
parameters), on synthetic data of Fashion-MNIST's shapes, three configurations run side by side,
round by round (so all see the same machine load), each a fresh process:

    1 process, 1 BLAS thread          the unit of work
    1 process, 2 BLAS threads         what one process does with both cores
    2 ranks x 1 BLAS thread           mpiexec -n 2, set_distribution(DataParallel())

Each run trains 2 epochs and times the second (`--steps` global batches). The 2-rank runs also
report the communication time per step: the time in the gradient averaging (packing, the
Iallreduce of every bucket, the wait and unpacking) and in the metric reduction, measured by
wrapping the runtime's methods; a barrier before each (timed apart as "wait") takes out the time a
rank waits for the slower one, which on a loaded machine is most of it. Then an Allreduce microbenchmark (2 ranks, float32, 4 B to 64 MB)
whose times are fitted to t(n) = alpha + beta * n, the alpha-beta model docs/distributed.md uses.

Usage (from the repository root, with the `mpi` extra installed: mpi4py and MPICH's mpiexec):
    python -m benchmarks.distributed                     # 3 rounds, about 2 minutes on 2 cores
    python -m benchmarks.distributed --rounds 1 --json benchmarks/results/distributed.json
    python -m benchmarks.distributed --predict benchmarks/results/distributed.json   # the model only
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

from benchmarks.common import cpu_model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {"mlp": {"batch": 128, "steps": 40}, "convnet": {"batch": 64, "steps": 12}}
CONFIGS = [("1 process x 1 thread", None, 1), ("1 process x 2 threads", None, 2), ("2 ranks x 1 thread", 2, 1)]


def mpiexec():
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.access(beside, os.X_OK) else shutil.which("mpiexec")


# -- the worker: one rank (or the one process) --------------------------------
def build(name):
    from numkeras import layers, models
    if name == "mlp":
        model = models.Sequential([layers.Input((784,)), layers.Dense(512, activation="relu"),
                                   layers.Dense(10, activation="softmax")])
    else:
        from benchmarks.convnet import build_model
        model = build_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def worker(name, steps, distributed):
    import numkeras
    from numkeras import callbacks
    numkeras.utils.set_random_seed(0)
    batch = MODELS[name]["batch"]
    rows = batch * steps
    rng = np.random.default_rng(0)
    x = rng.random((rows, 784) if name == "mlp" else (rows, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    comm_seconds = [0.0, 0.0]  # [communication, waiting for the slower rank]
    if distributed:
        numkeras.distribution.set_distribution(numkeras.distribution.DataParallel())
        runtime = numkeras.distribution.distribution_lib.active()
        for method in ("average_gradients", "reduce_logs"):
            original = getattr(runtime, method)

            def timed(*args, _original=original):
                start = time.perf_counter()
                runtime.comm.barrier()  # the ranks meet first: the wait for a slower rank is not communication
                comm_seconds[1] += time.perf_counter() - start
                start = time.perf_counter()
                try:
                    return _original(*args)
                finally:
                    comm_seconds[0] += time.perf_counter() - start
            setattr(runtime, method, timed)
    model = build(name)
    marks = {}

    class EpochClock(callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            marks[epoch] = (time.perf_counter(), *comm_seconds)

        def on_epoch_end(self, epoch, logs=None):
            start, comm, wait = marks[epoch]
            marks[epoch] = (time.perf_counter() - start, comm_seconds[0] - comm, comm_seconds[1] - wait)

    model.fit(x, y, batch_size=batch, epochs=2, shuffle=True, verbose=0, callbacks=[EpochClock()])
    seconds, comm, wait = marks[1]
    rank = numkeras.distribution.distribution_lib.active().rank if distributed else 0
    if rank == 0:
        print(json.dumps({"images_per_s": rows / seconds, "step_ms": 1000 * seconds / steps,
                          "comm_ms_per_step": 1000 * comm / steps, "wait_ms_per_step": 1000 * wait / steps,
                          "params": model.count_params()}), flush=True)


def allreduce_worker(repeats):
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    out = []
    for n in [1, 16, 256, 4096, 65536, 2**20, 2**22, 2**24]:  # float32 elements: 4 B .. 64 MB
        buffer = np.ones(n, dtype=np.float32)
        times = []
        reps = max(3, min(repeats, int(2e8 // (n * 4) + 3)))
        for _ in range(reps):
            comm.Barrier()
            start = time.perf_counter()
            comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
            times.append(time.perf_counter() - start)
        out.append((4 * n, statistics.median(times)))
    if comm.Get_rank() == 0:
        print(json.dumps({"allreduce": out}), flush=True)


# -- the alpha-beta model of ring allreduce --------------------------------------
# Links: (latency added to the measured per-message alpha, seconds; wire seconds per byte). The latencies
# are typical MPI figures, not measured here: ~20 us for TCP over 10 Gb/s Ethernet, ~1.5 us for 100 Gb/s
# InfiniBand or RoCE.
LINKS = {"10 Gb/s": (20e-6, 8 / 10e9), "100 Gb/s": (1.5e-6, 8 / 100e9)}
NODES = (8, 64, 512)


def ring_allreduce_seconds(nodes, nbytes, alpha, beta):
    """Ring allreduce (reduce-scatter then allgather): 2(P-1) messages of n/P bytes each way."""
    return 2 * (nodes - 1) * alpha + 2 * (nodes - 1) / nodes * nbytes * beta


def predict(report):
    """Weak-scaling efficiency t_c / (t_c + t_allreduce) per model, link and node count, and the model size
    below which data parallelism stops paying (allreduce longer than the step's compute, efficiency < 50%).

    t_c is the measured step time of 1 process x 1 thread at the model's global batch, taken as one
    node's step (each node keeps that batch); the gradient bytes are 4 x parameters; alpha is the
    measured per-message cost plus the link's latency, beta the wire's seconds per byte plus the measured
    local per-byte cost (copy and sum); no overlap of communication with the backward pass (there is none).
    """
    rows = []
    for name, model in report["models"].items():
        t_c = model["configs"][CONFIGS[0][0]]["step_ms"] / 1000
        nbytes = 4 * model["params"]
        k = t_c / nbytes  # compute seconds per gradient byte, for this model family and batch
        for link, (latency, wire) in LINKS.items():
            alpha, beta = report["alpha_s"] + latency, wire + report["beta_s_per_byte"]
            for nodes in NODES:
                t = ring_allreduce_seconds(nodes, nbytes, alpha, beta)
                bandwidth_share = 2 * (nodes - 1) / nodes * beta
                smallest = (2 * (nodes - 1) * alpha / (k - bandwidth_share) / 4) if k > bandwidth_share else None
                rows.append({"model": name, "link": link, "nodes": nodes, "allreduce_ms": 1000 * t,
                             "efficiency": t_c / (t_c + t), "break_even_params": smallest})
    return rows


def print_prediction(rows):
    print("\nPredicted weak-scaling efficiency (ring allreduce, alpha-beta; see predict()):")
    print(f"{'model':8} {'link':9} {'nodes':>5} {'allreduce ms':>13} {'efficiency':>10} {'pays above (params)':>20}")
    for r in rows:
        even = f"{r['break_even_params']:.3g}" if r["break_even_params"] else "never"
        print(f"{r['model']:8} {r['link']:9} {r['nodes']:5d} {r['allreduce_ms']:13.2f} {r['efficiency']:10.0%} "
              f"{even:>20}")


# -- the orchestrator -----------------------------------------------------------
def run_config(name, ranks, threads, steps):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads), PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "benchmarks.distributed", "--worker", name, "--steps", str(steps)]
    if ranks:
        command = [mpiexec(), "-n", str(ranks)] + command + ["--distributed"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])


def fit_alpha_beta(points):
    """Least squares t = alpha + beta * bytes over the microbenchmark's points (relative error weighting)."""
    sizes = np.array([b for b, _ in points], dtype=float)
    times = np.array([t for _, t in points], dtype=float)
    design = np.stack([np.ones_like(sizes), sizes], axis=1) / times[:, None]
    (alpha, beta), *_ = np.linalg.lstsq(design, np.ones_like(times), rcond=None)
    return float(alpha), float(beta)



def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="write the results there too")
    parser.add_argument("--predict", metavar="JSON", help="only print the model's predictions from a saved --json")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--distributed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "allreduce":
        return allreduce_worker(args.steps or 20)
    if args.worker:
        return worker(args.worker, args.steps, args.distributed)
    if args.predict:
        with open(args.predict) as f:
            return print_prediction(predict(json.load(f)))
    if not mpiexec():
        sys.exit("mpiexec not found: install the mpi extra (pip install -e '.[mpi]').")
    load_before = os.getloadavg()
    runs = {name: {label: [] for label, _, _ in CONFIGS} for name in MODELS}
    for round_ in range(args.rounds):
        for name, spec in MODELS.items():
            for label, ranks, threads in CONFIGS:
                runs[name][label].append(run_config(name, ranks, threads, spec["steps"]))
        print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=ROOT)
    micro = subprocess.run([mpiexec(), "-n", "2", sys.executable, "-m", "benchmarks.distributed", "--worker",
                            "allreduce", "--steps", "30"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
    points = json.loads([l for l in micro.stdout.splitlines() if l.startswith("{")][-1])["allreduce"]
    alpha, beta = fit_alpha_beta(points)
    report = {"cpu": cpu_model(), "cores": os.cpu_count(), "load_before": load_before,
              "load_after": os.getloadavg(), "rounds": args.rounds, "models": {}, "allreduce": points,
              "alpha_s": alpha, "beta_s_per_byte": beta}
    print(f"\n{report['cpu']}, {report['cores']} cores; load average before {load_before[0]:.2f}, "
          f"after {report['load_after'][0]:.2f}; median of {args.rounds} rounds\n")
    print(f"{'model':8} {'configuration':24} {'images/s':>9} {'step ms':>8} {'comm ms/step':>13} "
          f"{'wait ms/step':>13} {'vs 1x1':>7}")
    for name in MODELS:
        base = statistics.median(r["images_per_s"] for r in runs[name][CONFIGS[0][0]])
        report["models"][name] = {"params": runs[name][CONFIGS[0][0]][0]["params"], "configs": {}}
        for label, ranks, _ in CONFIGS:
            rs = runs[name][label]
            for r in rs:
                r.setdefault("wait_ms_per_step", 0.0)
            med = {k: statistics.median(r[k] for r in rs)
                   for k in ("images_per_s", "step_ms", "comm_ms_per_step", "wait_ms_per_step")}
            med["each_images_per_s"] = [r["images_per_s"] for r in rs]
            report["models"][name]["configs"][label] = med
            comm, wait = (f"{med['comm_ms_per_step']:.2f}", f"{med['wait_ms_per_step']:.2f}") if ranks else ("-", "-")
            print(f"{name:8} {label:24} {med['images_per_s']:9.0f} {med['step_ms']:8.2f} {comm:>13} {wait:>13} "
                  f"{med['images_per_s'] / base:7.2f}")
    print("\nAllreduce, 2 ranks, float32 (median):")
    for size, seconds in points:
        print(f"  {size:>10} B  {seconds * 1e6:10.1f} us")
    print(f"fit t = alpha + beta*n: alpha = {alpha * 1e6:.1f} us, 1/beta = {1 / beta / 1e9:.2f} GB/s")
    report["prediction"] = predict(report)
    print_prediction(report["prediction"])
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return report


if __name__ == "__main__":
    main()
