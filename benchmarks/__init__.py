"""numkeras's benchmark suite: `python -m benchmarks` (or `make bench`) from the repository root.

Nothing here imports numkeras at package level: the peer workers import `benchmarks.common`
from environments that have PyTorch or Keras instead.
"""
