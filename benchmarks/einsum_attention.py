"""ops.einsum on attention-shaped contractions against `numpy.einsum(optimize=True)` on the same arrays.

The contractions MultiHeadAttention and EinsumDense run: scores 'bqhd,bkhd->bhqk', the weighted
sum 'bhqk,bkhd->bqhd' (batch 64, sequence 200, 4 heads, head size 16) and a projection
'abc,cd->abd'. Each is timed forward only, both sides interleaved, best of `--repeats` (CPU
time, so a busy shared machine's neighbours count less). Prints one line per contraction with
the ratio numkeras / NumPy; the goal is <= 1.2.

    python -m benchmarks.einsum_attention [--quick] [--repeats N] [--out results.json]
"""
import argparse
import json
import platform
import time

import numpy as np

CONTRACTIONS = [  # (equation, operand shapes)
    ("bqhd,bkhd->bhqk", [(64, 200, 4, 16), (64, 200, 4, 16)]),
    ("bhqk,bkhd->bqhd", [(64, 4, 200, 200), (64, 200, 4, 16)]),
    ("abc,cd->abd", [(64, 200, 64), (64, 64)]),
]


def _best(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def run(quick=False, repeats=7):
    from numkeras import ops
    rng = np.random.default_rng(0)
    rows = []
    for equation, shapes in CONTRACTIONS:
        if quick:  # a tenth of the batch: checks the code path, not the speed
            shapes = [(max(1, s[0] // 10),) + s[1:] if len(s) > 2 else s for s in shapes]
        arrays = [rng.standard_normal(s).astype("float32") for s in shapes]
        ours = np.asarray(ops.einsum(equation, *arrays))
        reference = np.einsum(equation, *arrays, optimize=True)
        np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-3)
        t_np = t_nk = float("inf")
        for _ in range(1 if quick else 3):  # interleaved rounds
            t_np = min(t_np, _best(lambda: np.einsum(equation, *arrays, optimize=True), repeats))
            t_nk = min(t_nk, _best(lambda: ops.einsum(equation, *arrays), repeats))
        rows.append({"equation": equation, "shapes": shapes, "numpy_ms": t_np * 1e3, "numkeras_ms": t_nk * 1e3,
                     "ratio": t_nk / t_np if t_np else float("nan")})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, one round (a smoke test)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", help="write the rows as JSON here")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick, repeats=1 if args.quick else args.repeats)
    print(f"ops.einsum vs numpy.einsum(optimize=True), CPU time, best of {args.repeats} x 3 rounds "
          f"({platform.processor() or platform.machine()}, NumPy {np.__version__})")
    for r in rows:
        print(f"  {r['equation']:<18} numpy {r['numpy_ms']:8.2f} ms   numkeras {r['numkeras_ms']:8.2f} ms   "
              f"ratio {r['ratio']:.2f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"quick": args.quick, "rows": rows}, f, indent=1)
    return rows


if __name__ == "__main__":
    main()
