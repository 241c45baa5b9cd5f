"""What `python -m numkeras run` costs: the book's first notebook through the runner vs. as a plain script.

The 1st edition's 2.1 notebook (tests/book/first_edition/2.1-a-first-look-at-a-neural-network.ipynb)
runs twice, each in a fresh process, on the same data (Debian's Fashion-MNIST in MNIST's files,
as tests/book/book_data.py lays it out):

- runner: `python -m numkeras run NOTEBOOK` (IPython's InteractiveShell, per-cell headers, the
  figure backend, the closing count);
- plain:  `python SCRIPT`, the notebook's code cells joined into one file, preceded by
  `import numkeras; numkeras.install_as_keras()` (the least a plain script needs to run them).

The difference is the runner's cost; the target is at most 0.3 s. By default both runs cap
training through Keras's debugging limits (KERAS_MAX_EPOCHS=1, KERAS_MAX_STEPS_PER_EPOCH=50, set
in the environment of both), so a run takes seconds and the runner's fixed cost is not lost in
the noise of a long training run; `--full` runs the notebook as written (5 epochs, about a
minute each). An untimed warm-up run first loads the modules and the data into the page cache,
and both runs use one BLAS thread. Wall time and CPU time (user + system of the child) are both
reported: on a shared machine the CPU time is the steadier figure.

Usage (from the repository root):
    python -m benchmarks.notebook_runner               # one run of each, capped training
    python -m benchmarks.notebook_runner --full        # the notebook's own 5 epochs
    python -m benchmarks.notebook_runner --json PATH   # also write the figures
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "book"))

import book_data  # noqa: E402

from benchmarks.common import cpu_model  # noqa: E402
from numkeras.utils.notebook_runner import read_code_cells  # noqa: E402

NOTEBOOK = os.path.join(ROOT, "tests", "book", "first_edition", "2.1-a-first-look-at-a-neural-network.ipynb")
TARGET_S = 0.3
CAPS = {"KERAS_MAX_EPOCHS": "1", "KERAS_MAX_STEPS_PER_EPOCH": "50"}
# One BLAS thread in both runs: idle OpenBLAS threads spin, which would blur the CPU times.
THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
WARM_UP = ("import numkeras, IPython.core.interactiveshell, matplotlib\n"
           "from numkeras.datasets import mnist\nmnist.load_data()")


def timed(command, cwd, env):
    """(wall seconds, CPU seconds of the child, stdout) of one run; raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout



def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="train as the notebook says (5 epochs), no caps")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not book_data.have_fashion_mnist():
        raise SystemExit(f"needs Debian's Fashion-MNIST in {book_data.FMNIST_DIR} (make dataset)")
    with tempfile.TemporaryDirectory() as work:
        book_data.install(os.path.join(work, "home"))
        script = os.path.join(work, "notebook_as_script.py")
        with open(script, "w") as f:
            f.write("import numkeras\nnumkeras.install_as_keras()\n\n")
            f.write("\n\n".join(read_code_cells(NOTEBOOK)) + "\n")
        env = dict(os.environ, HOME=os.path.join(work, "home"), NUMKERAS_HOME=os.path.join(work, "numkeras-home"),
                   PYTHONPATH=ROOT, IPYTHONDIR=os.path.join(work, "ipython"))
        for name in CAPS:
            env.pop(name, None)
        env.update(THREADS)
        if not args.full:
            env.update(CAPS)
        # Untimed warm-up: both timed runs then find the modules and the data in the page cache.
        timed([sys.executable, "-c", WARM_UP], work, env)
        plain = timed([sys.executable, script], work, env)
        runner = timed([sys.executable, "-m", "numkeras", "run", NOTEBOOK, "--output-dir", "figures"], work, env)
    if not runner[2].rstrip().endswith("cells: 15 ran, 0 skipped, 0 failed"):
        raise SystemExit(f"the runner did not run every cell:\n{runner[2][-2000:]}")
    result = {
        "notebook": os.path.relpath(NOTEBOOK, ROOT),
        "training": "as written (5 epochs)" if args.full else f"capped: {CAPS}",
        "plain_wall_s": round(plain[0], 3), "runner_wall_s": round(runner[0], 3),
        "plain_cpu_s": round(plain[1], 3), "runner_cpu_s": round(runner[1], 3),
        "extra_wall_s": round(runner[0] - plain[0], 3), "extra_cpu_s": round(runner[1] - plain[1], 3),
        "target_extra_s": TARGET_S, "cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
    }
    print(f"## python -m numkeras run vs. a plain script: {result['notebook']} ({result['training']})\n")
    print("| | wall s | CPU s |\n|---|---|---|")
    print(f"| plain script | {result['plain_wall_s']:.2f} | {result['plain_cpu_s']:.2f} |")
    print(f"| python -m numkeras run | {result['runner_wall_s']:.2f} | {result['runner_cpu_s']:.2f} |")
    print(f"| runner's extra | {result['extra_wall_s']:+.2f} | {result['extra_cpu_s']:+.2f} |")
    verdict = "within" if result["extra_cpu_s"] <= TARGET_S else "over"
    print(f"\nTarget: at most {TARGET_S} s more; the CPU figure is {verdict} it. One run each on "
          f"{result['cpu']} ({result['cores']} cores), Python {result['python']}.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
