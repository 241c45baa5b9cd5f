"""The Korean site (/ko/) shows every page once: the same pages as the English site, each listed once
in its navigation, each API page rendering each object once, and no search entry repeating its
English twin.

The Korean site repeats the English pages that have no `.ko.md` twin (the API reference among them),
so a setting of mkdocs-static-i18n, mkdocstrings or the nav that renders or lists a page twice shows
up here.
"""
import collections
import json
import posixpath
import re

_NAV_LINK = re.compile(r'<a\b[^>]*\bhref="(?P<href>[^"#]+)"[^>]*\bclass="md-nav__link\b')
_DOC_HEADING = re.compile(r'<h[1-6]\b[^>]*\bid="(?P<id>[^"]+)"[^>]*\bclass="doc doc-heading')


def _pages(site, korean):
    root = site / "ko" if korean else site
    found = {p.relative_to(root).as_posix() for p in root.rglob("index.html")}
    return found if korean else {p for p in found if not p.startswith("ko/")}


def _primary_nav(html, page):
    """The pages the primary navigation of `page` (a path relative to the site) links to, in order.

    Links to an anchor only (the current page's own table of contents, nested in the navigation)
    are not pages and are left out."""
    nav = html[html.index("md-nav--primary"):html.index("md-sidebar--secondary")]
    here = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(here, m.group("href"))) for m in _NAV_LINK.finditer(nav)]


def _repeated(items):
    return sorted(item for item, count in collections.Counter(items).items() if count > 1)


def test_the_korean_site_has_the_english_pages(built_site):
    english, korean = _pages(built_site, korean=False), _pages(built_site, korean=True)
    assert any(p.startswith("api/") for p in korean)
    assert english == korean, f"only English: {sorted(english - korean)}, only Korean: {sorted(korean - english)}"


def test_each_korean_page_lists_each_page_once_in_its_navigation(built_site):
    for page in sorted(_pages(built_site, korean=True)):
        html = (built_site / "ko" / page).read_text(encoding="utf-8")
        links = _primary_nav(html, "ko/" + page)
        assert links, f"ko/{page}: no navigation found"
        assert not _repeated(links), f"ko/{page}: the navigation links these pages twice: {_repeated(links)}"
        assert all(link == "ko" or link.startswith("ko/") for link in links), (
            f"ko/{page}: the navigation leaves the Korean site: {[l for l in links if not l.startswith('ko')]}")


def test_each_korean_api_page_renders_each_object_once(built_site):
    api_pages = sorted(p for p in _pages(built_site, korean=True) if p.startswith("api/"))
    for page in api_pages:
        korean = _DOC_HEADING.findall((built_site / "ko" / page).read_text(encoding="utf-8"))
        english = _DOC_HEADING.findall((built_site / page).read_text(encoding="utf-8"))
        assert not _repeated(korean), f"ko/{page} renders these twice: {_repeated(korean)[:5]}"
        assert korean == english, f"ko/{page} renders {len(korean)} objects, {page} {len(english)}"


def test_no_korean_search_entry_repeats_its_english_twin(built_site):
    entries = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    english = {(e["location"], e["text"]) for e in entries if not e["location"].startswith("ko/")}
    repeats = [e["location"] for e in entries
               if e["location"].startswith("ko/") and e["text"] and (e["location"][3:], e["text"]) in english]
    assert not repeats, f"{len(repeats)} Korean search entries repeat their English twin, e.g. {repeats[:5]}"


def test_the_checks_catch_a_page_listed_twice():
    html = ('<nav class="md-nav md-nav--primary"><a href="../" class="md-nav__link">홈</a>'
            '<a href="../x/" class="md-nav__link md-nav__link--active">x</a>'
            '<a href="./" class="md-nav__link">x</a></nav><div class="md-sidebar--secondary">')
    assert _repeated(_primary_nav(html, "ko/api/x/index.html")) == ["ko/api/x"]
