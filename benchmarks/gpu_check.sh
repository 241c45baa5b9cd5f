#!/usr/bin/env bash
# The GPU check of issue 18, for a machine with an NVIDIA GPU and cupy-cuda13x (pip install numkeras[gpu]),
# PyTorch with CUDA beside it. At most about 8 minutes. WRITTEN AND REVIEWED ON A CPU MACHINE, NOT YET RUN:
# the first GPU run is its test. Usage, from the repository root:
#     PYTHON=python TORCH_PYTHON=python bash benchmarks/gpu_check.sh
# Writes benchmarks/RESULTS-gpu.md (the card's name, the test results, epoch times and accuracies).
set -u
PYTHON=${PYTHON:-python}
TORCH_PYTHON=${TORCH_PYTHON:-$PYTHON}
OUT=benchmarks/RESULTS-gpu.md
LOG=$(mktemp -d)
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
CARD=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)

# (1) the engine/layers/losses/optimizers tests on the cupy backend (the strict list first: it passes strict)
NUMKERAS_BACKEND=cupy timeout 240 "$PYTHON" -m pytest -q -p no:cacheprovider -x --maxfail=50 \
  $(grep -v '^#' tests/strict_backend_files.txt) > "$LOG/tests_strict_list.txt" 2>&1
echo "exit $?" >> "$LOG/tests_strict_list.txt"
NUMKERAS_BACKEND=cupy timeout 120 "$PYTHON" -m pytest -q -p no:cacheprovider --maxfail=200 \
  numkeras/engine numkeras/layers/core numkeras/layers/convolutional numkeras/layers/pooling \
  > "$LOG/tests_more.txt" 2>&1
echo "exit $?" >> "$LOG/tests_more.txt"

# (2)+(3) the seed MLP (5 epochs) and the book's convnet (1 epoch) on the GPU, and PyTorch CUDA on the same card
NUMKERAS_BACKEND=cupy timeout 120 "$PYTHON" -m benchmarks.seed_mlp --epochs 5 --evaluate > "$LOG/mlp.json" 2>"$LOG/mlp.err"
NUMKERAS_BACKEND=cupy timeout 120 "$PYTHON" -m benchmarks.convnet --worker --epochs 1 > "$LOG/convnet.json" 2>"$LOG/convnet.err"
timeout 120 "$TORCH_PYTHON" - > "$LOG/torch.json" 2>"$LOG/torch.err" <<'PY'
# The same two models in PyTorch on CUDA, timed per epoch with a synchronize, on Fashion-MNIST's shapes.
import json, time
import numpy as np
import torch
from numkeras.datasets import fashion_mnist
(x, y), (xt, yt) = fashion_mnist.load_data()
dev = torch.device("cuda")
def run(model, xs, ys, xts, yts, epochs, opt):
    loss_fn, times = torch.nn.CrossEntropyLoss(), []
    xs, ys = torch.tensor(xs, device=dev), torch.tensor(ys, dtype=torch.long, device=dev)
    for _ in range(epochs):
        torch.cuda.synchronize(); t = time.perf_counter()
        order = torch.randperm(len(xs), device=dev)
        for i in range(0, len(xs), 128):
            idx = order[i:i + 128]
            opt.zero_grad(); loss_fn(model(xs[idx]), ys[idx]).backward(); opt.step()
        torch.cuda.synchronize(); times.append(time.perf_counter() - t)
    with torch.no_grad():
        acc = (model(torch.tensor(xts, device=dev)).argmax(1).cpu().numpy() == yts).mean()
    return {"epoch_seconds": times, "test_accuracy": float(acc)}
torch.manual_seed(1)
mlp = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)).to(dev)
f = lambda a: (a.reshape(len(a), -1) / 255).astype("float32")
out = {"mlp": run(mlp, f(x), y, f(xt), yt, 5, torch.optim.RMSprop(mlp.parameters(), lr=1e-3, alpha=0.9, eps=1e-7))}
conv = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(32, 64, 3),
                           torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(64, 128, 3), torch.nn.ReLU(),
                           torch.nn.Flatten(), torch.nn.Linear(1152, 10)).to(dev)
g = lambda a: (a[:, None] / 255).astype("float32")
out["convnet"] = run(conv, g(x), y, g(xt), yt, 1, torch.optim.RMSprop(conv.parameters(), lr=1e-3, alpha=0.9, eps=1e-7))
out["device"] = torch.cuda.get_device_name(0)
print(json.dumps(out))
PY

# (4) the report
{
  echo "# numkeras on the GPU (benchmarks/gpu_check.sh)"
  echo
  echo "Card: ${CARD:-unknown (nvidia-smi not found)}. Date: $(date -u +%FT%TZ)."
  echo
  echo "## Tests with NUMKERAS_BACKEND=cupy"
  echo '```'; tail -3 "$LOG/tests_strict_list.txt"; tail -3 "$LOG/tests_more.txt"; echo '```'
  echo "## numkeras (cupy backend): seed MLP 5 epochs, convnet 1 epoch (JSON from the benchmark workers)"
  echo '```'; cat "$LOG/mlp.json" "$LOG/convnet.json"; tail -5 "$LOG/mlp.err" "$LOG/convnet.err"; echo '```'
  echo "## PyTorch CUDA on the same card"
  echo '```'; cat "$LOG/torch.json"; tail -5 "$LOG/torch.err"; echo '```'
  echo "Target (issue 18): numkeras's epoch time at most 1.5x PyTorch's for both models, accuracy in the CPU band."
} > "$OUT"
echo "wrote $OUT"
