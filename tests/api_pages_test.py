"""The API reference (docs/api/) is what tools/api_pages.py writes from the namespaces' `__all__`: every
public name appears on a page, the committed pages are not stale, and mkdocs.yml's nav lists them all."""
import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("api_pages", ROOT / "tools" / "api_pages.py")
api_pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_pages)

PAGES = api_pages.build_pages()


def test_the_committed_pages_are_what_the_script_writes():
    committed = {str(p.relative_to(api_pages.API_DIR)): p.read_text() for p in api_pages.API_DIR.rglob("*.md")}
    assert sorted(committed) == sorted(PAGES), "run: python tools/api_pages.py"
    stale = [path for path in PAGES if committed[path] != PAGES[path]]
    assert not stale, f"docs/api/ is stale for {stale}; run: python tools/api_pages.py"


def test_every_public_name_appears_on_a_page():
    text = "\n".join(PAGES.values())
    names = list(api_pages.public_names())
    assert len(names) > 900 and ("layers", "Dense") in {(ns, n) for ns, n, _ in names}
    missing = [f"numkeras.{ns}.{name}" if ns else f"numkeras.{name}" for ns, name, _ in names
               if (f"numkeras.{ns}.{name}" if ns else f"numkeras.{name}") not in text]
    assert not missing, missing


@pytest.mark.parametrize("public, page", [("numkeras.layers.Dense", "layers/core.md"),
                                          ("numkeras.layers.LSTM", "layers/recurrent.md"),
                                          ("numkeras.ops.matmul", "ops/numpy.md"),
                                          ("numkeras.ops.softmax", "ops/nn.md"),
                                          ("numkeras.optimizers.schedules.ExponentialDecay", "optimizers.md"),
                                          ("numkeras.datasets.mnist.load_data", "datasets.md"),
                                          ("numkeras.GradientTape", "top-level.md")])
def test_names_are_grouped_as_keras_groups_them(public, page):
    assert re.search(rf'heading: "{re.escape(public)}"|`{re.escape(public)}`', PAGES[page]), page


def test_an_alias_links_to_the_one_place_its_object_is_rendered():
    conv = PAGES["layers/convolutional.md"]
    assert conv.count("::: numkeras.layers.convolutional.conv.Conv2D\n") == 1
    assert "`numkeras.layers.Convolution2D`: the same object as [`numkeras.layers.Conv2D`]" in conv
    rendered = re.findall(r"^::: (\S+)$", "\n".join(PAGES.values()), flags=re.M)
    assert len(rendered) == len(set(rendered)), "an object is rendered twice"


def test_mkdocs_nav_lists_every_api_page():
    mkdocs = (ROOT / "mkdocs.yml").read_text()
    assert "\n".join(api_pages.nav_lines()) in mkdocs, "run: python tools/api_pages.py --nav, and paste it in mkdocs.yml"
    for path in PAGES:
        assert f"api/{path}" in mkdocs, path
