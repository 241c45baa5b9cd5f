"""Headless Chromium (Debian's package) renders the built getting-started page in both languages.

The site is served from 127.0.0.1 by a small HTTP server in this test, which adds one script to the
HTML it serves: once the page has loaded, the script records the article's headings, its code
blocks and each image's load state (`complete`, `naturalWidth`) in an attribute that
`chromium --dump-dom` prints with the DOM. The test compares them with the Markdown page, checks that
no image is broken and that every request the page made was answered, and keeps a screenshot of
each whole page in site/screenshots/. Without chromium the test is skipped (`make test` installs it),
except in CI (CI=true), where it fails.
"""
import functools
import html.parser
import http.server
import json
import re
import shutil
import subprocess
import threading

import pytest

from tests.docs import conftest, markdown_pages

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars"]

PROBE = b"""<script>
window.addEventListener('load', function () {
  var article = document.querySelector('article');
  var result = {
    headings: Array.from(article.querySelectorAll('h1, h2, h3, h4')).map(function (h) {
      return [Number(h.tagName[1]), h.textContent.replace(/\\u00b6/g, '').trim()];
    }),
    code_blocks: article.querySelectorAll('pre > code').length,
    images: Array.from(article.querySelectorAll('img')).map(function (img) {
      return {src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth};
    }),
    lang: document.documentElement.lang,
    height: document.documentElement.scrollHeight
  };
  var out = document.createElement('div');
  out.id = 'docs-test-result';
  out.setAttribute('data-result', JSON.stringify(result));
  document.body.appendChild(out);
});
</script>"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves site/, adds the probe to HTML pages, and remembers each request's status."""

    statuses = None

    def send_head(self):
        if self.path.split("?")[0].endswith("/") or self.path.split("?")[0].endswith(".html"):
            path = self.translate_path(self.path)
            page = (path if path.endswith(".html") else path.rstrip("/") + "/index.html")
            try:
                with open(page, "rb") as f:
                    body = f.read().replace(b"</body>", PROBE + b"</body>")
            except OSError:
                return super().send_head()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self._probe_body = body
            return None
        return super().send_head()

    def do_GET(self):
        self._probe_body = None
        f = self.send_head()
        if self._probe_body is not None:
            self.wfile.write(self._probe_body)
        elif f:
            try:
                self.copyfile(f, self.wfile)
            finally:
                f.close()

    def log_request(self, code="-", size="-"):
        self.statuses.append((self.path, int(code) if str(code).isdigit() else code))

    def log_message(self, *args):
        pass


class _Result(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.result = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "docs-test-result":
            self.result = json.loads(attrs["data-result"])


@pytest.fixture(scope="module")
def server(built_site):
    statuses = []
    handler = functools.partial(type("Handler", (_Handler,), {"statuses": statuses}), directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", statuses
    httpd.shutdown()
    httpd.server_close()


def _chromium():
    path = shutil.which("chromium")
    if path is None:
        conftest.needs("Debian's chromium", "apt-get install chromium (make test installs it)")
    return path


def test_a_korean_font_is_installed_for_the_screenshots():
    _chromium()
    fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, timeout=60).stdout
    if not fonts.strip():
        conftest.needs("a Korean font", "apt-get install fonts-nanum (make test installs it); without one the Korean "
                       "screenshot shows empty boxes")
    assert fonts.strip()


def _run(chromium, args, tmp_path):
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    return subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def _heading_text(text):
    return re.sub(r"\s*\{#[\w-]+\}\s*$", "", text).replace("`", "").strip()


@pytest.mark.parametrize("language,url_path,markdown", [
    ("en", "/getting-started/", "getting-started.md"),
    ("ko", "/ko/getting-started/", "getting-started.ko.md"),
])
def test_chromium_renders_the_getting_started_page(language, url_path, markdown, server, built_site, tmp_path):
    chromium = _chromium()
    base, statuses = server
    del statuses[:]
    run = _run(chromium, ["--virtual-time-budget=10000", "--dump-dom", base + url_path], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    parser = _Result()
    parser.feed(run.stdout)
    assert parser.result is not None, f"the page never finished loading; chromium said:\n{run.stderr[-3000:]}"
    found = parser.result
    page = markdown_pages.read_page(markdown_pages.DOCS / markdown)

    assert found["lang"] == language
    assert [(level, text) for level, text in found["headings"]] == \
        [(level, _heading_text(text)) for level, text in page.headings]
    assert found["code_blocks"] == len(page.blocks)
    assert len(found["images"]) == len(page.images) >= 2
    broken = [image for image in found["images"] if not image["complete"] or image["width"] == 0]
    assert not broken, f"broken images: {broken}"
    # Material's language switcher looks for a sitemap.xml beside each alternate page (the twin), finds
    # none there (there is one at the site's root) and keeps the links as they are: not a failure.
    failed = [(path, status) for path, status in statuses
              if not (isinstance(status, int) and status < 400) and not path.endswith("/sitemap.xml")]
    assert not failed, f"requests the server could not answer: {failed}"
    assert any(path.endswith(".png") for path, _ in statuses)

    shots = built_site / "screenshots"
    shots.mkdir(exist_ok=True)
    shot = shots / f"getting-started.{language}.png"
    height = min(max(int(found["height"]), 800), 20000)  # the whole page, in one picture
    run = _run(chromium, ["--virtual-time-budget=10000", f"--window-size=1280,{height}", f"--screenshot={shot}",
                          base + url_path], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
