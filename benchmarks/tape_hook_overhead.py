"""The cost of the tape's `on_ready` hook when unused: one small training step, two checkouts, same run.

    python benchmarks/tape_hook_overhead.py BEFORE_ROOT AFTER_ROOT [rounds]

Each round runs both checkouts in fresh subprocesses, in alternating order, each timing 400
`train_on_batch` steps of a small MLP (small so that per-step overhead is not hidden by the
matrix products); prints the per-step medians and the after/before ratio of the medians (and of the fastest rounds,
the less disturbed by a loaded machine).
"""
import os
import statistics
import subprocess
import sys

CHILD = r"""
import time, numpy as np, numkeras
from numkeras import layers
numkeras.utils.set_random_seed(0)
m = numkeras.Sequential([layers.Input((32,)), layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu"),
                         layers.Dense(10, activation="softmax")])
m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x = np.random.default_rng(0).normal(size=(32, 32)).astype("float32"); y = np.arange(32) % 10
for _ in range(50):
    m.train_on_batch(x, y)
times = []
for _ in range(400):
    t = time.perf_counter(); m.train_on_batch(x, y); times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2])
"""


def step_time(root):
    env = dict(os.environ, PYTHONPATH=os.path.abspath(root), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=os.path.abspath(root), capture_output=True,
                         text=True, check=True)
    return float(out.stdout.split()[-1])


def main():
    before, after = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    b, a = [], []
    for r in range(rounds):
        for root, into in ((before, b), (after, a)) if r % 2 == 0 else ((after, a), (before, b)):
            into.append(step_time(root))
    mb, ma = statistics.median(b), statistics.median(a)
    print(f"before {mb * 1e6:.1f} us/step  after {ma * 1e6:.1f} us/step  after/before {ma / mb:.3f}  "
          f"(fastest rounds: {min(a) / min(b):.3f})  "
          f"(medians of {rounds} rounds; per-round medians before {[round(t * 1e6, 1) for t in b]} "
          f"after {[round(t * 1e6, 1) for t in a]})")


if __name__ == "__main__":
    main()
