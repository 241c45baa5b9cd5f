"""Writes the API reference pages (docs/api/**.md) from the namespaces' `__all__`.

Every public name numkeras shows (`numkeras.__all__`, then each namespace's `__all__`, recursively)
lands on one page, grouped as Keras groups its reference: models, layers by family, callbacks, ops
by family, optimizers, losses, metrics, ... An object is rendered once, by mkdocstrings, at its first
public name in the order of PAGES; its other public names (aliases such as `Convolution2D`, or a
function reachable from `ops` and `ops.nn`) are listed under "Also reachable as" with a link to it.
So a name added to an `__all__` cannot be missed: rerun this script (tests/api_pages_test.py fails
while the committed pages differ from what it writes).

    python tools/api_pages.py            # rewrite docs/api/
    python tools/api_pages.py --check    # exit 1 if docs/api/ is stale
"""
import argparse
import ast
import importlib
import inspect
import pathlib
import re
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parents[1]
API_DIR = ROOT / "docs" / "api"

# Classes whose methods are part of what a user calls (fit, compile, ...): rendered with their members.
WITH_MEMBERS = {"Model", "Sequential", "Layer", "Callback", "Optimizer", "Loss", "Metric", "GradientTape",
                "Tensor", "Variable", "PyDataset", "Progbar", "SeedGenerator", "LearningRateSchedule"}

_LAYER_FAMILIES = [  # (folder in numkeras/layers, page, title); Keras's families, in keras.io's order
    ("layer", "base", "The base Layer class"),
    ("serialization", "base", "The base Layer class"),
    ("core", "core", "Core layers"),
    ("convolutional", "convolutional", "Convolution layers"),
    ("pooling", "pooling", "Pooling layers"),
    ("rnn", "recurrent", "Recurrent layers"),
    ("preprocessing", "preprocessing", "Preprocessing layers"),
    ("normalization", "normalization", "Normalization layers"),
    ("regularization", "regularization", "Regularization layers"),
    ("attention", "attention", "Attention layers"),
    ("reshaping", "reshaping", "Reshaping layers"),
    ("merging", "merging", "Merging layers"),
    ("activations", "activation-layers", "Activation layers"),
]
_OPS_FAMILIES = [  # (module under numkeras.ops, page, title)
    ("core", "core", "Core ops"),
    ("einops", "core", "Core ops"),
    ("math", "math", "Math ops"),
    ("nn", "nn", "NN ops"),
    ("numpy", "numpy", "NumPy ops"),
    ("linalg", "linalg", "Linear algebra ops"),
    ("image", "image", "Image ops"),
]

# Page order = where an object is documented first. (page, title, one-line intro).
PAGES = [
    ("models", "Models", "`Model`, `Sequential` and the functions that save, load and copy models."),
    *[(f"layers/{page}", title, "") for _, page, title in _LAYER_FAMILIES],
    ("callbacks", "Callbacks", "Objects `fit`, `evaluate` and `predict` call at the start and end of epochs and batches."),
    ("optimizers", "Optimizers", "The optimizers `compile` takes, and the learning-rate schedules."),
    ("losses", "Losses", "Loss classes and their function forms; `compile(loss=...)` takes either, or a string name."),
    ("metrics", "Metrics", "Metric classes and their function forms; `compile(metrics=[...])` takes either, or a string name."),
    *[(f"ops/{page}", title, "") for _, page, title in _OPS_FAMILIES],
    ("activations", "Activations", "Activation functions, by name in `Dense(..., activation=\"relu\")` or called directly."),
    ("initializers", "Initializers", "How a layer's weights start."),
    ("regularizers", "Regularizers", "Penalties on a layer's weights, added to the loss."),
    ("constraints", "Constraints", "Projections applied to a weight after each optimizer update."),
    ("datasets", "Datasets", "The data sets the book loads; each `load_data()` downloads once into the cache."),
    ("utils", "Utilities", "Data loading, one-hot labels, progress bars, plotting, serialization helpers."),
    ("preprocessing", "Preprocessing (Keras 2 names)", "`keras.preprocessing`: the data-loading helpers under their older names."),
    ("applications", "Applications", "The book's pretrained convnets (VGG16, ResNet50, ...) with their preprocess_input and decode_predictions."),
    ("distribution", "Distribution", "Data-parallel training over MPI through Keras 3's distribution API."),
    ("saving", "Saving", "Saving, loading and registering custom objects."),
    ("random", "Random", "Seeded random tensors."),
    ("backend-config", "Backend and config", "floatx, epsilon, seeds, dtype policies and numkeras's training guards."),
    ("top-level", "The numkeras namespace", "Names on `numkeras` itself, including numkeras's own: `Tensor`, `GradientTape`, `install_as_keras`."),
]
PAGES = list({page: (page, title, intro) for page, title, intro in PAGES}.values())  # families share pages


def public_names():
    """Yields (namespace, name, value) for every public name, namespaces depth first ("" is numkeras)."""
    seen_modules = set()

    def walk(ns):
        module = importlib.import_module("numkeras" + (f".{ns}" if ns else ""))
        seen_modules.add(module.__name__)
        children = []
        for name in module.__all__:
            value = getattr(module, name)
            full = f"{ns}.{name}" if ns else name
            if isinstance(value, types.ModuleType) and value.__name__.startswith("numkeras"):
                if hasattr(value, "__all__") and value.__name__ not in seen_modules:
                    children.append(full)
                elif not hasattr(value, "__all__"):
                    yield ns, name, value
                continue
            yield ns, name, value
        for child in children:
            yield from walk(child)

    yield from walk("")


def page_of(ns, name, value):
    """The page a public name is documented on."""
    top = ns.split(".")[0]
    if top == "layers":
        family = _layer_family(name)
        return next(f"layers/{page}" for folder, page, _ in _LAYER_FAMILIES if folder == family)
    if top == "ops":
        sub = ns.split(".")[1] if "." in ns else _ops_family(name)
        return next(f"ops/{page}" for module, page, _ in _OPS_FAMILIES if module == sub)
    if top == "optimizers":
        return "optimizers"
    if top in ("backend", "config", "dtype_policies", "engine"):
        return "top-level" if top == "engine" else "backend-config"
    if ns == "":
        return "models" if name in ("Model", "Sequential") else "top-level"
    return top


def _layer_family(name):
    layers = importlib.import_module("numkeras.layers")
    return layers._MODULE_OF[name].split(".")[2]


def _ops_family(name):
    for module, _, _ in _OPS_FAMILIES:
        if name in importlib.import_module(f"numkeras.ops.{module}").__all__:
            return module
    raise LookupError(f"numkeras.ops.{name} is in no ops family module")


def identifier(value):
    """The dotted path where the object is defined (what mkdocstrings reads statically), or None."""
    if isinstance(value, types.ModuleType) or not (inspect.isclass(value) or inspect.isfunction(value)):
        return None
    module_name, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", "")
    if not module_name or "<" in qualname:
        return None
    target = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    return f"{module_name}.{qualname}" if target is value else None


def defined_in_source(ident):
    """Whether the object's `def`/`class` statement is in its module's source (else mkdocstrings must import it)."""
    module_name, _, qualname = ident.rpartition(".")
    while module_name and module_name not in sys.modules:  # a method or nested class: walk up to its module
        module_name, _, outer = module_name.rpartition(".")
        qualname = f"{outer}.{qualname}"
    path = getattr(sys.modules[module_name], "__file__", None)
    if not path:
        return False
    body = ast.parse(pathlib.Path(path).read_text()).body
    for part in qualname.split("."):
        node = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == part), None)
        if node is None:
            return False
        body = node.body
    return True


def _anchor_link(page_from, page_to, ident):
    depth = page_from.count("/")
    href = "../" * depth + f"{page_to}.md"
    return f"{href}#{ident}" if page_to != page_from else f"#{ident}"


def _signature(value):
    """The signature as text, without the memory addresses of default objects (the same on every run)."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", str(inspect.signature(value)))


def build_pages():
    """Returns {relative path: markdown text} for docs/api/."""
    entries = {page: [] for page, _, _ in PAGES}  # page -> [(section, public name, value)]
    for ns, name, value in public_names():
        section = "numkeras" + (f".{ns}" if ns else "")
        entries[page_of(ns, name, value)].append((section, name, value))
    home = {}  # id(value) -> (page, identifier, public name)
    for page, _, _ in PAGES:
        for section, name, value in entries[page]:
            ident = identifier(value)
            if ident and id(value) not in home:
                home[id(value)] = (page, ident, f"{section}.{name}")
    pages = {}
    for page, title, intro in PAGES:
        lines = ["<!-- Generated by tools/api_pages.py from the namespaces' __all__: do not edit by hand. -->",
                 "", f"# {title}", ""]
        if intro:
            lines += [intro, ""]
        rendered, aliases, plain = set(), [], []
        by_section = {}
        for section, name, value in entries[page]:
            by_section.setdefault(section, []).append((name, value))
        for section, names in by_section.items():
            section_lines = []
            for name, value in sorted(names, key=lambda item: item[0].lower()):
                public = f"{section}.{name}"
                if id(value) in home and home[id(value)][2] == public:
                    ident = home[id(value)][1]
                    rendered.add(ident)
                    if not defined_in_source(ident):  # made by a loop or factory: mkdocstrings reads source only
                        level = "###" if len(by_section) > 1 else "##"
                        section_lines += [f"{level} `{public}` {{ #{ident} data-toc-label=\"{name}\" }}", "",
                                          f"`{name}{_signature(value)}`", "",
                                          inspect.getdoc(value) or "", ""]
                        continue
                    section_lines += [f"::: {ident}", "    options:", f"      heading: \"{public}\"",
                                      f"      toc_label: \"{name}\"",
                                      f"      show_if_no_docstring: true"]
                    if name not in WITH_MEMBERS:
                        section_lines.append("      members: false")
                    section_lines.append("")
                elif id(value) in home:
                    to_page, ident, first = home[id(value)]
                    aliases.append(f"- `{public}`: the same object as [`{first}`]({_anchor_link(page, to_page, ident)})")
                else:
                    plain.append(f"- `{public}`: {_describe(value)}")
            if section_lines and len(by_section) > 1:
                lines += [f"## `{section}`", ""]
                section_lines = [line.replace("      toc_label", "      heading_level: 3\n      toc_label")
                                 for line in section_lines]
            lines += section_lines
        if plain:
            lines += ["## Other names", "", *plain, ""]
        if aliases:
            lines += ["## Also reachable as", "", *aliases, ""]
        pages[f"{page}.md"] = "\n".join(lines).rstrip() + "\n"
    pages["index.md"] = _index(entries)
    return pages


def _describe(value):
    if isinstance(value, types.ModuleType):
        return f"the module `{value.__name__}`" if value.__name__.startswith("numkeras") else \
            f"the array module (`{value.__name__}`)"
    return f"a value of type `{type(value).__name__}`"


def _index(entries):
    lines = ["<!-- Generated by tools/api_pages.py from the namespaces' __all__: do not edit by hand. -->", "",
             "# API reference", "",
             "Every public class and function of numkeras, generated from its docstring, grouped as Keras groups",
             "its own reference. The names are Keras 3's: `numkeras.layers.Dense` is where a Keras user finds",
             "`keras.layers.Dense`.", ""]
    group = None
    for page, title, _ in PAGES:
        heading = {"layers": "Layers", "ops": "Ops", "models": "Models", "callbacks": "Training",
                   "optimizers": "Training", "losses": "Training", "metrics": "Training"}.get(
            page.split("/")[0], "Everything else")
        if heading != group:
            lines += ["", f"## {heading}", ""]
            group = heading
        count = len({id(v) for _, _, v in entries[page]})
        lines.append(f"- [{title}]({page}.md): {count} name{'s' if count != 1 else ''}")
    return "\n".join(lines).rstrip() + "\n"


def nav_lines(indent="      "):
    """The mkdocs.yml nav entries for the API pages (tests/api_pages_test.py checks mkdocs.yml holds them)."""
    lines, group = [f"{indent}- api/index.md"], None
    for page, title, _ in PAGES:
        head = page.split("/")[0] if "/" in page else None
        if head != group and head:
            lines.append(f"{indent}- {head.capitalize()}:")
        group = head
        lines.append(f"{indent}{'  ' if head else ''}- \"{title}\": api/{page}.md")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nav", action="store_true", help="print the mkdocs.yml nav entries for the pages")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api/ differs from what would be written")
    args = parser.parse_args(argv)
    if args.nav:
        print("\n".join(nav_lines()))
        return 0
    pages = build_pages()
    existing = {str(p.relative_to(API_DIR)): p.read_text() for p in API_DIR.rglob("*.md")} if API_DIR.exists() else {}
    if args.check:
        stale = sorted(set(pages) ^ set(existing) | {p for p in pages if existing.get(p) != pages[p]})
        if stale:
            print("docs/api/ is stale (run python tools/api_pages.py):", ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    for path in set(existing) - set(pages):
        (API_DIR / path).unlink()
    for path, text in pages.items():
        target = API_DIR / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    print(f"wrote {len(pages)} pages to {API_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
