"""The alpha-beta model of ring allreduce in benchmarks/distributed.py, against hand-computed values."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from benchmarks import distributed  # noqa: E402


def test_ring_allreduce_time():
    # 2 nodes: 2 messages of alpha, and each node sends and receives half the bytes twice.
    assert distributed.ring_allreduce_seconds(2, 1000, alpha=1e-6, beta=1e-9) == pytest.approx(2e-6 + 1e-6)
    # 8 nodes, 8 MB at 1 GB/s, 10 us: 14 alphas and 2 * 7/8 * 8e6 bytes.
    assert distributed.ring_allreduce_seconds(8, 8e6, 10e-6, 1e-9) == pytest.approx(14e-5 + 0.014)


def test_fit_recovers_alpha_and_beta():
    points = [(n, 5e-6 + n * 2e-9) for n in (4, 1024, 2**20, 2**24)]
    alpha, beta = distributed.fit_alpha_beta(points)
    assert alpha == pytest.approx(5e-6, rel=1e-6) and beta == pytest.approx(2e-9, rel=1e-6)


def test_prediction_efficiency_and_break_even():
    report = {"alpha_s": 0.0, "beta_s_per_byte": 0.0,
              "models": {"m": {"params": 1000, "configs": {"1 process x 1 thread": {"step_ms": 1.0}}}}}
    rows = distributed.predict(report)
    ten = [r for r in rows if r["link"] == "10 Gb/s" and r["nodes"] == 8][0]
    t = 2 * 7 * 20e-6 + 2 * 7 / 8 * 4000 * 8 / 10e9
    assert ten["efficiency"] == pytest.approx(1e-3 / (1e-3 + t))
    # Break-even: compute k * 4 * params equals the allreduce of 4 * params bytes.
    k = 1e-3 / 4000
    params = ten["break_even_params"]
    assert k * 4 * params == pytest.approx(distributed.ring_allreduce_seconds(8, 4 * params, 20e-6, 8 / 10e9))
