"""Finds a dataset's files: in the cache, then in system folders, then online.

Used by every downloading loader (`mnist`, `imdb`, `cifar10`, ...). Each
dataset names one or more alternative file sets (say `mnist.npz`, or the four
IDX files); the first set is the one that is downloaded.
"""

import os

from numkeras.utils import file_utils


def find_files(filesets, *, name, cache_subdir, locations, origin_base, file_hashes, hint, origins=None):
    """Returns the paths of the first complete file set found.

    Looks, in order, in `<cache root>/<cache_subdir>` (files with a known hash
    must match it), in each of `locations`, and finally downloads `filesets[0]`
    from `origin_base` into the cache with `get_file` (checksum verified,
    written atomically).

    Args:
        filesets: Sequence of tuples of file names; any complete one will do.
        name: Dataset name for messages, e.g. `"Fashion-MNIST"`.
        cache_subdir: Folder under the cache root, e.g. `"datasets"`.
        locations: Folders to search (`~` is expanded).
        origin_base: URL prefix; `origin_base + fname` is downloaded.
        file_hashes: Dict of file name to sha256 or md5 hex digest.
        hint: Extra line for the error, e.g. how to install a package.
        origins: Optional dict of file name to URL, for files whose URL is
            not `origin_base + name` (say, when a loader's `path` renames
            the cached copy).

    Returns:
        A list of paths, one per name of the file set that was found.

    Raises:
        FileNotFoundError: Nothing found and the download failed; the message
            lists every place looked and how to provide the files.
    """
    for fname in (f for fileset in filesets for f in fileset):
        if not isinstance(fname, str) or not fname:
            raise ValueError(
                f"Could not load the {name} dataset: file names must be non-empty strings. Received: {fname!r}. "
                "load_data's `path` is the file name of the cached copy: pass a name, or leave the default.")
    cache = os.path.join(file_utils.numkeras_home(), cache_subdir)
    found = _complete(cache, filesets, file_hashes)
    if found:
        return found
    for folder in locations:
        found = _complete(os.path.expanduser(folder), filesets, {})
        if found:
            return found
    wanted = filesets[0]
    sources = " ".join(origins[f] for f in wanted if f in origins) if origins else origin_base
    origins = {f: origin_base + f for f in wanted} | dict(origins or {})
    try:
        return [
            file_utils.get_file(f, origins[f], file_hash=file_hashes.get(f), cache_subdir=cache_subdir)
            for f in wanted
        ]
    except file_utils.DownloadError as e:
        alternatives = " or ".join("(" + ", ".join(s) + ")" for s in filesets)
        places = "\n".join(f"  - {p}" for p in [f"{cache} (the numkeras cache)", *locations])
        raise FileNotFoundError(
            f"Could not load the {name} dataset: no copy was found locally and "
            f"the download failed.\nLooked for {alternatives} in:\n{places}\n"
            f"  - {sources} (download failed: {e})\n"
            f"To provide the files: {hint}put {', '.join(wanted)} in {cache}/ "
            f"(or set NUMKERAS_HOME to a folder whose {cache_subdir}/ holds them); "
            "or retry with network access."
        ) from e


def _complete(folder, filesets, file_hashes):
    for fileset in filesets:
        paths = [os.path.join(folder, f) for f in fileset]
        if all(os.path.isfile(p) for p in paths) and all(
            file_utils.validate_file(p, file_hashes[f]) for p, f in zip(paths, fileset) if f in file_hashes
        ):
            return paths
    return None


def find_file(fname, origin, *, file_hash, name, locations, cache_subdir="datasets", hint=""):
    """`find_files` for a single file `fname` downloaded from the URL `origin`; returns its path."""
    (path,) = find_files(
        [(fname,)],
        name=name,
        cache_subdir=cache_subdir,
        locations=locations,
        origin_base=origin.rsplit("/", 1)[0] + "/",
        file_hashes={fname: file_hash},
        hint=hint,
        origins={fname: origin},
    )
    return path
