"""The array seam, checked by reading the source: compute modules reach arrays through `numkeras.backend.xp`.

A module under the compute packages that imports NumPy directly must be listed below with the reason
its NumPy is host-side (or, for the modules not yet routed through the seam, what is left: issue 18).
A new direct import fails here; so does an entry whose module no longer imports NumPy (the list only
shrinks). The strict backend (`NUMKERAS_BACKEND=strict`, `make test`) catches the leaks a grep cannot.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "numkeras"
COMPUTE = ("activations", "constraints", "engine", "initializers", "layers", "losses", "metrics", "models",
           "ops", "optimizers", "random", "regularizers", "trainers")
_IMPORT = re.compile(r"^\s*(import numpy\b|from numpy\b)", re.MULTILINE)

_KERNELS = "a numba kernel family: CPU arrays only, and it declines any other (backend/compiled_kernels.py)"
_PREPROCESSING = "preprocessing runs on the host, before the step boundary (tf.data's place in Keras)"
_LEFT = "not yet routed through the seam (issue 18): "
ALLOWED = {
    "engine/attention_kernels.py": _KERNELS,
    "engine/gather_kernels.py": _KERNELS,
    "engine/conv_kernels.py": _KERNELS,
    "engine/normalization_kernels.py": _KERNELS,
    "engine/pool_kernels.py": _KERNELS,
    "engine/relu_kernels.py": _KERNELS,
    "engine/rnn_kernels.py": _KERNELS,
    "optimizers/update_kernels.py": _KERNELS,
    "layers/preprocessing/text_kernels.py": _KERNELS,
    "engine/gradient_check.py": "a test helper: finite differences and comparisons on host copies",
    "engine/variable.py": "host copies for numpy(), and NumPy arrays accepted as initial values",
    "layers/layer.py": "get_weights/set_weights host copies and integer checks of shape arguments",
    "layers/mask_propagation.py": "checks of mask arguments' types",
    "trainers/data_warnings.py": "host-side: looks at a sample of the user's arrays before any cross to the device",
    "layers/convolutional/conv_args.py": "argument checks (integer types), no arrays",
    "layers/core/lambda_layer.py": "serializes the function's closure constants on the host",
    "layers/regularization/dropout.py": "masks drawn by numkeras's host generator (seeding rules), moved with from_host",
    "layers/regularization/noise.py": "noise drawn by numkeras's host generator (seeding rules), moved with from_host",
    "layers/rnn/dropout_rnn_cell.py": "masks drawn by numkeras's host generator (seeding rules)",
    "initializers/__init__.py": "host-side: initial values are drawn on the host and move once with the Variable",
    "initializers/random_initializers.py": "host-side: numkeras's seeded generator draws initial values once",
    "random/random.py": "numkeras.random's draws on the host generator (seeding rules); results become Tensors",
    "random/seed_generator.py": "seed state on the host",
    "optimizers/optimizer.py": "learning-rate and config scalars on the host",
    "optimizers/saturating.py": "NumPy's error state where the backend is NumPy (a GPU clamps every time)",
    "optimizers/schedules/learning_rate_schedule.py": "schedules compute Python/NumPy scalars on the host",
    "models/model.py": "host-side summaries and saving helpers",
    "models/sequential.py": "input-shape checks on host arrays",
    "losses/registry.py": "argument checks, no arrays",
    "trainers/array_iterator.py": "batches are sliced on the host and move to the device once per step",
    "trainers/data_adapters.py": "datasets and generators yield host batches",
    "trainers/data_checks.py": "checks the user's (host) data before any step",
    "trainers/step_guard.py": "error messages read host copies",
    "trainers/trainer.py": "the step boundary itself: batches to the device, logs and predictions back",
    "trainers/compile_utils.py": "label checks on host data; logs come back through to_host",
    "ops/core.py": "keras.ops.convert_to_numpy and argument checks (integer types)",
    "ops/image.py": _LEFT + "image ops build index tables with NumPy",
    "ops/linalg.py": _LEFT + "argument checks and host-side decompositions",
    "ops/math.py": _LEFT + "argument checks, a few host-side tables",
    "ops/nn.py": _LEFT + "argument checks, host-side helpers",
    "ops/numpy.py": _LEFT + "argument checks and host-side results (keras.ops on NumPy inputs)",
    "engine/ctc_ops.py": _LEFT + "the CTC forward-backward runs on the host",
    "engine/image_ops.py": _LEFT + "resize/affine index tables and weights are built on the host",
    "engine/nn_ops.py": _LEFT + "a host-side dtype table",
    "layers/attention/attention.py": _LEFT + "score masks built with NumPy",
    "layers/attention/multi_head_attention.py": _LEFT + "causal masks built with NumPy",
    "layers/core/embedding.py": _LEFT + "index checks on host copies",
    "layers/core/masking.py": _LEFT + "mask comparisons",
    "layers/merging/base_merge.py": _LEFT + "shape checks",
    "layers/merging/concatenate.py": _LEFT + "mask concatenation",
    "layers/merging/multiply.py": _LEFT + "mask products",
    "layers/normalization/batch_normalization.py": _LEFT + "moving-statistics updates",
    "layers/reshaping/up_sampling.py": _LEFT + "bilinear weights built with NumPy",
    "layers/rnn/lstm.py": _LEFT + "the numba-kernel path's buffers",
    "layers/rnn/rnn.py": _LEFT + "mask and state handling",
    "losses/circle_loss.py": _LEFT + "pair masks",
    "losses/ctc_loss.py": _LEFT + "label lengths on the host",
    "losses/generalized_crossentropy.py": _LEFT + "one-hot tables",
    "metrics/iou_metrics.py": _LEFT + "the confusion matrix accumulates on the host",
    "regularizers/regularizers.py": _LEFT + "orthogonality penalty's identity",
}
for _name in ("base_image_layer", "category_encoding", "discretization", "hashed_crossing", "hashing",
              "index_lookup", "integer_lookup", "normalization", "random_translation", "random_zoom",
              "rescaling", "string_lookup", "text_vectorization"):
    ALLOWED[f"layers/preprocessing/{_name}.py"] = _PREPROCESSING


def _direct_importers():
    found = set()
    for package in COMPUTE:
        for path in (ROOT / package).rglob("*.py"):
            if not path.name.endswith("_test.py") and _IMPORT.search(path.read_text(encoding="utf-8")):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_no_compute_module_imports_numpy_outside_the_allowed_list():
    unlisted = sorted(_direct_importers() - set(ALLOWED))
    assert not unlisted, (
        f"These compute modules import NumPy directly: {unlisted}. Compute with `from numkeras.backend import "
        "xp` (and cross to the host with backend.to_host / from_host), or, for genuinely host-side code, add "
        "the module to ALLOWED in tests/array_seam_test.py with a one-line reason.")


def test_the_allowed_list_has_no_stale_entries():
    stale = sorted(set(ALLOWED) - _direct_importers())
    assert not stale, f"These modules no longer import NumPy: remove them from ALLOWED: {stale}."


def test_every_entry_gives_a_reason():
    assert all(isinstance(r, str) and len(r) > 10 for r in ALLOWED.values())
