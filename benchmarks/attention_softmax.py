"""attention's softmax row kernels and `attention_ops.attention` forward+backward, one thread.

Times, on the Transformer benchmark's shapes (batch 64, 200 positions, 4 heads of 16), the three compiled
row passes of `engine/attention_kernels.py` over 64 chunks of (4, 200, 200) float32 (the chunk size that
`attention_ops` works on; one chunk 64 times, kept in cache as in attention_ops's loop), `np.exp` over the same chunks for scale, and `attention_ops.attention` forward
plus backward with q, k, v requiring gradients on a tape. Each figure is the median of `--repeats` wall
times (ms). With `--torch`, also PyTorch's `F.scaled_dot_product_attention` forward+backward on the same
shapes (run it with the interpreter that has torch: /work/main/.venv-bench/bin/python).

To compare two checkouts in one run, point PYTHONPATH at each in turn:

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=<checkout> python benchmarks/attention_softmax.py [--repeats 9]
    OMP_NUM_THREADS=1 /work/main/.venv-bench/bin/python benchmarks/attention_softmax.py --torch
"""
import argparse
import json
import os
import resource
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

B, T, N, H = 64, 200, 4, 16


def _median_ms(fn, repeats, setup=None):
    times = []
    for _ in range(repeats):
        state = setup() if setup else None
        start = time.perf_counter()
        fn(state)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def numkeras_figures(repeats):
    import numkeras
    from numkeras import ops
    from numkeras.engine import attention_kernels, attention_ops
    rng = np.random.default_rng(0)
    scores = [rng.standard_normal((N, T, T)).astype("float32") * 2 for _ in range(B)]
    work = [s.copy() for s in scores]
    probs = [np.exp(s - s.max(-1, keepdims=True)) for s in scores]
    probs = [p / p.sum(-1, keepdims=True) for p in probs]

    def reset(_=None):
        for w, s in zip(work, scores):
            np.copyto(w, s)

    def each(fn):  # 64 chunks, each just written (in cache), as in attention_ops's loop
        return lambda _: [fn(work[0]) for _ in work]

    rows = {}
    for name in ("shift_rows", "normalize_rows"):
        kernel = getattr(attention_kernels, name)
        assert kernel(work[0]) is not None, f"{name} declined: is numba installed and NUMKERAS_FUSED unset?"
        rows[name + "_ms"] = _median_ms(each(kernel), repeats, reset)
    # the gradient pass on the same chunk 64 times: with p = 1 and rows of +a, -a pairs (row sums exactly 0)
    # dp stays as it is, where real probabilities would shrink it call by call into subnormals, which are slow
    half = rng.standard_normal((N, T, T // 2)).astype("float32")
    dp = np.stack([half, -half], axis=-1).reshape(N, T, T)
    ones = np.ones_like(dp)
    rows["softmax_gradient_rows_ms"] = _median_ms(
        lambda _: [attention_kernels.softmax_gradient_rows(dp, ones) for _ in work], repeats)
    assert np.array_equal(dp.reshape(N, T, T // 2, 2)[..., 0], half)
    exp_out = np.empty_like(work[0])  # into another array: exp of exp of ... would overflow
    rows["np_exp_ms"] = _median_ms(each(lambda w: np.exp(w, out=exp_out)), repeats, reset)
    q, k, v = (numkeras.Variable(rng.standard_normal((B, T, N, H)).astype("float32")) for _ in range(3))
    g = np.ones((B, T, N, H), "float32")

    def step(_):
        with numkeras.GradientTape() as tape:
            out = attention_ops.attention(q, k, v)
            loss = ops.sum(out * g)
        tape.gradient(loss, [q, k, v])

    def forward(_):
        attention_ops.attention(q.value if hasattr(q, "value") else q, k, v)

    step(None)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    rows["attention_forward_backward_ms"] = _median_ms(step, repeats)
    rows["page_faults_per_step"] = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / repeats
    rows["attention_forward_ms"] = _median_ms(forward, repeats)
    return rows


def torch_figures(repeats):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    q, k, v = (torch.tensor(rng.standard_normal((B, N, T, H)).astype("float32"), requires_grad=True)
               for _ in range(3))

    def step(_):
        out = F.scaled_dot_product_attention(q, k, v)
        out.sum().backward()

    step(None)
    return {"torch_sdpa_forward_backward_ms": _median_ms(step, repeats)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--torch", action="store_true", help="time PyTorch's scaled_dot_product_attention instead")
    args = parser.parse_args(argv)
    rows = torch_figures(args.repeats) if args.torch else numkeras_figures(args.repeats)
    print(json.dumps({k: round(v, 2) for k, v in rows.items()}))


if __name__ == "__main__":
    main()
