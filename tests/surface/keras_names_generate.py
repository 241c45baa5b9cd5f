"""Writes keras_names.json: the public names of Keras's namespaces, read from an installed keras.

Keras generates one `__init__.py` per public namespace (its `keras/api/` tree, installed as
`keras/<namespace>/__init__.py`); each binds its names with `from ... import X as Y`. This script
reads those files with `ast` (keras is never imported) and records, per namespace, each public
name and the Keras module it comes from (grouping the names numkeras declares absent).

Usage:
    python tests/surface/keras_names_generate.py /path/to/site-packages/keras > tests/surface/keras_names.json
"""
import ast
import json
import pathlib
import sys

# The namespaces numkeras mirrors (or may), as dotted paths under `keras`; "" is `keras` itself.
NAMESPACES = ("", "activations", "applications", "backend", "callbacks", "config", "constraints", "datasets",
              "distribution", "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers",
              "optimizers.schedules", "preprocessing", "random", "regularizers", "saving", "utils",
              *(f"datasets.{name}" for name in ("boston_housing", "california_housing", "cifar10", "cifar100",
                                                "fashion_mnist", "imdb", "mnist", "reuters")))


def public_names(init_file):
    """Maps each public name bound in `init_file` to the module it is imported from."""
    names = {}
    for node in ast.parse(init_file.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                name = alias.asname or alias.name
                module = node.module if node.module.startswith("keras.src") else f"{node.module}.{alias.name}"
                names[name] = module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = "keras"
    return {name: module for name, module in sorted(names.items()) if not name.startswith("_")}


def main(keras_dir):
    keras_dir = pathlib.Path(keras_dir)
    version = next((node.value.value for node in ast.parse((keras_dir / "src" / "version.py").read_text()).body
                    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__version__"), None)
    namespaces = {ns: public_names(keras_dir.joinpath(*ns.split("."), "__init__.py") if ns
                                   else keras_dir / "__init__.py") for ns in NAMESPACES}
    json.dump({"keras_version": version, "namespaces": namespaces}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
