"""Every loss against Keras: each class with its defaults and its key arguments, and each loss function.

Both libraries get the same y_true, y_pred and sample_weight; one Keras process runs every case.
"""
import inspect

import numpy as np
import pytest

from keras_parity.harness import assert_close
from numkeras import losses

RS = np.random.RandomState(11)


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("float32")


_LABELS = RS.randint(0, 3, size=4)
DATA = {  # kind -> (y_true, y_pred), batch 4, 3 classes or outputs
    "regression": (RS.uniform(0.5, 2.0, (4, 3)), RS.uniform(0.0, 2.0, (4, 3))),
    "binary": (RS.randint(0, 2, (4, 3)), RS.uniform(0.05, 0.95, (4, 3))),
    "binary_logits": (RS.randint(0, 2, (4, 3)), RS.normal(0.0, 2.0, (4, 3))),
    "categorical": (np.eye(3)[_LABELS], _softmax(RS.normal(0.0, 2.0, (4, 3)))),
    "categorical_logits": (np.eye(3)[_LABELS], RS.normal(0.0, 2.0, (4, 3))),
    "sparse": (_LABELS, _softmax(RS.normal(0.0, 2.0, (4, 3)))),
    "sparse_logits": (_LABELS, RS.normal(0.0, 2.0, (4, 3))),
    "distribution": (_softmax(RS.normal(size=(4, 3))), _softmax(RS.normal(size=(4, 3)))),
    "counts": (RS.poisson(2.0, (4, 3)), RS.uniform(0.5, 3.0, (4, 3))),
    "signs": (RS.choice([-1.0, 1.0], (4, 3)), RS.normal(size=(4, 3))),
    "zero_one_signs": (RS.randint(0, 2, (4, 3)), RS.normal(size=(4, 3))),  # Keras maps {0, 1} to {-1, 1}
    "masks": (RS.randint(0, 2, (4, 3, 3)), RS.uniform(0.0, 1.0, (4, 3, 3))),
    "sparse_embeddings": (np.array([0, 1, 0, 1]), RS.normal(size=(4, 3))),  # L2-normalized below
    "sparse_ctc": (np.array([[1, 2, 2], [3, 0, 0], [1, 1, 0], [2, 3, 1]]), RS.normal(size=(4, 7, 4))),  # logits
}
DATA["sparse_embeddings"] = (DATA["sparse_embeddings"][0],
                             DATA["sparse_embeddings"][1] / np.linalg.norm(DATA["sparse_embeddings"][1], axis=1,
                                                                           keepdims=True))
DATA = {k: (np.asarray(t, "int64" if k.startswith("sparse") else "float32"), np.asarray(p, "float32"))
        for k, (t, p) in DATA.items()}
SAMPLE_WEIGHT = np.asarray([0.5, 2.0, 0.0, 1.0], "float32")

KIND = {  # each loss class -> the data it takes
    "MeanSquaredError": "regression", "MeanAbsoluteError": "regression", "MeanAbsolutePercentageError": "regression",
    "MeanSquaredLogarithmicError": "regression", "Huber": "regression", "LogCosh": "regression",
    "CosineSimilarity": "regression", "BinaryCrossentropy": "binary", "BinaryFocalCrossentropy": "binary",
    "CategoricalCrossentropy": "categorical", "CategoricalFocalCrossentropy": "categorical",
    "SparseCategoricalCrossentropy": "sparse", "KLDivergence": "distribution", "Poisson": "counts",
    "Hinge": "signs", "SquaredHinge": "signs", "CategoricalHinge": "categorical",
    "Dice": "masks", "Tversky": "masks", "Circle": "sparse_embeddings", "CategoricalGeneralizedCrossEntropy": "sparse",
    "CTC": "sparse_ctc",
}
LOGITS = {"binary": "binary_logits", "categorical": "categorical_logits", "sparse": "sparse_logits"}



def takes(cls, argument):
    return argument in inspect.signature(getattr(losses, cls)).parameters


# (class name, kwargs, data kind or None for the class's own, sample weight?)
CASES = [(cls, {}, None, False) for cls in KIND]
CASES += [(cls, {"reduction": reduction}, None, weighted) for cls in KIND
          for reduction, weighted in (("sum", False), (None, False), ("sum_over_batch_size", True))]
CASES += [(cls, {"from_logits": True}, LOGITS[KIND[cls]], False) for cls in KIND if takes(cls, "from_logits")]
CASES += [(cls, {"label_smoothing": 0.1}, None, False) for cls in KIND if takes(cls, "label_smoothing")]
CASES += [
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "binary_logits", True),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "categorical_logits", True),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, None, False),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1}, "sparse_logits", False),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5}, None, False),
    ("BinaryFocalCrossentropy", {"from_logits": True, "gamma": 3.0}, "binary_logits", True),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0}, None, True),
    ("Huber", {"delta": 0.3}, None, False),
    ("CosineSimilarity", {"axis": 0}, None, False),
    ("Hinge", {}, "zero_one_signs", False),
    ("SquaredHinge", {}, "zero_one_signs", False),
    ("MeanSquaredError", {"reduction": "mean"}, None, True),
    ("MeanSquaredError", {"reduction": "mean_with_sample_weight"}, None, True),
    ("Dice", {"axis": (1, 2)}, None, True),
    ("Dice", {"axis": -1}, "binary", False),
    ("Tversky", {"alpha": 0.7, "beta": 0.3}, None, False),
    ("Tversky", {"alpha": 0.2, "beta": 0.9, "axis": (1, 2)}, None, True),
    ("Circle", {"gamma": 16.0, "margin": 0.25}, None, True),
    ("Circle", {"remove_diagonal": False}, None, False),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}, None, True),
    ("CTC", {"reduction": "sum"}, None, True),
]
FUNCTIONS = {  # each loss function numkeras exports -> the data it takes (defaults only)
    "binary_crossentropy": "binary", "binary_focal_crossentropy": "binary", "categorical_crossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical", "sparse_categorical_crossentropy": "sparse",
    "mean_squared_error": "regression", "mean_absolute_error": "regression",
    "mean_absolute_percentage_error": "regression", "mean_squared_logarithmic_error": "regression",
    "huber": "regression", "log_cosh": "regression", "hinge": "signs", "squared_hinge": "signs",
    "categorical_hinge": "categorical", "kl_divergence": "distribution", "poisson": "counts",
    "cosine_similarity": "regression", "dice": "masks", "tversky": "masks", "circle": "sparse_embeddings",
    "categorical_generalized_cross_entropy": "sparse", "ctc": "sparse_ctc",
}
FUNCTION_KWARGS = {"categorical_generalized_cross_entropy": {"q": 0.7}}  # its q has no default, in Keras too
IDS = [f"{i:02d}-{cls}" + "".join(f"-{k}={v}" for k, v in kwargs.items()) + ("-weighted" if w else "")
       for i, (cls, kwargs, _, w) in enumerate(CASES)]


@pytest.fixture(scope="module")
def keras_losses(keras_reference):
    ref = keras_reference
    for case, (cls, kwargs, kind, weighted) in zip(IDS, CASES):
        y_true, y_pred = DATA[kind or KIND[cls]]
        ref.add(case, "loss", class_name=cls, kwargs=kwargs, y_true=ref.array(y_true), y_pred=ref.array(y_pred),
                sample_weight=ref.array(SAMPLE_WEIGHT) if weighted else None)
    for name, kind in FUNCTIONS.items():
        y_true, y_pred = DATA[kind]
        ref.add(f"fn-{name}", "loss", class_name=name, function=True, y_true=ref.array(y_true),
                y_pred=ref.array(y_pred), kwargs=FUNCTION_KWARGS.get(name, {}))
    return ref.run()


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_loss_matches_keras(keras_losses, index):
    cls, kwargs, kind, weighted = CASES[index]
    y_true, y_pred = DATA[kind or KIND[cls]]
    ours = getattr(losses, cls)(**kwargs)(y_true, y_pred, sample_weight=SAMPLE_WEIGHT if weighted else None)
    assert_close(np.asarray(ours), keras_losses[IDS[index]]["out"], what=IDS[index])


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_loss_function_matches_keras(keras_losses, name):
    y_true, y_pred = DATA[FUNCTIONS[name]]
    ours = getattr(losses, name)(y_true, y_pred, **FUNCTION_KWARGS.get(name, {}))
    assert_close(np.asarray(ours), keras_losses[f"fn-{name}"]["out"], what=name)


def test_every_loss_has_a_parity_case():
    classes = {n for n in losses.__all__ if inspect.isclass(getattr(losses, n))} - {"Loss", "LossFunctionWrapper"}
    functions = {n for n in losses.__all__ if n[0].islower() and inspect.isfunction(getattr(losses, n))}
    functions = {n for n in functions if getattr(losses, n).__name__ == n} - {
        "get", "get_loss", "serialize", "deserialize", "is_binary_or_sparse_categorical", "reduce_weighted_values",
        "squeeze_or_expand_to_same_rank"}
    assert classes <= set(KIND), f"losses without a parity case: {sorted(classes - set(KIND))}"
    assert functions <= set(FUNCTIONS), f"loss functions without a parity case: {sorted(functions - set(FUNCTIONS))}"
