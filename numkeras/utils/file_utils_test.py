import contextlib
import hashlib
import http.server
import io
import os
import pathlib
import socket
import tarfile
import threading
import time
import zipfile

import pytest

from numkeras.utils import file_utils
from numkeras.utils.file_utils import DownloadError, get_file, hash_file, validate_file

PAYLOAD = b"numkeras test payload\n" * 1000
SHA256 = hashlib.sha256(PAYLOAD).hexdigest()
MD5 = hashlib.md5(PAYLOAD).hexdigest()


@contextlib.contextmanager
def serve(files, truncate=()):
    """Serves `files` ({name: bytes}) on 127.0.0.1; yields (base_url, hits).

    Names in `truncate` announce their full Content-Length but send half the
    body, then hang up, like a dropped connection. `hits` counts requests per
    name. Shared with the dataset tests.
    """
    hits = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.lstrip("/")
            hits[name] = hits.get(name, 0) + 1
            if name not in files:
                self.send_error(404)
                return
            body = files[name]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if name in truncate else body)
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens: a download there fails fast."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@contextlib.contextmanager
def silent_url():
    """A URL on 127.0.0.1 whose server accepts connections (the kernel does) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield f"http://127.0.0.1:{s.getsockname()[1]}/"


UNRESOLVABLE_URL = "http://numkeras-test.invalid/"


@pytest.fixture
def no_dns(monkeypatch):
    """Makes numkeras-test.invalid fail to resolve without asking any DNS server; yields the names looked up."""
    real, asked = socket.getaddrinfo, []

    def getaddrinfo(host, *args, **kwargs):
        asked.append(host)
        if host == "numkeras-test.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(file_utils, "DOWNLOAD_TIMEOUT", 10)


def cache_listing(tmp_path):
    folder = tmp_path / "home" / "datasets"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_numkeras_home(monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", "/some/where")
    assert file_utils.numkeras_home() == "/some/where"
    monkeypatch.delenv("NUMKERAS_HOME")
    assert file_utils.numkeras_home() == os.path.expanduser("~/.numkeras")


def test_download_verifies_hash_and_lands_in_cache(tmp_path):
    with serve({"data.bin": PAYLOAD}) as (url, hits):
        path = get_file("data.bin", url + "data.bin", file_hash=SHA256)
        assert path == str(tmp_path / "home" / "datasets" / "data.bin")
        assert pathlib.Path(path).read_bytes() == PAYLOAD
        # Second call: a cache hit, no request.
        assert get_file("data.bin", url + "data.bin", file_hash=SHA256) == path
        assert hits == {"data.bin": 1}
    assert cache_listing(tmp_path) == ["data.bin"]


def test_fname_defaults_to_url_name_and_md5_is_detected(tmp_path):
    with serve({"data.bin": PAYLOAD}) as (url, _):
        path = get_file(origin=url + "data.bin", file_hash=MD5, cache_subdir="sub")
    assert path == str(tmp_path / "home" / "sub" / "data.bin")


def test_cache_hit_without_network(tmp_path):
    cached = tmp_path / "home" / "datasets" / "data.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(PAYLOAD)
    assert get_file("data.bin", closed_port_url() + "data.bin", file_hash=SHA256) == str(cached)


def test_hash_mismatch_raises_and_leaves_nothing(tmp_path):
    with serve({"data.bin": PAYLOAD}) as (url, _):
        with pytest.raises(ValueError, match="expected 0+"):
            get_file("data.bin", url + "data.bin", file_hash="0" * 64)
    assert cache_listing(tmp_path) == []


def test_corrupted_cached_file_is_downloaded_again(tmp_path, capsys):
    cached = tmp_path / "home" / "datasets" / "data.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(PAYLOAD[:100])
    with serve({"data.bin": PAYLOAD}) as (url, hits):
        get_file("data.bin", url + "data.bin", file_hash=SHA256)
    assert hits == {"data.bin": 1}
    assert cached.read_bytes() == PAYLOAD
    assert "will be downloaded again" in capsys.readouterr().out


def test_interrupted_download_leaves_no_partial_file(tmp_path):
    with serve({"data.bin": PAYLOAD}, truncate={"data.bin"}) as (url, _):
        with pytest.raises(DownloadError, match=f"after {len(PAYLOAD) // 2} of {len(PAYLOAD)} bytes"):
            get_file("data.bin", url + "data.bin")  # no hash: the length check alone catches it
    assert cache_listing(tmp_path) == []


def test_interrupted_download_keeps_the_old_cached_file(tmp_path):
    cached = tmp_path / "home" / "datasets" / "data.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"old")
    with serve({"data.bin": PAYLOAD}, truncate={"data.bin"}) as (url, _):
        with pytest.raises(DownloadError):
            get_file("data.bin", url + "data.bin", force_download=True)
    assert cache_listing(tmp_path) == ["data.bin"]
    assert cached.read_bytes() == b"old"


def test_http_error_and_offline_are_download_errors(tmp_path):
    with serve({}) as (url, _):
        with pytest.raises(DownloadError, match="HTTP 404"):
            get_file("missing.bin", url + "missing.bin")
    with pytest.raises(DownloadError, match="URL fetch failure on http://127.0.0.1"):
        get_file("data.bin", closed_port_url() + "data.bin")
    assert cache_listing(tmp_path) == []


def test_an_unreachable_origin_says_why(tmp_path, monkeypatch, no_dns):
    monkeypatch.setattr(file_utils, "DOWNLOAD_TIMEOUT", 0.5)
    refused = closed_port_url()
    port = refused.rsplit(":", 1)[1].rstrip("/")
    with pytest.raises(DownloadError, match=f"the connection to 127.0.0.1:{port} was refused") as info:
        get_file("data.bin", refused + "data.bin")
    assert info.value.unreachable == f"the connection to 127.0.0.1:{port} was refused"
    with pytest.raises(DownloadError, match="the host name numkeras-test.invalid could not be resolved "
                                            r"\(Name or service not known\)") as info:
        get_file("data.bin", UNRESOLVABLE_URL + "data.bin")
    assert info.value.unreachable and "numkeras-test.invalid" in no_dns  # the fake answered: no DNS traffic
    with silent_url() as url:
        start = time.monotonic()
        with pytest.raises(DownloadError, match="nothing answered from 127.0.0.1:[0-9]+ within 0.5 s") as info:
            get_file("data.bin", url + "data.bin")
        assert time.monotonic() - start < 5
    assert info.value.unreachable
    with serve({}) as (url, _):  # reached: not an unreachable network
        with pytest.raises(DownloadError, match="HTTP 404") as info:
            get_file("missing.bin", url + "missing.bin")
    assert info.value.unreachable is None
    assert cache_listing(tmp_path) == []


def test_bad_arguments():
    with pytest.raises(ValueError, match="origin"):
        get_file("x")
    with pytest.raises(ValueError, match="not a path"):
        get_file("a/b.bin", "http://127.0.0.1/b.bin")
    with pytest.raises(ValueError, match="fname"):
        get_file(origin="http://127.0.0.1/")
    with pytest.raises(ValueError, match="hash_algorithm"):
        get_file("b.bin", "http://127.0.0.1/b.bin", file_hash=SHA256, hash_algorithm="sha1")


def test_hash_helpers(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(PAYLOAD)
    assert hash_file(path) == SHA256 and hash_file(path, "md5") == MD5
    assert validate_file(path, SHA256) and validate_file(path, MD5.upper())
    assert not validate_file(path, SHA256, algorithm="md5")


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_extract(tmp_path, kind):
    buf = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("inner/a.txt", "hi")
    else:
        with tarfile.open(fileobj=buf, mode="w:gz") as t:
            info = tarfile.TarInfo("inner/a.txt")
            info.size = 2
            t.addfile(info, io.BytesIO(b"hi"))
    with serve({f"arch.{kind}": buf.getvalue()}) as (url, hits):
        folder = get_file(f"arch.{kind}", url + f"arch.{kind}", extract=True)
        assert get_file(f"arch.{kind}", url + f"arch.{kind}", extract=True) == folder
    assert hits == {f"arch.{kind}": 1}
    assert folder == str(tmp_path / "home" / "datasets" / "arch_extracted")
    assert pathlib.Path(folder, "inner", "a.txt").read_text() == "hi"
    assert cache_listing(tmp_path) == [f"arch.{kind}", "arch_extracted"]
