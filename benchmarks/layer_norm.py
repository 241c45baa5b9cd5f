"""Layer normalization's forward + backward: the compiled kernels against the NumPy path, same run.

One (64, 200, 64) float32 `normalize` over the last axis with scale and offset (one of the
Transformer encoder's LayerNormalization calls), forward then backward through the tape, on one and
on two pool threads (OpenBLAS's thread count, which `thread_pool.configured` follows). Each figure is
the median of `--repeats` timings of `--steps` calls; the two paths alternate so the machine's load
falls on both alike. Prints one line per thread count and the NumPy / kernel ratio.

    OPENBLAS_NUM_THREADS=2 PYTHONPATH=$PWD python -m benchmarks.layer_norm
"""
import argparse
import os
import statistics
import time

import numpy as np

from benchmarks.common import cpu_model
from numkeras.backend import blas_threads, compiled_kernels
from numkeras.engine.normalization_ops import normalize
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable


def step(x, gamma, beta, g):
    with GradientTape() as tape:
        y = normalize(x, (2,), 1e-3, gamma, beta)[0]
    return tape.gradient(y, [x, gamma, beta], output_gradients=g)


def seconds(fused, args, steps):
    compiled_kernels.set_enabled(fused)
    start = time.perf_counter()
    for _ in range(steps):
        step(*args)
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--steps", type=int, default=20)
    flags = parser.parse_args()
    rng = np.random.default_rng(0)
    shape = (64, 200, 64)
    args = (Variable(rng.standard_normal(shape).astype("float32")),
            Variable(rng.uniform(0.5, 1.5, shape[-1:]).astype("float32")),
            Variable(rng.standard_normal(shape[-1:]).astype("float32")),
            rng.standard_normal(shape).astype("float32"))
    print(f"cpu: {cpu_model()}; load: {os.getloadavg()[0]:.2f}; numba kernels: {compiled_kernels.is_enabled()}")
    for threads in (1, 2):
        blas_threads.set_threads(threads)
        for fused in (False, True):
            seconds(fused, args, 3)  # warm up (and compile)
        numpy_t, kernel_t = [], []
        for _ in range(flags.repeats):
            numpy_t.append(seconds(False, args, flags.steps))
            kernel_t.append(seconds(True, args, flags.steps))
        a, b = statistics.median(numpy_t), statistics.median(kernel_t)
        print(f"threads={threads}: numpy {a * 1e3:.2f} ms, kernels {b * 1e3:.2f} ms, ratio numpy/kernels {a / b:.2f}")
    compiled_kernels.set_enabled(True)


if __name__ == "__main__":
    main()
