"""Files and folders that readers see whole, old or new, never half of either.

One module for every such write: an export (:func:`write_atomically`), the files of a
staging folder (:func:`write_new_file`), and folders put in place by a rename (the
on-disk store, an import: :func:`staging_folder`, :func:`swap_folder`). Whatever an
interrupted write leaves behind has a name the next write recognises and removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it.

    A process killed before the rename leaves ``path`` as it was, and its temporary
    file (``.<name>.<pid>.*.tmp``) behind: the next write to ``path`` removes those of
    processes that no longer run.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        sync_folder(path.parent)  # make the rename itself durable
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) and flush it to disk; no temporary file.

    For the files of a staging folder that nobody reads before it is renamed into
    place whole (``crmkg import``): atomic by the folder's rename, and without a
    temporary file and a look for stale ones per file, which made writing 35,000
    files quadratic (each look lists the whole folder).
    """
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files of writes to ``path`` whose process was killed."""
    removed = []
    for candidate in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        pid = candidate.name[len(Path(path).name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill would stop the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: keep its file
    return True


def sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def remove_leftovers(folder: Path, *prefixes: str) -> None:
    """Delete what an interrupted write left in ``folder``: entries named ``prefix*``."""
    for prefix in prefixes:
        for leftover in Path(folder).glob(prefix + "*"):
            shutil.rmtree(leftover, ignore_errors=True)


def staging_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder ``prefix*`` in ``parent`` (the same file system as its target,
    so that a rename moves it), with the permissions ``mkdir`` would give it."""
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    mask = os.umask(0)
    os.umask(mask)
    staging.chmod(0o777 & ~mask)  # not mkdtemp's 0700
    return staging


def swap_folder(new: Path, current: Path, old: Path) -> None:
    """Put ``new`` in the place of ``current`` by renames: ``current`` (if any) goes to
    ``old`` first, and is removed once ``new`` is in place.

    Killed between the two renames, ``current`` is missing and ``old`` holds it: the
    caller's next run sees that (a manifest missing, a leftover ``old``) and redoes it.
    """
    if current.exists():
        os.rename(current, old)
    os.rename(new, current)
    sync_folder(current.parent)
    shutil.rmtree(old, ignore_errors=True)
