"""Fetch-and-cache helper: `get_file` downloads a file once, checks it, keeps it.

The cache root is `$NUMKERAS_HOME` when set, else `~/.numkeras`. Downloads are
written to a temporary file beside the target and moved into place only once
they are complete and match their checksum, so an interrupted or corrupted
download never leaves a partial file in the cache.
"""

import errno
import hashlib
import http.client
import os
import shutil
import socket
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

# Seconds to wait on a silent connection before giving up (module-level so
# tests can shorten it).
DOWNLOAD_TIMEOUT = 60
_CHUNK = 1 << 20


class DownloadError(OSError):
    """A file could not be fetched from its origin (network, HTTP, short read).

    Attributes:
        unreachable: Why no server could be reached (a host name that did
            not resolve, a refused connection, no route, no answer in time),
            or None when the failure came after the server was reached (an
            HTTP error, a connection closed early).
    """

    def __init__(self, message, unreachable=None):
        super().__init__(message)
        self.unreachable = unreachable


def numkeras_home():
    """Returns the cache root: `$NUMKERAS_HOME` if set, else `~/.numkeras`.

    Example:

    >>> import os
    >>> numkeras_home() == os.environ.get("NUMKERAS_HOME", os.path.expanduser("~/.numkeras"))
    True
    """
    return os.path.expanduser(os.environ.get("NUMKERAS_HOME") or "~/.numkeras")


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """Returns the hex digest of the file at `fpath` ('sha256' or 'md5').

    Example:

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     _ = f.write(b"abc"); f.flush()
    ...     hash_file(f.name, "md5")
    '900150983cd24fb0d6963f7d28e17f72'
    """
    hasher = _hasher(algorithm)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Returns True if the file at `fpath` has the hex digest `file_hash`.

    `algorithm='auto'` picks sha256 for a 64-character hash, else md5.
    """
    algorithm = _resolve_algorithm(algorithm, file_hash)
    return hash_file(fpath, algorithm, chunk_size) == str(file_hash).lower()


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Downloads a file from a URL if it is not already in the cache.

    The file at `origin` is saved as `<cache_dir>/<cache_subdir>/<fname>`,
    by default `~/.numkeras/datasets/<fname>`. A cached file is reused; if a
    `file_hash` is given and the cached file does not match it, it is
    downloaded again. A fresh download is checked against `file_hash` before
    it is moved into the cache.

    Args:
        fname: Local file name. Defaults to the last part of `origin`'s path.
            With `extract=True`, the archive is extracted to a folder named
            after it.
        origin: URL of the file (`http://`, `https://` or `file://`).
        untar: Deprecated; same as `extract=True` with `archive_format="tar"`.
        md5_hash: Deprecated; an md5 `file_hash`.
        file_hash: Expected sha256 or md5 hex digest of the file. Defaults to
            None (no check).
        cache_subdir: Folder under the cache root, or an absolute path.
            Defaults to `"datasets"`.
        hash_algorithm: `"sha256"`, `"md5"` or `"auto"` (sha256 for a
            64-character hash, else md5). Defaults to `"auto"`.
        extract: If True, extract the (tar or zip) archive and return the
            folder. Defaults to False.
        archive_format: `"auto"`, `"tar"` or `"zip"`. Defaults to `"auto"`.
        cache_dir: Cache root. Defaults to `$NUMKERAS_HOME` or `~/.numkeras`.
        force_download: If True, download even when cached. Defaults to False.

    Returns:
        Path to the downloaded file, or to the extracted folder.

    Raises:
        DownloadError: The file could not be fetched.
        ValueError: Bad arguments, or the download does not match `file_hash`.

    Example:

    >>> import pathlib, tempfile
    >>> src = pathlib.Path(tempfile.mkdtemp(), "hello.txt")
    >>> _ = src.write_text("hello")
    >>> path = get_file(origin=src.as_uri(), cache_dir=tempfile.mkdtemp(),
    ...                 file_hash=hash_file(src))  # doctest: +ELLIPSIS
    Downloading data from file://...
    >>> pathlib.Path(path).read_text()
    'hello'
    """
    if origin is None:
        raise ValueError(
            "get_file: `origin` is required: pass the URL of the file to "
            "download. Received: origin=None"
        )
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    if untar:
        extract, archive_format = True, "tar"
    if file_hash is not None:
        _resolve_algorithm(hash_algorithm, file_hash)  # fail early on a typo

    fname = os.fspath(fname) if fname else _name_from_url(origin)
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            "get_file: `fname` must be a file name, not a path; use "
            f"`cache_subdir` or `cache_dir` to choose the folder. Received: fname={fname!r}"
        )

    datadir = os.path.join(_writable_root(cache_dir), cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    target = os.path.join(datadir, fname)
    extract_dir = None
    if extract:
        stem = fname.split(".", 1)[0]
        extract_dir = os.path.join(datadir, f"{stem}_extracted" if "." in fname else stem)
        if "." not in fname:
            target = os.path.join(datadir, f"{fname}_archive")

    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None:
        if not validate_file(target, file_hash, hash_algorithm):
            print(
                f"A local file was found at {target}, but its hash does not "
                f"match {file_hash}: it is incomplete or outdated, so it will "
                "be downloaded again."
            )
            download = True
    if download:
        print(f"Downloading data from {origin}")
        _download(origin, target, file_hash, hash_algorithm)

    if not extract:
        return target
    if download or not os.path.isdir(extract_dir):
        _extract(target, extract_dir, archive_format)
    return extract_dir


def _download(origin, target, file_hash, hash_algorithm):
    """Streams `origin` into a temp file beside `target`, checks it, moves it."""
    fd, tmp = tempfile.mkstemp(
        dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".part"
    )
    try:
        with os.fdopen(fd, "wb") as out:
            _copy_url(origin, out)
        if file_hash is not None and not validate_file(tmp, file_hash, hash_algorithm):
            algorithm = _resolve_algorithm(hash_algorithm, file_hash)
            raise ValueError(
                f"Incomplete or corrupted download from {origin}: its {algorithm} "
                f"is {hash_file(tmp, algorithm)}, expected {file_hash}. Nothing "
                "was written to the cache; retry, or check that the origin and "
                "hash are right."
            )
        os.replace(tmp, target)
    except BaseException:
        # Covers network errors, bad hashes and Ctrl-C alike.
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _copy_url(origin, out):
    try:
        with urllib.request.urlopen(origin, timeout=DOWNLOAD_TIMEOUT) as response:
            expected = response.headers.get("Content-Length")
            received = 0
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
                received += len(chunk)
    except urllib.error.HTTPError as e:
        e.close()  # its response holds the connection open for as long as the error (chained below) lives
        raise DownloadError(f"URL fetch failure on {origin}: HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:  # raised while connecting
        unreachable = _unreachable(origin, e.reason)
        raise DownloadError(f"URL fetch failure on {origin}: {unreachable or e.reason}", unreachable) from e
    except (OSError, ValueError, http.client.HTTPException) as e:  # timeouts, resets, bad chunks
        unreachable = _unreachable(origin, e)
        raise DownloadError(f"URL fetch failure on {origin}: {unreachable or e}", unreachable) from e
    # http.client returns a short body silently when the server hangs up early.
    if expected is not None and received != int(expected):
        raise DownloadError(
            f"URL fetch failure on {origin}: the connection closed after "
            f"{received} of {expected} bytes."
        )


def _unreachable(origin, error):
    """Says why no server answered at `origin` when `error` means that, else returns None."""
    netloc = urllib.parse.urlsplit(origin).netloc
    if isinstance(error, socket.gaierror):
        host = urllib.parse.urlsplit(origin).hostname
        return f"the host name {host} could not be resolved ({error.strerror})"
    if isinstance(error, ConnectionRefusedError):
        return f"the connection to {netloc} was refused"
    if isinstance(error, TimeoutError):
        return f"nothing answered from {netloc} within {DOWNLOAD_TIMEOUT} s"
    if isinstance(error, OSError) and error.errno in _NO_ROUTE:
        return f"there is no route to {netloc} ({error.strerror})"
    return None


_NO_ROUTE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}


def _extract(archive, extract_dir, archive_format):
    """Extracts `archive` into a temp folder, then moves it to `extract_dir`."""
    formats = ["tar", "zip"] if archive_format == "auto" else [archive_format]
    parent = os.path.dirname(extract_dir)
    for fmt in formats:
        if fmt == "tar" and tarfile.is_tarfile(archive):
            opener = tarfile.open
        elif fmt == "zip" and zipfile.is_zipfile(archive):
            opener = zipfile.ZipFile
        else:
            continue
        tmp = tempfile.mkdtemp(dir=parent, prefix=".extract-")
        try:
            with opener(archive) as f:
                if opener is tarfile.open and hasattr(tarfile, "data_filter"):
                    f.extractall(tmp, filter="data")  # refuses paths outside tmp
                else:
                    _check_members(f, archive)
                    f.extractall(tmp)
            if os.path.isdir(extract_dir):
                shutil.rmtree(extract_dir)
            os.replace(tmp, extract_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    raise ValueError(
        f"get_file: could not extract {archive}: it is not a {' or '.join(formats)} "
        f"archive. Received: archive_format={archive_format!r}"
    )


def _check_members(archive, path):
    names = archive.getnames() if isinstance(archive, tarfile.TarFile) else archive.namelist()
    for name in names:
        if os.path.isabs(name) or ".." in name.replace("\\", "/").split("/"):
            raise ValueError(f"Refusing to extract {path}: member {name!r} points outside the folder.")


def _name_from_url(origin):
    name = os.path.basename(urllib.parse.urlsplit(origin).path)
    if name in ("", os.curdir, os.pardir):
        raise ValueError(
            f"get_file: cannot take a file name from origin={origin!r}; pass `fname`."
        )
    return name


def _writable_root(cache_dir):
    root = os.path.expanduser(cache_dir) if cache_dir is not None else numkeras_home()
    try:
        os.makedirs(root, exist_ok=True)
    except OSError:
        pass  # read-only parent: fall back below
    if os.access(root, os.W_OK):
        return root
    # Like Keras: fall back to a temp folder when the home is read-only.
    return os.path.join(tempfile.gettempdir(), ".numkeras")


def _resolve_algorithm(algorithm, file_hash):
    if algorithm == "auto":
        return "sha256" if len(str(file_hash)) == 64 else "md5"
    if algorithm in ("sha256", "md5"):
        return algorithm
    raise ValueError(
        "get_file: `hash_algorithm` must be 'sha256', 'md5' or 'auto'. "
        f"Received: hash_algorithm={algorithm!r}"
    )


def _hasher(algorithm):
    if algorithm == "md5":
        return hashlib.md5(usedforsecurity=False)
    if algorithm == "sha256":
        return hashlib.sha256()
    raise ValueError(f"Unknown hash algorithm {algorithm!r}; use 'sha256' or 'md5'.")
