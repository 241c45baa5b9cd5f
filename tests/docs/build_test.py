"""`mkdocs build --strict` builds the site: a broken link, anchor or reference, or a page missing from
the nav's files, fails it. Both languages are built."""


def test_the_site_builds_strictly_in_both_languages(built_site):
    for page in ("index.html", "getting-started/index.html", "ko/index.html", "ko/getting-started/index.html"):
        assert (built_site / page).is_file(), page
    english = (built_site / "getting-started/index.html").read_text(encoding="utf-8")
    korean = (built_site / "ko/getting-started/index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in english and 'lang="ko"' in korean
    assert "에포크" in korean and "epoch" in english
    # The language switcher links each page to its twin.
    assert 'hreflang="ko"' in english and 'hreflang="en"' in korean
    # The site loads nothing from another host (no web fonts): it must work offline.
    assert "fonts.googleapis.com" not in english
