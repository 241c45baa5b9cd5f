import hashlib

import pytest

from numkeras.datasets import locate
from numkeras.utils.file_utils_test import closed_port_url, serve

FILES = ("a.bin", "b.bin")
HASHES = {f: hashlib.sha256(f.encode()).hexdigest() for f in FILES}  # content == name


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def fill(folder, names=FILES, content=None):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(content or name)
    return folder


def find(locations, origin=None):
    return locate.find_files(
        [FILES], name="Test", cache_subdir="datasets", locations=[str(p) for p in locations],
        origin_base=origin or closed_port_url(), file_hashes=HASHES, hint="",
    )


def test_cache_comes_first(tmp_path, home):
    fill(home / "datasets")
    fill(tmp_path / "sys")
    assert find([tmp_path / "sys"]) == [str(home / "datasets" / f) for f in FILES]


def test_first_complete_location_wins(tmp_path, home):
    fill(home / "datasets", names=FILES[:1])  # incomplete cache
    fill(tmp_path / "sys1", names=FILES[1:])  # incomplete location
    fill(tmp_path / "sys2")
    fill(tmp_path / "sys3")
    assert find([tmp_path / "sys1", tmp_path / "sys2", tmp_path / "sys3"]) == [
        str(tmp_path / "sys2" / f) for f in FILES
    ]


def test_cached_files_with_bad_hash_are_skipped(tmp_path, home):
    fill(home / "datasets", content="stale")
    fill(tmp_path / "sys", content="system copies are not hash-checked")
    assert find([tmp_path / "sys"]) == [str(tmp_path / "sys" / f) for f in FILES]


def test_download_is_last(home):
    with serve({f: f.encode() for f in FILES}) as (url, hits):
        assert find([], origin=url) == [str(home / "datasets" / f) for f in FILES]
    assert hits == {f: 1 for f in FILES}
