"""Memory and time of one epoch of `utils.timeseries_dataset_from_array` on the Jena climate shape.

The book's weather forecasting (Deep Learning with Python, the timeseries chapter) windows a
420,551 x 14 float32 series (23.6 MB) with sequence_length=120, sampling_rate=6 and batch 256,
shuffled. Copying every window would take 2.8 GB; numkeras's windows are strided views, and only
a batch (1.7 MB) is ever gathered. This script iterates one epoch and reports the memory used
beyond the series itself, measured two ways:

- tracemalloc: the peak of Python and NumPy allocations during the epoch (NumPy reports its
  array buffers to tracemalloc), the series allocated before tracing starts;
- RSS: the process's peak resident set during the epoch (VmHWM, reset through
  /proc/self/clear_refs) minus its resident set before it, on Linux; a separate untraced epoch,
  which also gives the time.

Usage (from the repository root):
    python -m benchmarks.timeseries_windows              # a few seconds
    python -m benchmarks.timeseries_windows --quick      # a short series: proves it runs
Prints a markdown report; `--json PATH` also writes the figures.
"""
import argparse
import json
import os
import sys
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

from benchmarks.common import cpu_model  # noqa: E402
from numkeras.utils.timeseries_dataset import timeseries_dataset_from_array  # noqa: E402

ROWS, FEATURES, SEQUENCE_LENGTH, SAMPLING_RATE, BATCH = 420_551, 14, 120, 6, 256
LIMIT_MB = 50


def _status_kb(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def one_epoch(series):
    """Windows of the series (targets: its second column 120 steps on, as the book forecasts), one shuffled epoch."""
    delay = SAMPLING_RATE * (SEQUENCE_LENGTH + 24 - 1)
    ds = timeseries_dataset_from_array(series[:-delay], targets=series[delay:, 1], sequence_length=SEQUENCE_LENGTH,
                                       sampling_rate=SAMPLING_RATE, batch_size=BATCH, shuffle=True, seed=0)
    batches = windows = 0
    checksum = 0.0
    for x, y in ds:
        batches += 1
        windows += len(x)
        checksum += float(x[0, 0, 0])  # touch each batch
    return {"batches": batches, "windows": windows, "checksum": checksum}



def measure(rows):
    series = np.random.default_rng(0).standard_normal((rows, FEATURES), dtype=np.float32)
    series_mb = series.nbytes / 1e6
    one_epoch(series[:10 * SEQUENCE_LENGTH * SAMPLING_RATE])  # warm the code paths

    tracemalloc.start()
    tracemalloc.reset_peak()
    epoch = one_epoch(series)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rss_mb = None
    before = _status_kb("VmRSS")
    if _reset_peak_rss() and before is not None:
        start = time.perf_counter()
        one_epoch(series)
        seconds = time.perf_counter() - start
        rss_mb = (_status_kb("VmHWM") - before) / 1e3
    else:
        start = time.perf_counter()
        one_epoch(series)
        seconds = time.perf_counter() - start
    copied_gb = epoch["windows"] * SEQUENCE_LENGTH * FEATURES * 4 / 1e9
    return {"rows": rows, "features": FEATURES, "sequence_length": SEQUENCE_LENGTH, "sampling_rate": SAMPLING_RATE,
            "batch_size": BATCH, "series_mb": series_mb, "batches": epoch["batches"], "windows": epoch["windows"],
            "tracemalloc_peak_over_series_mb": peak / 1e6, "rss_peak_over_series_mb": rss_mb,
            "epoch_seconds": seconds, "all_windows_copied_gb": copied_gb, "limit_mb": LIMIT_MB,
            "cpu": cpu_model(), "numpy": np.__version__}


def report(r):
    rss = "n/a (no /proc)" if r["rss_peak_over_series_mb"] is None else f"{r['rss_peak_over_series_mb']:.1f} MB"
    return "\n".join([
        "## timeseries_dataset_from_array: one epoch",
        "",
        f"Series {r['rows']:,} x {r['features']} float32 ({r['series_mb']:.1f} MB), sequence_length "
        f"{r['sequence_length']}, sampling_rate {r['sampling_rate']}, batch {r['batch_size']}, shuffled: "
        f"{r['windows']:,} windows in {r['batches']} batches (copied whole they would take "
        f"{r['all_windows_copied_gb']:.2f} GB).",
        "",
        "| measure | beyond the series | limit |",
        "|---|---|---|",
        f"| tracemalloc peak | {r['tracemalloc_peak_over_series_mb']:.1f} MB | {r['limit_mb']} MB |",
        f"| peak RSS growth | {rss} | {r['limit_mb']} MB |",
        "",
        f"Epoch time (untraced): {r['epoch_seconds']:.2f} s; {r['cpu']}, NumPy {r['numpy']}.",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 30,000-row series instead of 420,551")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    result = measure(30_000 if args.quick else ROWS)
    result["quick"] = args.quick
    print(report(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return result


if __name__ == "__main__":
    main()
