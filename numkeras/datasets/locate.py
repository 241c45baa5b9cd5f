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
            says why (no network reachable, or the server's error), lists
            every place looked and every URL, and how to provide the files.
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
    origins = {f: origin_base + f for f in wanted} | dict(origins or {})
    paths = []
    for f in wanted:
        try:
            paths.append(file_utils.get_file(f, origins[f], file_hash=file_hashes.get(f), cache_subdir=cache_subdir))
        except file_utils.DownloadError as e:
            raise FileNotFoundError(_not_found(e, origins[f], filesets, name, cache, cache_subdir, locations,
                                               origins, file_hashes, hint)) from e
    return paths


def _not_found(error, failed, filesets, name, cache, cache_subdir, locations, origins, file_hashes, hint):
    """The message for a dataset found nowhere: why the download failed, every place looked, how to provide it."""
    if error.unreachable:
        why = f"it could not be downloaded because no network was reachable: {error.unreachable}."
    else:
        why = f"downloading it failed: {error}."
    wanted = filesets[0]
    looked_for = " or ".join(_listing(fileset) for fileset in filesets)
    home = os.environ.get("NUMKERAS_HOME")
    cache_label = (f"the numkeras cache: $NUMKERAS_HOME/{cache_subdir}, NUMKERAS_HOME={home}" if home
                   else "the numkeras cache; NUMKERAS_HOME is not set, so ~/.numkeras is the root")
    rejected = [f for fileset in filesets for f in fileset if f in file_hashes
                and os.path.isfile(os.path.join(cache, f))
                and not file_utils.validate_file(os.path.join(cache, f), file_hashes[f])]
    if rejected:
        cache_label += f"; ignored there because their checksum did not match: {', '.join(rejected)}"
    places = "\n".join(f"  - {place}" for place in
                       [f"{cache} ({cache_label})", *(os.path.expanduser(folder) for folder in locations)])
    urls = "\n".join(f"  - {origins[f]}" for f in wanted)
    them = "it" if len(wanted) == 1 else "them"
    exact = f" (the path {os.path.join(cache, wanted[0])})" if len(wanted) == 1 else ""
    return (
        f"Could not load the {name} dataset: no copy was found on this machine, and {why}\n"
        f"Looked for {looked_for} in:\n{places}\n"
        f"Then tried to download {failed}\n"
        f"To provide {them}: {hint}on a machine with network access, download\n{urls}\n"
        f"and put {', '.join(wanted)} in {cache}/{exact}, or in one of the folders listed above; "
        f"or set NUMKERAS_HOME to a folder whose {cache_subdir}/ holds {them}."
    )


def _listing(fileset):
    return fileset[0] if len(fileset) == 1 else f"all of {', '.join(fileset)}"


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
