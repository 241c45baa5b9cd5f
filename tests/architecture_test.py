"""The import direction of the house, as ARCHITECTURE.md draws it.

Every module of numkeras sits on one level of `LEVELS`. At its top, a module imports only
modules of its own level or below, so the engine never depends on layers, layers never on
models, and the lower levels can be read (and tested) without the upper ones. A call upward
(`Model.save` reaching the saving library) is an import inside a function, and each such pair of
packages is listed in `UPWARD_CALLS` with the reason it exists.

A new module takes its package's level; a new package, or a utils module that is not yet
listed, must be given a level here (the test names it).
"""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "numkeras"

# Lowest first. A name covers the module and everything under it; the longest name wins.
LEVELS = [
    # The array-module seam: floatx, epsilon, seeds, the compiled-kernel switch.
    ["numkeras.backend", "numkeras.config", "numkeras.dtype_policies"],
    # Plain-Python helpers that know nothing of tensors.
    ["numkeras.utils.tree", "numkeras.utils.naming", "numkeras.utils.file_utils", "numkeras.utils.progbar",
     "numkeras.utils.lookup", "numkeras.utils.py_dataset", "numkeras.utils.rng_utils",
     "numkeras.utils.sequence_utils", "numkeras.utils.history_plot", "numkeras.utils.summary_utils",
     "numkeras.utils.keras2_idioms",
     "numkeras.utils.dataset", "numkeras.utils.dataset_utils", "numkeras.utils.text_dataset",
     "numkeras.utils.timeseries_dataset", "numkeras.saving.atomic_write"],
    # Tensor, Variable, the tape, and the primitive ops with their VJPs.
    ["numkeras.engine"],
    # Functions built on the primitives.
    ["numkeras.ops", "numkeras.random", "numkeras.activations", "numkeras.initializers", "numkeras.regularizers",
     "numkeras.constraints", "numkeras.utils.numerical_utils"],
    # What compile() plugs in.
    ["numkeras.losses", "numkeras.metrics", "numkeras.optimizers"],
    ["numkeras.layers"],
    # fit/evaluate/predict and what they call back.
    ["numkeras.trainers", "numkeras.callbacks"],
    ["numkeras.models"],
    # Files: .keras archives, weights, configs; it rebuilds models, so it sits above them.
    ["numkeras.saving"],
    # The edges, bringing data in, and the package's own front door.
    ["numkeras.datasets", "numkeras.utils", "numkeras.preprocessing", "numkeras",
     # ImageNet models: built from layers and models, weights through utils.get_file and Model.load_weights.
     "numkeras.applications",
     # `python -m numkeras run`: runs a whole program (it installs the keras alias), so it sits on top;
     # notebook_figures is the matplotlib backend it selects.
     "numkeras.utils.notebook_runner", "numkeras.utils.notebook_figures",
     # Keras 2's keras.utils.np_utils (to_categorical, normalize), kept for the 1st edition's code.
     "numkeras.utils.np_utils"],
]

# Imports inside functions that go up a level: (from package, to package) -> why.
UPWARD_CALLS = {
    ("numkeras.saving", "numkeras"):
        "a file records numkeras.__version__ and names functions by their public path, looked up there",
    ("numkeras.layers", "numkeras.saving"):
        "Lambda's get_config/from_config write and read Python functions (saving.function_serialization); "
        "RNN, StackedRNNCells, Bidirectional and TimeDistributed nest a cell's or layer's config "
        "(saving.serialization_lib), as Keras's do; TextVectorization writes and reads a callable standardize "
        "or split the same way",
    ("numkeras.engine", "numkeras.initializers"):
        "Variable(shape=..., initializer='uniform') takes an initializer's name, as Keras's Variable does "
        "(resolved with initializers.get)",
    ("numkeras.models", "numkeras.saving"):
        "Model.save / load_weights / to_json call the saving library; a functional model's weights follow "
        "Keras's layer order of the graph (saving.layer_order)",
}


def level_of(module):
    best, level = "", None
    for i, names in enumerate(LEVELS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, level = name, i
    return level, best


def package_of(module):
    return ".".join(module.split(".")[:2])


def module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path, module):
    """(imported module, line, at top level?) for each numkeras import in `path`."""
    tree = ast.parse(path.read_text(), str(path))
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[:len(module.split(".")) - node.level + (path.name == "__init__.py")]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from numkeras import activations` imports the submodule numkeras.activations.
            names = [f"{target}.{a.name}" if target == "numkeras" and _is_submodule(a.name) else target
                     for a in node.names]
        else:
            continue
        for name in names:
            if name == "numkeras" or name.startswith("numkeras."):
                yield name, node.lineno, id(node) in top


def _is_submodule(name):
    return (ROOT / name).is_dir() or (ROOT / f"{name}.py").is_file()


def sources():
    return sorted(p for p in ROOT.rglob("*.py") if not p.name.endswith("_test.py"))


def test_every_module_has_a_level():
    missing = [module_name(p) for p in sources() if level_of(module_name(p))[0] is None]
    assert not missing, f"give these modules a level in LEVELS: {missing}"


def test_no_module_imports_a_higher_level_at_its_top():
    wrong = []
    for path in sources():
        module = module_name(path)
        own, _ = level_of(module)
        for name, line, at_top in imports(path, module):
            theirs, where = level_of(name)
            if at_top and theirs > own:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name} "
                             f"(level {theirs}, {where}) from level {own}")
    assert not wrong, "imports against the direction of ARCHITECTURE.md:\n" + "\n".join(wrong)


def test_calls_upward_are_the_listed_ones():
    found = {}
    for path in sources():
        module = module_name(path)
        own, _ = level_of(module)
        for name, line, at_top in imports(path, module):
            if not at_top and level_of(name)[0] > own:
                pair = (package_of(module), package_of(name))
                found.setdefault(pair, f"{path.relative_to(ROOT.parent)}:{line}")
    unlisted = {pair: where for pair, where in found.items() if pair not in UPWARD_CALLS}
    assert not unlisted, f"new calls upward: list each in UPWARD_CALLS with its reason: {unlisted}"
    stale = set(UPWARD_CALLS) - set(found)
    assert not stale, f"UPWARD_CALLS lists pairs no code has any more: {stale}"


def test_the_check_sees_a_wrong_import(tmp_path):
    # The walk must notice a top-level import upward, or the tests above could pass by seeing nothing.
    fake = ROOT / "engine" / "tensor.py"
    wrong = tmp_path / "tensor.py"
    wrong.write_text("from numkeras.layers import Dense\n\ndef f():\n    from numkeras.models import Model\n")
    found = list(imports(wrong, "numkeras.engine.tensor"))
    assert found == [("numkeras.layers", 1, True), ("numkeras.models", 4, False)]
    assert level_of("numkeras.layers.core.dense")[0] > level_of(module_name(fake))[0]
