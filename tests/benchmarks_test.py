"""The benchmark suite runs end to end (`--quick`), and its report covers every workload.

No timing assertions: the figures of a few steps on a shared machine mean nothing.
"""
import ast
import importlib.util
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from benchmarks import suite  # noqa: E402

WORKLOADS = ["seed", "overhead"] + [f"scale b{b} h{h}" for h in suite.SCALE_HIDDEN for b in suite.SCALE_BATCHES]


def test_quick_suite_runs_without_peers(tmp_path):
    # One BLAS thread: on a busy machine OpenBLAS's spinning threads make a few steps take seconds.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env.pop("NUMKERAS_FUSED", None)  # the suite itself switches the kernels on and off per run
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--no-peers", "--synthetic",
                           "--out", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".md"]  # no temp files left

    data = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert data["quick"] and data["frameworks"]["pytorch"]["skipped"] == "--no-peers"
    ran = {(r["workload"], r["framework"]) for r in data["runs"]}
    numba = importlib.util.find_spec("numba") is not None  # then numkeras also runs without its kernels
    expected = ("numkeras", "floor") + (("numkeras-numpy",) if numba else ())
    assert ran == {(w, f) for w in WORKLOADS for f in expected}
    assert all(r["result"]["fused_kernels"] == (numba and r["framework"] == "numkeras")
               for r in data["runs"] if r["framework"] != "floor")
    assert not [r for r in data["runs"] if "error" in r["result"]]
    seed = data["summary"]["seed"]["numkeras"]
    assert len(seed["each"]) == 1 and 0 <= seed["test_accuracy"][0] <= 1
    assert seed["peak_rss_mb"] >= seed["train_peak_rss_mb"] > 0
    assert all(seed[k] > 0 for k in ("predict_1_ms", "call_1_ms", "predict_10k_s"))
    scaling = data["summary"]["scaling"]
    assert len(scaling) == 9
    assert all(p["seconds"]["numkeras"] > 0 and p["seconds"]["floor"] > 0 for p in scaling)
    assert set(data["imports"]) == {"numkeras", "numkeras-first-use", "floor"}

    report = next(tmp_path.glob("*.md")).read_text()
    assert data["summary"]["overhead"]["numkeras"] > 0 and data["summary"]["overhead"]["floor"] > 0
    for heading in ("## Seed MLP", "## Import", "## Scaling", "## Per-step overhead"):
        assert heading in report
    assert "PyTorch skipped: --no-peers" in report and report in proc.stdout


def fake_run(workload, framework, epochs, **extra):
    result = {"framework": framework, "version": "1.0", "epoch_seconds": epochs, "steps_per_epoch": 469,
              "peak_rss_mb": 300.0, "train_peak_rss_mb": 280.0, "data_rss_mb": 250.0, "test_accuracy": 0.87,
              "predict_1_ms": 0.05, "call_1_ms": 0.04, "predict_10k_s": 0.05, **extra}
    return {"workload": workload, "framework": framework, "round": 0, "result": result,
            "flags": {"predict_calls": 1000, "predict_reps": 3, "test_samples": 0}}


def test_report_has_a_column_and_ratios_for_each_peer():
    keys = ["numkeras", "floor", "pytorch", "keras-jax"]
    seconds = {"numkeras": [1.0, 0.8], "floor": [0.5, 0.5], "pytorch": [1.2, 1.2], "keras-jax": [2.0, 1.0]}
    runs = [fake_run(w, k, seconds[k], backend_version="0.9") for w in ("seed", "scale b32 h128") for k in keys]
    data = {"frameworks": {k: {"label": label, "skipped": None} for k, label in zip(
                keys, ["numkeras", "floor", "PyTorch", "Keras/JAX"])},
            "runs": runs, "imports": {"floor": [0.1, 0.1], "numkeras": [0.12, 0.11]},
            "scaling": {"samples": 12288, "epochs": 2}, "machine": {"cpu": "x", "cpus": 2, "python": "3"},
            "time_utc": "now", "rounds": 1, "synthetic": False, "wall_seconds": 60, "command": "c",
            "quick": False}
    summary = suite.summarize(data)
    assert summary["seed"]["numkeras"]["epoch_mean"] == 0.9
    assert summary["scaling"][0]["seconds"]["floor"] == 0.5 * 60000 / 12288  # epoch 2, scaled to 60,000
    report = suite.markdown(data, summary)
    assert "· Keras 1.0 on JAX 0.9" in report and "| numkeras ÷ PyTorch |" in report
    epoch_row = next(line for line in report.splitlines() if line.startswith("| epoch s, mean"))
    assert epoch_row.endswith("| 1.80× | 0.75× | 0.60× |")  # ÷ floor, ÷ PyTorch, ÷ Keras/JAX
    header = next(line for line in report.splitlines() if line.startswith("| batch"))
    assert all(line.count("|") == header.count("|")
               for line in report.splitlines() if line.startswith("| 32 "))


def test_peer_workers_do_not_import_numkeras():
    for name in ("seed_mlp_torch.py", "seed_mlp_keras.py", "floor.py", "common.py",
                 "imdb_rnn_torch.py", "imdb_rnn_keras.py", "transformer_encoder_torch.py"):
        with open(os.path.join(ROOT, "benchmarks", name), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        imported = [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [m for m in imported if m.split(".")[0] == "numkeras"], name


def test_accuracy_spread_runs_and_summarizes(tmp_path):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.accuracy_spread", "--seeds", "2", "--quick",
                           "--no-peers", "--synthetic", "--out", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(next(tmp_path.glob("accuracy-*.json")).read_text())
    s = data["summary"]["numkeras"]
    assert s["seeds"] == [1, 2] and len(s["accuracy"]) == 2 and all(0 <= a <= 1 for a in s["accuracy"])
    assert s["min"] <= s["mean"] <= s["max"] and s["reached"] == sum(a >= 0.86 for a in s["accuracy"])
    assert "| numkeras |" in proc.stdout and "PyTorch skipped: --no-peers" in proc.stdout


def test_accuracy_spread_counts_the_seeds_that_reach_the_threshold():
    from benchmarks import accuracy_spread
    runs = [{"framework": "numkeras", "seed": s, "result": {"test_accuracy": a, "train_loss": [0.5, 0.3]}}
            for s, a in ((1, 0.87), (2, 0.85), (3, 0.86))]
    runs.append({"framework": "numkeras", "seed": 4, "result": {"error": "exit 1"}})
    data = {"frameworks": {"numkeras": {"label": "numkeras", "skipped": None}}, "runs": runs, "threshold": 0.86}
    s = accuracy_spread.summarize(data)["numkeras"]
    assert s["reached"] == 2 and s["seeds"] == [1, 2, 3] and abs(s["mean"] - 0.86) < 1e-12
    assert abs(s["std"] - 0.01) < 1e-12 and s["loss_mean"] == 0.3


def test_bounds_report_runs_without_peers(tmp_path):
    out = tmp_path / "bounds.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bounds", "--quick", "--torch-python", "",
                           "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert set(figures) == {"numpy 1", "numpy 2"}
    step = figures["numpy 2"]
    numba = importlib.util.find_spec("numba") is not None
    assert ("rmsprop_compiled_us" in step) == numba and step["rmsprop_numpy_us"] > 0
    assert all(step[k] > 0 for k in ("one_row_us", "floor_step_us", "gather_us", "a_plus_b_us"))
    for heading in ("## One-row product", "## The first layer of predicting", "## A training step"):
        assert heading in proc.stdout
    assert "× the floor** a step" in proc.stdout and "PyTorch skipped" in proc.stdout


def test_imdb_rnn_table_has_ratios_for_each_peer():
    from benchmarks import imdb_rnn
    runs = [{"round": 0, "layer": "lstm", "threads": "one", "framework": name,
             "result": {"step_seconds": s, "step_cpu_seconds": s, "peak_rss_mb": 100.0}}
            for name, s in (("numkeras", 0.2), ("pytorch", 0.1), ("keras-jax", 0.4))]
    report = imdb_rnn.table(runs, ["lstm"], ["one"], ["numkeras", "pytorch", "keras-jax"])
    header, _, row = report.splitlines()
    assert row.count("|") == header.count("|")
    assert "2.00x" in row and "0.50x" in row and "200.0 (200.0)" in row


def test_einsum_attention_benchmark_runs_quick(tmp_path):
    out = tmp_path / "einsum.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.einsum_attention", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads(out.read_text())["rows"]
    assert [r["equation"] for r in rows] == ["bqhd,bkhd->bhqk", "bhqk,bkhd->bqhd", "abc,cd->abd"]
    assert all(r["numpy_ms"] >= 0 and r["numkeras_ms"] >= 0 for r in rows)
    assert all(r["equation"] in proc.stdout for r in rows)


def test_transformer_encoder_quick_runs_and_reports():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.transformer_encoder", "--quick", "--profile"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "embed 64, 4 heads of 16, feed-forward 128), seq 200, batch 64" in proc.stdout
    assert "train step" in proc.stdout and "epoch of 391 steps" in proc.stdout
    for group in ("attention: scores, softmax, values", "layer normalization", "the rest"):
        assert group in proc.stdout


def test_transformer_encoder_worker_emits_one_json_line():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.transformer_encoder", "--json", "--steps", "1",
                           "--warmup", "1"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["framework"] == "numkeras" and result["step_seconds"] > 0 and result["peak_rss_mb"] > 0
    assert result["parameters"] == 1359809  # the same count as PyTorch's model of the same shapes


def test_transformer_encoder_profile_charges_the_thread_pool_to_its_caller():
    from benchmarks import transformer_encoder
    assert transformer_encoder._passes_on("/site/numkeras/engine/thread_pool.py")  # the main thread's wait
    assert transformer_encoder._passes_on("~") and transformer_encoder._passes_on("/usr/lib/python3/threading.py")
    assert not transformer_encoder._passes_on("/site/numkeras/engine/attention_ops.py")
    # a product called 3 s' worth from the projections and 1 s' worth from the Dense layers, via pooled_matmul
    einsum = ("/s/numkeras/engine/einsum_ops.py", 1, "_as_matmul")
    linalg = ("/s/numkeras/engine/linalg_ops.py", 1, "affine")
    pooled = ("/s/numkeras/engine/pooled_matmul.py", 1, "matmul")
    stats = {pooled: (4, 4, 0.0, 4.0, {einsum: (3, 3, 0.0, 3.0), linalg: (1, 1, 0.0, 1.0)})}
    shares = transformer_encoder._caller_shares({pooled: (4, 4, 0.0, 4.0)}, stats, 5)
    assert shares == {"q, k, v, output projections (einsum)": 0.75, "dense products, bias, relu": 0.25}


def test_transformer_encoder_table_has_the_ratio_and_the_epoch():
    from benchmarks import transformer_encoder
    runs = [{"round": 0, "threads": "one", "framework": name,
             "result": {"step_seconds": s, "step_cpu_seconds": s, "peak_rss_mb": 100.0}}
            for name, s in (("numkeras", 0.3), ("pytorch", 0.2))]
    report = transformer_encoder.table(runs, ["one"], ["numkeras", "pytorch"])
    header, _, row = report.splitlines()
    assert row.count("|") == header.count("|")
    assert "1.50x" in row and "300.0 (300.0)" in row and f"{0.3 * 391:.1f}" in row


def test_text_vectorization_benchmark_quick_run(tmp_path):
    out = tmp_path / "text.json"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "benchmarks.text_vectorization", "--quick", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text())
    (run,) = data["results"]
    assert run["docs"] == 500 and 150 * 500 < run["words"] < 310 * 500
    assert set(run["seconds"]) == {"adapt", "vectorize", "vectorize_batches", "bigram_adapt", "bigram_vectorize"}
    assert all(s > 0 for s in run["seconds"].values())
    checks = run["checks"]
    assert checks["ids_shape"] == [500, 600] and 100 < checks["vocabulary_size"] <= 20000
    assert "| adapt |" in data["report"] and data["report"] in proc.stdout


def test_text_vectorization_benchmark_times_only_the_workloads_asked_for(tmp_path):
    out = tmp_path / "text.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.text_vectorization", "--quick", "--workloads",
                           "vectorize,bigram_vectorize", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (run,) = json.loads(out.read_text())["results"]
    assert set(run["seconds"]) == {"vectorize", "bigram_vectorize"}
    assert "| bigram_vectorize |" in proc.stdout and "| adapt |" not in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "benchmarks.text_vectorization", "--workloads", "vectorise"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "unknown ['vectorise']" in bad.stderr


def test_text_vectorization_report_has_the_ratio_with_keras():
    from benchmarks import text_vectorization as tv
    run = {"framework": "numkeras", "version": "numkeras 0.1", "docs": 10, "words": 2300, "words_source": "w",
           "seconds": dict.fromkeys(tv.WORKLOADS, 1.0), "peak_rss_mb": 100.0}
    peer = dict(run, framework="keras-tf", version="Keras 3 on TensorFlow 2", seconds=dict.fromkeys(tv.WORKLOADS, 4.0))
    text = tv.report([run, peer])
    assert "| adapt | 1.000 | 100000.0 | 4.000 | 400000.0 | 0.25× |" in text
def test_timeseries_windows_quick_run_stays_within_its_memory_limit(tmp_path):
    out = tmp_path / "timeseries.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.timeseries_windows", "--quick", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    r = json.loads(out.read_text())
    assert r["quick"] and r["rows"] == 30_000 and r["batches"] == -(-r["windows"] // 256)
    # Every window of the series (less the forecast delay) comes out once.
    assert r["windows"] == 30_000 - 6 * (120 + 24 - 1) - 119 * 6
    # Windows are views: the epoch needs far less than the windows copied, and less than the limit.
    assert 0 < r["tracemalloc_peak_over_series_mb"] < r["limit_mb"] == 50
    assert r["tracemalloc_peak_over_series_mb"] * 1e-3 < r["all_windows_copied_gb"] / 10
    assert "## timeseries_dataset_from_array: one epoch" in proc.stdout
