"""The built site, shared by the docs tests: `mkdocs build --strict` into site/, once per session.

site/ is where `make docs` builds too (git-ignored); the browser test leaves its screenshots in
site/screenshots/ for CI to keep. Without mkdocs (the `docs` extra) the tests that need the site
are skipped, except in CI (CI=true), where they fail.
"""
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "site"


def needs(what, why):
    """Skips the test for want of `what`, or fails it in CI, where everything must be there."""
    message = f"needs {what}: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def built_site():
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        needs("mkdocs", "pip install -e '.[docs]' (make test installs it)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(SITE)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-5000:]}"
    return SITE
