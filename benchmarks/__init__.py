"""Benchmarks for numkeras; run them from the repository root, e.g. `python -m benchmarks.seed_mlp`."""
